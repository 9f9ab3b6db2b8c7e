"""What every Atom feed shares: its <updated> time (RFC 4287 wants the last significant change)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Response, current_app, render_template, request

from .formatting import iso_datetime
from .i18n import current_language


def site_started() -> dt.datetime:
    """A fixed instant before anything on the site: SITE_STARTED_AT (ISO 8601) from the config,
    else the time this code was deployed (the package's files), so it does not move per request."""
    configured = current_app.config.get("SITE_STARTED_AT")
    if configured:
        value = configured if isinstance(configured, dt.datetime) else dt.datetime.fromisoformat(str(configured))
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    deployed = Path(__file__).resolve().parent.parent / "__init__.py"
    return dt.datetime.fromtimestamp(int(deployed.stat().st_mtime), dt.UTC)


def feed_updated(times) -> str:
    """The feed's <updated>: its newest item, else the site's start (never 1970, never "now")."""
    known = [t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in times if t is not None]
    return iso_datetime(max(known, default=None) or site_started())


def atom_response(template: str, entries: list[dict], **context) -> Response:
    """A feed rendered from `template` with its entries (dicts with an "updated" time), its
    <updated> worked out once here, the reader's language and its own URL; served as Atom."""
    context.setdefault("self_url", request.base_url)
    context.setdefault("tag", current_language().tag)
    xml = render_template(template, entries=entries, updated=feed_updated(e["updated"] for e in entries), **context)
    return Response(xml, content_type="application/atom+xml; charset=utf-8")
