"""The translation log page, and taking a file's version of an entry after an upload conflict."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.ids import parse_id
from ..core.pagination import current_page
from ..core.profile import current_profile
from ..extensions import db, login_manager
from . import content, logs, services
from .blueprint import bp, may_translate, translator_required, uid
from .services import TranslationRefused


def _int_arg(name: str) -> int | None:
    """An id from the query string; None when missing, not a number or beyond the database's integers."""
    return parse_id(request.args.get(name, ""))


@bp.route("/admin/translations/log")
def log():
    """Admins see every change; translators the editor and upload changes of their own languages."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    prof = current_profile()
    admin = current_user.is_admin
    langs = [lang for lang in prof.languages if may_translate(lang)]
    if not admin and not langs:
        abort(403)
    sources = logs.SOURCES if admin else logs.TRANSLATOR_SOURCES
    visible = None if admin else {c for lang in langs for c in (lang.catalog, lang.tag)}

    chosen = prof.language(request.args.get("locale", ""))
    if chosen not in langs:
        chosen = None
    source = request.args.get("source", "")
    if source not in sources:
        source = ""
    user_id = _int_arg("user")
    page = current_page()

    codes = {chosen.catalog, chosen.tag} if chosen else visible
    if chosen and admin:
        codes = codes | {"*"} if source == "layer" else codes
    found, total = logs.rows(codes, (source,) if source else sources, user_id, page)
    user_choices = logs.user_ids(visible, sources)
    names = logs.user_names(set(user_choices) | {r.user_id for r in found})
    by_code = {}
    for lang in prof.languages:
        by_code.setdefault(lang.tag, lang)
        by_code.setdefault(lang.catalog, lang)
    labels = {it.key: it.label for it in content.items()}
    return render_template(
        "translations/log.html",
        rows=found,
        total=total,
        page=page.number,
        pages=page.count(total),
        langs=langs,
        chosen=chosen,
        source=source,
        sources=sources,
        user_id=user_id,
        users=[(i, names.get(i, "")) for i in user_choices],
        names=names,
        by_code=by_code,
        labels=labels,
    )


@bp.route("/admin/translations/<locale>/entry/<key>/use-file", methods=["POST"])
@translator_required
def use_file_version(lang, key):
    """Save the version an upload brought but did not save (conflict), after the translator compared."""
    item = services.find_entry(lang, key)
    conflict = logs.pending_conflict(lang.catalog, key)
    if item is None:
        abort(404)
    if conflict is None or str(conflict.id) != request.form.get("conflict", ""):
        flash(_("This entry changed in the meantime; nothing was saved. Compare again below."), "error")
        return redirect(url_for(".entry", locale=lang.tag, key=key), 303)
    try:
        services.save_entry(lang, item, list(conflict.new), uid(), source="upload")
    except TranslationRefused as exc:
        db.session.rollback()
        flash(_("The file's version cannot be saved:"), "error")
        for problem in exc.problems:
            flash(problem, "error")
        return redirect(url_for(".entry", locale=lang.tag, key=key), 303)
    db.session.commit()
    flash(_("The file's version is saved."), "success")
    return redirect(url_for(".entry", locale=lang.tag, key=key), 303)
