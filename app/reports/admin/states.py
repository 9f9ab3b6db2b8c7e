"""Admin page: report states' display names per language (/<lang>/admin/reports/states)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...core.auth import admin_required
from ...core.i18n import force_language
from ...core.profile import current_profile
from ...extensions import db
from .. import states as S
from ..blueprint import admin_bp
from . import queries as AQ
from .operations import save_state_names

MAX_LENGTH = 100


def _languages():
    prof = current_profile()
    return prof.languages, prof.default_language


def _field(state: str, tag: str) -> str:
    return "name-" + state.replace(" ", "_") + "-" + tag


def _builtin(state: str, tag: str) -> str:
    """The gettext name of a state in a given language (the placeholder of its field)."""
    with force_language(tag):
        return str(S.default_label(state))


def _page(values, errors, status=200):
    languages, default = _languages()
    builtin = {(st, lang.tag): _builtin(st, lang.tag) for st in S.STATES for lang in languages}
    return render_template(
        "reports/admin_states.html",
        states=S.STATES,
        languages=languages,
        default=default,
        values=values,
        errors=errors,
        builtin=builtin,
        field=_field,
        label=S.state_label,
    ), status


@admin_bp.route("/states", methods=["GET", "POST"])
@admin_required
def states():
    languages, _default = _languages()
    tags = [lang.tag for lang in languages]
    rows = AQ.state_name_rows()
    if request.method == "GET":
        values = {(st, t): rows[(st, t)].name if (st, t) in rows else "" for st in S.STATES for t in tags}
        return _page(values, {})
    values = {(st, t): request.form.get(_field(st, t), "").strip() for st in S.STATES for t in tags}
    errors = {
        _field(st, t): ngettext("At most %(num)s character.", "At most %(num)s characters.", MAX_LENGTH)
        for (st, t), v in values.items()
        if len(v) > MAX_LENGTH
    }
    if errors:
        return _page(values, errors, 422)
    changed = save_state_names(current_user, values, rows)
    db.session.commit()
    g.pop("_report_state_names", None)
    flash(_("The names of the states were saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for(".states"), 303)
