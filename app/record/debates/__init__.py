"""Record: debates (Akoma Ntoso transcripts, speakers, search)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l

from ...core import registry
from ...core.formatting import format_time


def wall_time(value: str | None) -> str:
    """'14:30' as recorded in a transcript, in the reader's locale (no time zone shift)."""
    try:
        hours, minutes = (int(x) for x in (value or "").split(":")[:2])
        return format_time(dt.time(hours, minutes))
    except ValueError:
        return ""


def init_app(app) -> None:
    """Registers this part's routes, commands, admin page, API and the search index hooks."""
    from . import admin, api, cli, models, routes, search  # noqa: F401 - views, commands and tables

    app.jinja_env.filters["wall_time"] = wall_time
    # Translators: main menu item leading to the debate transcripts (what was said in parliament)
    registry.add_nav(app, "record.debates", _l("Debates"), order=37)
    registry.add_admin_nav(
        app, "record_admin.unmatched_speakers", _l("Unmatched speakers"), order=60, audience="moderator"
    )
    # Translators: an entry of the admin audit log: a moderator said which person a printed speaker name is
    registry.add_labels(app, "audit_action", {"record.speaker_match": _l("Speaker name matched to a person")})
