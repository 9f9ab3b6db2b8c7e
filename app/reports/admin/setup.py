"""Admin set-up pages: categories, contacts per body, response templates, Open311 API keys.

Categories, contacts and keys decide where reports go and who may post them: admins only.
Response templates are public wording that staff pick from: moderators and admins.
Every write is one transaction with an entry in the shared audit log.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import SelectField

from ...core.auth import admin_required, moderator_required
from ...core.i18n import current_language
from ...core.profile import current_profile
from ...directory import services as directory
from ...extensions import db
from .. import states as S
from ..blueprint import admin_bp
from ..forms import ApiKeyForm, ContactForm, TemplateForm, category_form
from ..models import ApiKey, Category, Contact, ResponseTemplate
from ..queries import find_category
from ..questions import DATATYPES
from ..text import slug
from . import queries as AQ
from .operations import (
    add_api_key,
    delete_contact,
    delete_template,
    revoke_api_key,
    save_category,
    save_contact,
    save_template,
    suspend_api_key,
)


def _see(endpoint, **values):
    return redirect(url_for(endpoint, **values), 303)


def _body_or_404(body_id):
    body = directory.get_body(body_id)
    if body is None:
        abort(404)
    return body


def _bodies_with_contacts():
    ids = AQ.body_ids_with_contacts()
    return sorted(directory.bodies(ids), key=lambda b: b.name.casefold())


# -- categories -----------------------------------------------------------------------
@admin_bp.route("/categories/")
@admin_required
def categories():
    q = (request.args.get("q") or "").strip()[:200]
    found = directory.search_bodies(q=q, limit=30)[0] if q else []
    counts = AQ.contact_counts()
    rows = AQ.categories_by_name()
    return render_template(
        "reports/admin_categories.html",
        categories=rows,
        counts=counts,
        q=q,
        found=found,
        bodies=_bodies_with_contacts(),
        tag=current_language().tag,
    )


def _languages():
    prof = current_profile()
    return prof.languages, prof.default_language


def _category_form(category=None):
    languages, default = _languages()
    form = category_form(languages, default)()
    main = next((lang for lang in languages if lang.tag == default), None)
    if main is not None:
        # The language's own name marked with its lang inside the page's sentence (WCAG 3.1.2)
        name = Markup('<span lang="{}">{}</span>').format(main.tag, main.name)
        form.name.label.text = Markup(escape(_("Name in %(language)s", language="\x00"))).replace("\x00", name)
    if request.method == "GET" and category is not None:
        form.name.data, form.code.data, form.group.data = category.name, category.code, category.group
        for lang in languages:
            key = lang.tag.replace("-", "_")
            if lang.tag != default:
                form[f"name_{key}"].data = (category.names or {}).get(lang.tag, "")
            form[f"hint_{key}"].data = (category.hints or {}).get(lang.tag, "")
            form[f"notice_{key}"].data = (category.notices or {}).get(lang.tag, "")
    return form


def _per_language(form, prefix):
    languages, default = _languages()
    out = {}
    for lang in languages:
        if prefix == "name" and lang.tag == default:
            continue
        value = (form[f"{prefix}_{lang.tag.replace('-', '_')}"].data or "").strip()
        if value:
            out[lang.tag] = value
    return out


def _category_page(form, category, status=200):
    languages, default = _languages()
    return render_template(
        "reports/admin_category.html",
        form=form,
        category=category,
        languages=languages,
        default=default,
        question_kinds=DATATYPES,
    ), status


@admin_bp.route("/categories/new", methods=["GET", "POST"])
@admin_bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@admin_required
def category(category_id=None):
    cat = None
    if category_id is not None:
        cat = AQ.get(Category, category_id)
        if cat is None:
            abort(404)
    form = _category_form(cat)
    if request.method == "GET":
        return _category_page(form, cat)
    if not form.validate():
        return _category_page(form, cat, 422)
    name = form.name.data.strip()
    code = (form.code.data or "").strip() or (cat.code if cat else slug(name))
    clash = AQ.category_with_code(code)
    if clash is not None and (cat is None or clash != cat.id):
        form.code.errors.append(_("Another category already has this code."))
    same_name = AQ.category_with_name(name)
    if same_name is not None and (cat is None or same_name != cat.id):
        form.name.errors.append(_("Another category already has this name."))
    if form.code.errors or form.name.errors:
        return _category_page(form, cat, 422)
    save_category(
        current_user,
        cat,
        name=name,
        code=code,
        group=form.group.data,
        names=_per_language(form, "name"),
        hints=_per_language(form, "hint"),
        notices=_per_language(form, "notice"),
    )
    db.session.commit()
    flash(_("The category is saved."), "success")
    return _see(".categories")


# -- contacts per body ------------------------------------------------------------------
def _contact_form(contact=None):
    form = ContactForm()
    tag = current_language().tag
    form.category.choices = [("", "—")] + [(c.code, c.label(tag)) for c in AQ.categories_by_name()]
    form.send_method.choices = list(S.SEND_METHODS.items())
    if request.method == "GET" and contact is not None:
        form.category.data, form.send_method.data = contact.category.code, contact.send_method
        form.email.data, form.endpoint.data = contact.email, contact.endpoint
        form.jurisdiction_id.data, form.active.data, form.note.data = (
            contact.jurisdiction_id,
            contact.active,
            contact.note,
        )
        form.service_code.data = contact.service_code
    return form


def _check_contact(form, body, contact=None):
    """Checks beyond the fields themselves; returns the chosen category or None (errors set)."""
    ok = form.validate()
    cat = find_category(form.category.data or "") if form.category.data else None
    if form.category.data and cat is None:
        form.category.errors = [_("Please choose a category.")]
    if cat is not None:
        clash = AQ.contact_clash(body.id, cat.id)
        if clash is not None and (contact is None or clash != contact.id):
            form.category.errors = [_("This body already has a contact for this category.")]
    if form.send_method.data == "email" and not (form.email.data or "").strip() and not body.email:
        form.email.errors = list(form.email.errors) + [_("Please give an email address: this body has none on file.")]
    if form.send_method.data == "open311" and not (form.endpoint.data or "").strip():
        form.endpoint.errors = list(form.endpoint.errors) + [_("Sending by Open311 needs the endpoint's address.")]
    if not ok or any(f.errors for f in form):
        return None
    return cat


def _body_page(body, form, status=200):
    contacts = AQ.contacts_of(body.id)
    return render_template(
        "reports/admin_body.html", body=body, contacts=contacts, form=form, tag=current_language().tag, S=S
    ), status


@admin_bp.route("/bodies/<int:body_id>/contacts", methods=["GET", "POST"])
@admin_required
def body_contacts(body_id):
    body = _body_or_404(body_id)
    form = _contact_form()
    if request.method == "GET":
        form.active.data = True
        return _body_page(body, form)
    cat = _check_contact(form, body)
    if cat is None:
        return _body_page(body, form, 422)
    save_contact(current_user, None, body.id, cat, form.data)
    db.session.commit()
    flash(_("The contact is saved."), "success")
    return _see(".body_contacts", body_id=body.id)


def _contact_or_404(contact_id):
    contact = AQ.get(Contact, contact_id)
    if contact is None:
        abort(404)
    return contact


@admin_bp.route("/contacts/<int:contact_id>", methods=["GET", "POST"])
@admin_required
def contact(contact_id):
    row = _contact_or_404(contact_id)
    body = _body_or_404(row.body_id)
    form = _contact_form(row)
    status = 200
    if request.method == "POST":
        cat = _check_contact(form, body, row)
        if cat is not None:
            save_contact(current_user, row, body.id, cat, form.data)
            db.session.commit()
            flash(_("The contact is saved."), "success")
            return _see(".body_contacts", body_id=body.id)
        status = 422
    return render_template("reports/admin_contact.html", body=body, contact=row, form=form), status


@admin_bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@admin_required
def contact_delete(contact_id):
    row = _contact_or_404(contact_id)
    body_id = row.body_id
    delete_contact(current_user, row)
    db.session.commit()
    flash(_("The contact is deleted."), "success")
    return _see(".body_contacts", body_id=body_id)


# -- response templates -------------------------------------------------------------------
def _template_form(row=None):
    form = TemplateForm()
    form.state.choices = [("", _("No change"))] + [(s, S.state_label(s)) for s in S.STAFF_STATES]
    form.body_id.choices = [("", _("Every body"))] + [(str(b.id), b.name) for b in _bodies_with_contacts()]
    if row is not None and row.body_id is not None and str(row.body_id) not in dict(form.body_id.choices):
        body = directory.get_body(row.body_id)
        form.body_id.choices.append((str(row.body_id), body.name if body else str(row.body_id)))
    if request.method == "GET" and row is not None:
        form.title.data, form.text.data = row.title, row.text
        form.state.data, form.body_id.data = row.state or "", str(row.body_id) if row.body_id else ""
    return form


def _templates_page(form, status=200):
    rows = AQ.response_templates()
    names = {b.id: b.name for b in directory.bodies({r.body_id for r in rows if r.body_id})}
    return render_template("reports/admin_templates.html", rows=rows, names=names, form=form, S=S), status


@admin_bp.route("/templates/", methods=["GET", "POST"])
@moderator_required
def templates():
    form = _template_form()
    if request.method == "GET":
        return _templates_page(form)
    if not form.validate():
        return _templates_page(form, 422)
    save_template(current_user, None, form.data)
    db.session.commit()
    flash(_("The template is saved."), "success")
    return _see(".templates")


@admin_bp.route("/templates/<int:template_id>", methods=["GET", "POST"])
@moderator_required
def template(template_id):
    row = AQ.get(ResponseTemplate, template_id)
    if row is None:
        abort(404)
    form = _template_form(row)
    status = 200
    if request.method == "POST":
        if form.validate():
            save_template(current_user, row, form.data)
            db.session.commit()
            flash(_("The template is saved."), "success")
            return _see(".templates")
        status = 422
    return render_template("reports/admin_template.html", row=row, form=form), status


@admin_bp.route("/templates/<int:template_id>/delete", methods=["POST"])
@moderator_required
def template_delete(template_id):
    row = AQ.get(ResponseTemplate, template_id)
    if row is None:
        abort(404)
    delete_template(current_user, row)
    db.session.commit()
    flash(_("The template is deleted."), "success")
    return _see(".templates")


# -- Open311 API keys -------------------------------------------------------------------
class BodyKeyForm(ApiKeyForm):
    # Translators: on the form for a new Open311 API key
    body = SelectField(
        _l("Whose back-end is it?"),
        default="",
        validate_choice=True,
        description=_l("A body's key may also push status changes to that body's reports."),
    )


def _key_form(fresh=False):
    form = BodyKeyForm(formdata=None) if fresh else BodyKeyForm()
    # Translators: choice on the new Open311 key form: the key is for an app that posts reports
    form.body.choices = [("", _("A reporting app (new reports only)"))] + [
        (str(b.id), b.name) for b in _bodies_with_contacts()
    ]
    return form


def _keys_page(form, new_key=None, status=200):
    rows = AQ.api_keys()
    names = {b.id: b.name for b in directory.bodies({r.body_id for r in rows if r.body_id})}
    resp = render_template("reports/admin_keys.html", rows=rows, names=names, form=form, new_key=new_key), status
    return resp


@admin_bp.route("/open311-keys/", methods=["GET", "POST"])
@admin_required
def api_keys():
    form = _key_form()
    if request.method == "GET":
        return _keys_page(form)
    if not form.validate() or not form.name.data.strip():
        if not form.name.errors:
            form.name.errors = [_("Please name the client.")]
        return _keys_page(form, status=422)
    row, key = add_api_key(current_user, form.name.data, int(form.body.data) if form.body.data else None)
    db.session.commit()
    # The key is shown in this answer only (never stored, never put in a cookie): no redirect.
    body, status = _keys_page(_key_form(fresh=True), new_key=(row, key), status=201)
    return body, status, {"Cache-Control": "no-store"}


@admin_bp.route("/open311-keys/<int:key_id>/revoke", methods=["POST"])
@admin_required
def api_key_revoke(key_id):
    row = AQ.get(ApiKey, key_id)
    if row is None:
        abort(404)
    if revoke_api_key(current_user, row):
        db.session.commit()
        flash(_("The key is revoked: the client can no longer post reports with it."), "success")
    return _see(".api_keys")


@admin_bp.route("/open311-keys/<int:key_id>/suspension", methods=["POST"])
@admin_required
def api_key_suspension(key_id):
    """Suspend (button "suspend") or restore (any other) a key: a suspended key answers 403."""
    row = AQ.get(ApiKey, key_id)
    if row is None:
        abort(404)
    suspend = request.form.get("action") == "suspend"
    if suspend_api_key(current_user, row, suspend):
        db.session.commit()
        if suspend:
            flash(_("The key is suspended: the client's requests are refused until you restore it."), "success")
        else:
            flash(_("The key is restored: the client may use it again."), "success")
    return _see(".api_keys")
