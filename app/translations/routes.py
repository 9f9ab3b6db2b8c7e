"""The in-app translation editor (/<lang>/admin/translations/) and the static pages."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.auth import admin_required
from ..core.htmx import is_htmx, render
from ..core.i18n import current_language
from ..core.pagination import page_number
from ..core.profile import current_profile
from ..extensions import db, login_manager
from . import catalog as cat
from . import content, logs, po_files, services
from .blueprint import bp, may_translate, translator_required, uid
from .services import PAGE_SIZE, TranslationRefused

MAX_PO_BYTES = 5 * 1024 * 1024


# -- overview ------------------------------------------------------------------------------
def _index_page(status=200, add_error=None):
    langs = [lang for lang in services.editor_languages() if may_translate(lang)]
    if not langs and not current_user.is_admin:
        abort(403)
    rows = [(lang, services.coverage(services.entries(lang))) for lang in langs]
    return render_template(
        "translations/index.html",
        rows=rows,
        addable=services.addable_languages(),
        layer_on=services.layer_enabled(),
        add_error=add_error,
    ), status


@bp.route("/admin/translations/")
def index():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return _index_page()


@bp.route("/admin/translations/layer", methods=["POST"])
@admin_required
def layer():
    on = request.form.get("enabled") == "1"
    services.set_layer_enabled(on, uid())
    db.session.commit()
    flash(
        _("Translations saved in the browser are now used.")
        if on
        else _("Translations saved in the browser are switched off: pages show the shipped catalogs."),
        "success",
    )
    return redirect(url_for(".index"), 303)


@bp.route("/admin/translations/locales", methods=["POST"])
@admin_required
def add_locale():
    lang = current_profile().language(request.form.get("locale", ""))
    if lang is None or lang not in services.addable_languages():
        return _index_page(422, _("Choose one of the languages listed."))
    services.add_catalog(lang, uid())
    upload = request.files.get("po")
    result = None
    if upload and upload.filename:
        data = upload.read(MAX_PO_BYTES + 1)
        if len(data) > MAX_PO_BYTES:
            db.session.rollback()
            return _index_page(422, _("The file is too large."))
        try:
            result = po_files.import_po(lang, data, uid())
        except TranslationRefused as exc:
            db.session.rollback()
            return _index_page(422, " ".join(exc.problems))
    db.session.commit()
    if result is not None:
        # The same report as an upload: what was saved, refused and ignored is shown, not hidden.
        return render_template("translations/upload.html", tlang=lang, problems=[], result=result, added=True)
    flash(_("The language %(name)s was added. It has no translations yet.", name=lang.name), "success")
    return redirect(url_for(".locale", locale=lang.tag), 303)


# -- one locale ---------------------------------------------------------------------------
@bp.route("/admin/translations/<locale>/")
@translator_required
def locale(lang):
    items = services.entries(lang)
    show = request.args.get("show", "untranslated")
    if show not in ("untranslated", "fuzzy", "all"):
        show = "all"
    q = request.args.get("q", "")[:200]
    found = services.filter_entries(items, show, q)
    page = page_number(request.args.get("page", 1))
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(page, pages)
    return render_template(
        "translations/locale.html",
        tlang=lang,
        cov=services.coverage(items),
        show=show,
        q=q,
        found=found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total_found=len(found),
        page=page,
        pages=pages,
        layer_on=services.layer_enabled(),
    )


def _entry_context(lang, item, values=None, problems=None, saved=None):
    nplurals, _expr = cat.plural_rule(lang)
    if values is None:
        values = list(item.forms) if item else []
    if item and item.entry.msgid_plural is not None:
        values = (list(values) + [""] * nplurals)[:nplurals]
    else:
        values = (list(values) + [""])[:1]
    history = services.history(lang, item.entry.key) if item else []
    conflict = logs.pending_conflict(lang.catalog, item.entry.key) if item else None
    if conflict is not None and tuple(conflict.new) == tuple(item.forms):
        conflict = None
    return {
        "tlang": lang,
        "item": item,
        "values": values,
        "problems": problems or [],
        "examples": cat.plural_examples(lang),
        "history": history,
        "names": logs.user_names({h.user_id for h in history}),
        "conflict": conflict,
        "saved": saved,
        "done": item is None,
    }


@bp.route("/admin/translations/<locale>/entry/<key>", methods=["GET", "POST"])
@translator_required
def entry(lang, key):
    item = services.find_entry(lang, key)
    if item is None:
        abort(404)
    if request.method == "GET":
        return render("translations/entry.html", block="editor", **_entry_context(lang, item))
    if item.entry.msgid_plural is None:
        forms = [request.form.get("form-0", "")]
    else:
        forms = [request.form.get(f"form-{i}", "") for i in range(cat.plural_rule(lang)[0])]
    try:
        saved = services.save_entry(lang, item, forms, uid())
    except TranslationRefused as exc:
        db.session.rollback()
        return render(
            "translations/entry.html", block="editor", status=422, **_entry_context(lang, item, forms, exc.problems)
        )
    db.session.commit()
    nxt = services.next_untranslated(lang, key)
    if is_htmx():
        resp = render("translations/entry.html", block="editor", **_entry_context(lang, nxt, saved=item))
        if nxt is not None:
            resp.headers["HX-Push-Url"] = url_for(".entry", locale=lang.tag, key=nxt.entry.key)
        return resp
    flash(_("Translation saved.") if saved is not None else _("Nothing changed."), "success")
    if nxt is None:
        flash(_("Every entry of this language is translated."), "success")
        return redirect(url_for(".locale", locale=lang.tag, show="all"), 303)
    return redirect(url_for(".entry", locale=lang.tag, key=nxt.entry.key), 303)


@bp.route("/admin/translations/<locale>/messages.po")
@translator_required
def download(lang):
    resp = make_response(po_files.export_po(lang))
    resp.headers["Content-Type"] = "text/x-gettext-translation; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="{lang.catalog}.po"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/admin/translations/<locale>/upload", methods=["POST"])
@translator_required
def upload(lang):
    file = request.files.get("po")
    problems = []
    data = file.read(MAX_PO_BYTES + 1) if file and file.filename else b""
    if not data:
        problems = [_("Choose a .po file to upload.")]
    elif len(data) > MAX_PO_BYTES:
        problems = [_("The file is too large.")]
    result = None
    if not problems:
        try:
            result = po_files.import_po(lang, data, uid())
        except TranslationRefused as exc:
            db.session.rollback()
            problems = exc.problems
    if problems:
        return render_template("translations/upload.html", tlang=lang, problems=problems, result=None), 422
    db.session.commit()
    # The report is the answer to this upload; uploading the same file again changes nothing.
    return render_template("translations/upload.html", tlang=lang, problems=[], result=result)


# -- content -------------------------------------------------------------------------------
@bp.route("/admin/translations/content/")
@admin_required
def content_index():
    prof = current_profile()
    table = [(it, [(lang, content.own_text(it.key, lang.tag)) for lang in prof.languages]) for it in content.items()]
    return render_template("translations/content.html", table=table)


@bp.route("/admin/translations/content/<key>", methods=["GET", "POST"])
@admin_required
def content_edit(key):
    it = content.item(key)
    if it is None:
        abort(404)
    prof = current_profile()
    limit = 20000 if it.multiline else 200
    if request.method == "POST":
        values = {lang.tag: request.form.get(f"text-{lang.tag}", "") for lang in prof.languages}
        errors = {
            t: ngettext(
                "This text is too long (at most %(num)s character).",
                "This text is too long (at most %(num)s characters).",
                limit,
            )
            for t, v in values.items()
            if len(v) > limit
        }
        default = prof.default_language
        if (
            not errors
            and it.key == "site_name"
            and not values.get(default, "").strip()
            and not content.profile_text(key, default)
        ):
            errors[default] = _("The site name in the default language cannot be empty.")
        if errors:
            return render_template("translations/content_edit.html", it=it, values=values, errors=errors), 422
        changed = content.save(key, values, uid())
        db.session.commit()
        flash(_("Saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for(".content_index"), 303)
    # Prefilled with what each language shows now from the profile, so nothing needs retyping.
    values = {
        lang.tag: content.own_text(key, lang.tag) or content.profile_text(key, lang.tag) or ""
        for lang in prof.languages
    }
    return render_template("translations/content_edit.html", it=it, values=values, errors={})


@bp.route("/admin/translations/status")
@admin_required
def status():
    rows = []
    for lang in current_profile().languages:
        cov = services.coverage(services.entries(lang)) if lang in services.editor_languages() else None
        rows.append((lang, cov, content.missing(lang.tag), content.component_statuses(lang.tag)))
    return render_template("translations/status.html", rows=rows)


# -- public pages --------------------------------------------------------------------------
@bp.route("/pages/<slug>")
def page(slug):
    if slug not in content.PAGES:
        abort(404)
    tag = current_language().tag
    title, _title_lang = content.text(f"page:{slug}:title", tag)
    body, body_lang = content.text(f"page:{slug}:body", tag)
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    return render_template("translations/page.html", slug=slug, title=title, paragraphs=paragraphs, body_lang=body_lang)
