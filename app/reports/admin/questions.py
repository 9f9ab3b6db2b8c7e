"""Admin: a category's extra questions (Open311 attributes): add, edit, remove. Admins only;
each write is one transaction with an audit entry."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.auth import admin_required
from ...core.profile import current_profile
from ...extensions import db
from ..blueprint import admin_bp
from ..forms import question_form
from ..models import Category
from ..questions import DATATYPES, LIST_TYPES
from . import queries as AQ
from .operations import delete_question, save_questions


def _category_or_404(category_id):
    cat = AQ.get(Category, category_id)
    if cat is None:
        abort(404)
    return cat


def _find(cat, code):
    for i, q in enumerate(cat.attributes or []):
        if q.get("code") == code:
            return i, q
    abort(404)


def _form(question=None):
    prof = current_profile()
    form = question_form(prof.languages, prof.default_language)()
    form.datatype.choices = [(k, str(v)) for k, v in DATATYPES.items()]
    if request.method == "GET" and question is not None:
        form.code.data, form.datatype.data = question["code"], question.get("datatype", "string")
        form.required.data = bool(question.get("required"))
        form.values.data = "\n".join(f"{v.get('key')} = {v.get('name', '')}" for v in question.get("values", []))
        texts = question.get("descriptions") or {}
        for lang in prof.languages:
            value = texts.get(lang.tag, "")
            if lang.tag == prof.default_language:
                value = value or question.get("description", "")
            form[f"description_{lang.tag.replace('-', '_')}"].data = value
            if lang.tag != prof.default_language:
                form[f"values_{lang.tag.replace('-', '_')}"].data = "\n".join(
                    f"{v.get('key')} = {v['names'][lang.tag]}"
                    for v in question.get("values", [])
                    if (v.get("names") or {}).get(lang.tag)
                )
    return form


def _parse_values(text):
    """'key = name' a line (or just 'key'): ([{"key", "name"}], error or None)."""
    values, seen = [], set()
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        key, _sep, name = line.partition("=")
        key, name = key.strip(), name.strip() or key.strip()
        if not key or len(key) > 80 or len(name) > 200:
            return values, _("Each line needs a key of at most 80 characters, then “=” and a name.")
        if key in seen:
            return values, _("The key “%(key)s” is given twice.", key=key)
        seen.add(key)
        values.append({"key": key, "name": name})
    return values, None


def _parse_names(text, keys):
    """'key = name' a line, for choices already given: ({key: name}, error or None)."""
    names = {}
    for line in (text or "").splitlines():
        key, _sep, name = line.strip().partition("=")
        key, name = key.strip(), name.strip()
        if not key and not name:
            continue
        if key not in keys:
            return names, _("“%(key)s” is not one of the choices above.", key=key)
        if not name or len(name) > 200:
            return names, _("Each line needs a choice's key, then “=” and a name of at most 200 characters.")
        names[key] = name
    return names, None


def _page(form, cat, question, status=200):
    prof = current_profile()
    return render_template(
        "reports/admin_question.html",
        form=form,
        category=cat,
        question=question,
        languages=prof.languages,
        default=prof.default_language,
    ), status


@admin_bp.route("/categories/<int:category_id>/questions/new", methods=["GET", "POST"])
@admin_bp.route("/categories/<int:category_id>/questions/<code>", methods=["GET", "POST"])
@admin_required
def question(category_id, code=None):
    cat = _category_or_404(category_id)
    index, old = _find(cat, code) if code is not None else (None, None)
    form = _form(old)
    if request.method == "GET":
        return _page(form, cat, old)
    ok = form.validate()
    new_code = (form.code.data or "").strip()
    if any(q.get("code") == new_code for i, q in enumerate(cat.attributes or []) if i != index):
        form.code.errors = list(form.code.errors) + [_("This category already has a question with this code.")]
    values, problem = _parse_values(form.values.data)
    if problem:
        form.values.errors = list(form.values.errors) + [problem]
    elif form.datatype.data in LIST_TYPES and not values:
        form.values.errors = list(form.values.errors) + [_("Please give at least one choice.")]
    elif form.datatype.data not in LIST_TYPES and values:
        form.values.errors = list(form.values.errors) + [_("Only questions with a list of choices have choices.")]
    prof = current_profile()
    for lang in prof.languages:
        if lang.tag == prof.default_language:
            continue
        field = form[f"values_{lang.tag.replace('-', '_')}"]
        names, problem = _parse_names(field.data, {v["key"] for v in values})
        if problem:
            field.errors = list(field.errors) + [problem]
        for v in values:
            if names.get(v["key"]):
                v.setdefault("names", {})[lang.tag] = names[v["key"]]
    if not ok or any(f.errors for f in form):
        return _page(form, cat, old, 422)
    texts = {}
    for lang in prof.languages:
        value = (form[f"description_{lang.tag.replace('-', '_')}"].data or "").strip()
        if value:
            texts[lang.tag] = value
    new = {
        "code": new_code,
        "datatype": form.datatype.data,
        "required": bool(form.required.data),
        "description": texts.get(prof.default_language, ""),
        "descriptions": texts,
        "values": values,
    }
    questions = [dict(q) for i, q in enumerate(cat.attributes or []) if i != index]
    position = (form.order.data - 1) if form.order.data else (index if index is not None else len(questions))
    questions.insert(min(max(position, 0), len(questions)), new)
    save_questions(current_user, cat, questions, new, old, values)
    db.session.commit()
    flash(_("The question is saved."), "success")
    return redirect(url_for(".category", category_id=cat.id), 303)


@admin_bp.route("/categories/<int:category_id>/questions/<code>/delete", methods=["POST"])
@admin_required
def question_delete(category_id, code):
    cat = _category_or_404(category_id)
    index, _old = _find(cat, code)
    delete_question(current_user, cat, index, code)
    db.session.commit()
    flash(_("The question is removed. Answers already given stay on their reports."), "success")
    return redirect(url_for(".category", category_id=cat.id), 303)
