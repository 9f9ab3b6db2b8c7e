"""Report states, as FixMyStreet names them, with translated display names."""

from __future__ import annotations

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..core.i18n import current_language, force_language
from ..core.profile import current_profile
from ..extensions import db
from .models import StateName

STATES = (
    "unconfirmed",
    "confirmed",
    "investigating",
    "in progress",
    "action scheduled",
    "fixed",
    "fixed - council",
    "fixed - user",
    "unable to fix",
    "not responsible",
    "duplicate",
    "closed",
    "hidden",
)
OPEN_STATES = ("confirmed", "investigating", "in progress", "action scheduled")
FIXED_STATES = ("fixed", "fixed - council", "fixed - user")
CLOSED_STATES = ("unable to fix", "not responsible", "duplicate", "closed")
PUBLIC_STATES = OPEN_STATES + FIXED_STATES + CLOSED_STATES
# States staff may set (not unconfirmed/hidden: those belong to confirmation and moderation).
STAFF_STATES = PUBLIC_STATES


# Open311 GeoReport v2 knows only "open" and "closed".
def open311_status(state: str) -> str:
    return "open" if state in OPEN_STATES else "closed"


def custom_names() -> dict[tuple[str, str], str]:
    """{(state, language tag): name} written by admins; read once per request (flask.g)."""
    if not has_app_context():
        return {}
    cached = g.get("_report_state_names")
    if cached is None:
        try:
            rows = db.session.execute(select(StateName.state, StateName.lang, StateName.name)).all()
        except SQLAlchemyError:  # labels must render even before the table exists
            db.session.rollback()
            rows = []
        cached = {(st, lang): name for st, lang, name in rows if name}
        g._report_state_names = cached
    return cached


def state_label(state: str) -> str:
    """The state's display name in the current language: an admin's own name for this language,
    else the translated built-in name (never empty)."""
    custom = custom_names()
    built_in = default_label(state)
    if custom:
        tag = current_language().tag
        name = custom.get((state, tag)) or custom.get((state, tag.split("-")[0]))
        if name:
            return name
        # No name of its own and no catalog translation of the built-in one (it is the default
        # language's): the default language's own name, as every content translation falls back.
        default = current_language_default()
        name = custom.get((state, default))
        if name and tag != default and built_in == _default_built_in(state, default):
            return name
    return built_in


def _default_built_in(state: str, default: str) -> str:
    """The built-in name in the default language, worked out once per request (lists call
    state_label for every row)."""
    cache = g.setdefault("_report_default_state_labels", {})
    if state not in cache:
        with force_language(default):
            cache[state] = default_label(state)
    return cache[state]


def current_language_default() -> str:
    return current_profile().default_language


def default_label(state: str) -> str:
    labels = {
        # Translators: state of a problem report
        "unconfirmed": pgettext("report state", "Unconfirmed"),
        # Translators: state of a problem report (internally "confirmed")
        "confirmed": pgettext("report state", "Open"),
        "investigating": pgettext("report state", "Investigating"),
        "in progress": pgettext("report state", "In progress"),
        "action scheduled": pgettext("report state", "Action scheduled"),
        "fixed": pgettext("report state", "Fixed"),
        # Translators: state of a problem report: fixed, as said by the body responsible
        "fixed - council": pgettext("report state", "Fixed by the council"),
        # Translators: state of a problem report: fixed, as said by a member of the public
        "fixed - user": pgettext("report state", "Fixed (reported by a user)"),
        # Translators: state of a problem report (internally "unable to fix")
        "unable to fix": pgettext("report state", "No further action"),
        "not responsible": pgettext("report state", "Not responsible"),
        "duplicate": pgettext("report state", "Duplicate"),
        "closed": pgettext("report state", "Closed"),
        "hidden": pgettext("report state", "Hidden"),
    }
    return labels.get(state, state)


def state_badge(state: str) -> str:
    """A CSS modifier for the state's badge."""
    if state in FIXED_STATES:
        return "ok"
    if state in OPEN_STATES:
        return "open"
    return "muted"


SEND_METHODS = {"email": _l("Email"), "open311": _l("Open311")}
