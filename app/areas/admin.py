"""Admin pages of the areas component: area type names per language (/<lang>/admin/areas/types)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..core.auth import admin_required
from ..core.profile import current_profile
from ..extensions import db
from . import type_names

bp = Blueprint("areas_admin", __name__, template_folder="templates")


def _field(code: str, tag: str) -> str:
    return f"name-{code}-{tag}"


def _page(types, values, errors, status=200):
    prof = current_profile()
    return render_template(
        "areas/admin/types.html",
        types=types,
        values=values,
        errors=errors,
        languages=prof.languages,
        default=prof.default_language,
        field=_field,
    ), status


@bp.route("/admin/areas/types", methods=["GET", "POST"])
@admin_required
def types():
    prof = current_profile()
    tags = [lang.tag for lang in prof.languages]
    rows = type_names.all_types()
    if request.method == "GET":
        values = {t.code: {tag: t.names.get(tag, "") for tag in tags} for t in rows}
        if prof.default_language in tags:  # the import's name is the default language's name
            for t in rows:
                values[t.code][prof.default_language] = t.names.get(prof.default_language) or t.names.get("", "")
        return _page(rows, values, {})
    values = {t.code: {tag: request.form.get(_field(t.code, tag), "").strip() for tag in tags} for t in rows}
    errors = {}
    for t in rows:
        for tag, value in values[t.code].items():
            if len(value) > type_names.MAX_LENGTH:
                errors[_field(t.code, tag)] = ngettext(
                    "At most %(num)s character.", "At most %(num)s characters.", type_names.MAX_LENGTH
                )
        if prof.default_language in tags and not values[t.code][prof.default_language]:
            errors[_field(t.code, prof.default_language)] = _(
                "A name in the default language is needed: other languages show it when they have none."
            )
    if errors:
        return _page(rows, values, errors, 422)
    changed = sum(type_names.save_names(t.code, values[t.code]) for t in rows)
    db.session.commit()
    if changed:
        flash(
            ngettext(
                "The names of %(num)s area type were saved.", "The names of %(num)s area types were saved.", changed
            ),
            "success",
        )
    else:
        flash(_("Nothing changed."), "success")
    return redirect(url_for(".types"), 303)
