"""The filters of the request lists, the search page and the API read from the query string."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_babel import gettext as _

from ..core.ids import parse_id
from . import states

PER_PAGE = 30  # requests (and authorities) per page of a public list
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(9000, 12, 31)


def _date(name: str, errors: dict) -> dt.date | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Please give a date like 2025-03-31.")
        return None
    return min(max(day, MIN_DATE), MAX_DATE)  # far-off dates mean "no limit", never an overflow


def filters() -> tuple[dict, dict]:
    """The search filters of the query string, and {field: message} for those that are not valid."""
    errors: dict = {}
    state = request.args.get("state") or None
    if state and state not in states.STORED + states.CALCULATED:
        errors["state"] = _("Please choose one of the listed states.")
        state = None
    found = {
        "q": (request.args.get("q") or "").strip()[:200],
        "state": state,
        "authority_id": parse_id(request.args.get("authority")),
        "since": _date("since", errors),
        "until": _date("until", errors),
    }
    if found["since"] and found["until"] and found["since"] > found["until"]:
        errors["until"] = _("The end date must not be before the start date.")
        found["until"] = None
    return found, errors


def query_args(f: dict) -> dict:
    """Filters as query-string values for url_for (empty ones left out)."""
    out = {
        "q": f.get("q"),
        "state": f.get("state"),
        "authority": f.get("authority_id"),
        "since": f["since"].isoformat() if f.get("since") else None,
        "until": f["until"].isoformat() if f.get("until") else None,
    }
    return {k: v for k, v in out.items() if v}
