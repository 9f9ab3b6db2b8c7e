"""Lists of requests: search with filters, per authority, per user; an Atom feed for each."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _

from ..core.htmx import render
from ..core.models import utcnow
from ..directory import services as directory
from . import services, states
from .redaction import redact
from .routes import PER_PAGE, _page, bp, int_arg
from .search import search_requests

FEED_SIZE = 50
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
    found = {"q": (request.args.get("q") or "").strip()[:200], "state": state,
             "authority_id": int_arg("authority"),
             "since": _date("since", errors), "until": _date("until", errors)}
    if found["since"] and found["until"] and found["since"] > found["until"]:
        errors["until"] = _("The end date must not be before the start date.")
        found["until"] = None
    return found, errors


def _args(f: dict) -> dict:
    """Filters as query-string values for url_for (empty ones left out)."""
    out = {"q": f.get("q"), "state": f.get("state"), "authority": f.get("authority_id"),
           "since": f["since"].isoformat() if f.get("since") else None,
           "until": f["until"].isoformat() if f.get("until") else None}
    return {k: v for k, v in out.items() if v}


@bp.route("/foi/")
def index():
    page = _page()
    f, errors = filters()
    items, total = search_requests(**f, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    authority = directory.get_body(f["authority_id"]) if f["authority_id"] else None
    return render("foi/index.html", block="results", status=422 if errors else 200, items=items, total=total,
                  f=f, args=_args(f), errors=errors, authority=authority, page=page,
                  has_next=page * PER_PAGE < total, states=states, display_state=services.display_state,
                  titles={r.id: redact(r.title, r) for r in items})


def _feed(title: str, items) -> Response:
    entries = [{"title": redact(r.title, r), "updated": r.last_event_at,
                "text": states.name(services.display_state(r)),
                "url": url_for("foi.request_page", request_id=r.id, _external=True)} for r in items]
    xml = render_template("foi/feed.atom", feed_title=title, entries=entries,
                          updated=max((e["updated"] for e in entries), default=utcnow()))
    return Response(xml, mimetype="application/atom+xml")


@bp.route("/foi/feed.atom")
def index_feed():
    f, _errors = filters()
    items, _total = search_requests(**f, limit=FEED_SIZE)
    if f["q"]:
        title = _("Freedom of information requests matching “%(query)s”", query=f["q"])
    else:
        title = _("Freedom of information requests")
    return _feed(title, items)


@bp.route("/foi/authorities/<int:authority_id>/feed.atom")
def authority_feed(authority_id):
    body = directory.get_body(authority_id)
    if body is None:
        abort(404)
    items, _total = search_requests(authority_id=authority_id, limit=FEED_SIZE)
    return _feed(_("Requests to %(authority)s", authority=body.name), items)


def _user(user_id: int):
    from ..accounts import services as accounts

    user = accounts.get_info(user_id)
    if user is None or user.banned:
        abort(404)
    return user


@bp.route("/foi/users/<int:user_id>")
def user_requests(user_id):
    user = _user(user_id)
    page = _page()
    items, total = search_requests(user_id=user_id, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return render("foi/user.html", block="results", user=user, items=items, total=total, page=page,
                  has_next=page * PER_PAGE < total, states=states, display_state=services.display_state,
                  titles={r.id: redact(r.title, r) for r in items})


@bp.route("/foi/users/<int:user_id>/feed.atom")
def user_feed(user_id):
    user = _user(user_id)
    items, _total = search_requests(user_id=user_id, limit=FEED_SIZE)
    return _feed(_("Requests made by %(name)s", name=user.name), items)
