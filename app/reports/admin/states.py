"""Admin pages: report states' display names per language (/<lang>/admin/reports/states), and
what the translation status page counts as missing in reports' content (categories, hints, states).
"""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from ...core import audit
from ...core.auth import admin_required
from ...core.i18n import force_language
from ...core.models import utcnow
from ...extensions import db
from .. import states as S
from ..blueprint import admin_bp
from ..models import Category, StateName

MAX_LENGTH = 100


def _languages():
    prof = current_app.extensions["plaza_profile"]
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
    return render_template("reports/admin_states.html", states=S.STATES, languages=languages, default=default,
                           values=values, errors=errors, builtin=builtin, field=_field,
                           label=S.state_label), status


@admin_bp.route("/states", methods=["GET", "POST"])
@admin_required
def states():
    languages, _default = _languages()
    tags = [lang.tag for lang in languages]
    rows = {(r.state, r.lang): r for r in db.session.scalars(select(StateName))}
    if request.method == "GET":
        values = {(st, t): rows[(st, t)].name if (st, t) in rows else "" for st in S.STATES for t in tags}
        return _page(values, {})
    values = {(st, t): request.form.get(_field(st, t), "").strip() for st in S.STATES for t in tags}
    errors = {_field(st, t): _("At most %(num)s characters.", num=MAX_LENGTH)
              for (st, t), v in values.items() if len(v) > MAX_LENGTH}
    if errors:
        return _page(values, errors, 422)
    changed = []
    for (st, t), value in values.items():
        row = rows.get((st, t))
        if row is not None and not value:
            db.session.delete(row)
        elif row is None and value:
            db.session.add(StateName(state=st, lang=t, name=value))
        elif row is not None and row.name != value:
            row.name, row.updated_at = value, utcnow()
        else:
            continue
        changed.append(f"{st}:{t}")
    if changed:
        audit.record(current_user.id, "reports.state_names", "reports_state", None, {"changed": changed})
    db.session.commit()
    g.pop("_report_state_names", None)
    flash(_("The names of the states were saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for(".states"), 303)


# -- the translation status page (registry.add_content_status) ---------------------------------
def content_status(tag: str):
    languages, default = _languages()
    cats = db.session.scalars(select(Category)).all()
    base = tag.split("-")[0]
    if tag == default:
        names = hints = 0
    else:
        names = sum(1 for c in cats if not ((c.names or {}).get(tag) or (c.names or {}).get(base)))
        hints = sum(1 for c in cats if (c.hints or {}).get(default)
                    and not ((c.hints or {}).get(tag) or (c.hints or {}).get(base)))
    custom = S.custom_names()
    # a state renamed in the default language but not in this one shows the built-in name here
    state_names = 0 if tag == default else sum(
        1 for st in S.STATES if custom.get((st, default)) and not (custom.get((st, tag)) or custom.get((st, base))))
    url = url_for("reports_admin.categories")
    return [(_l("Category names"), names, url), (_l("Category hints"), hints, url),
            (_l("Report state names"), state_names, url_for("reports_admin.states"))]
