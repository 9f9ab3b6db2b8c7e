"""Lists of requests: search with filters, per authority, per user; an Atom feed for each."""

from __future__ import annotations

from flask import Response, abort, url_for
from flask_babel import gettext as _

from ..accounts import services as accounts
from ..core.feeds import atom_response
from ..core.htmx import render
from ..core.pagination import current_page
from ..directory import services as directory
from . import states
from .blueprint import bp
from .filters import PER_PAGE, filters, query_args
from .queries import display_state
from .redaction import redact
from .search import search_requests

FEED_SIZE = 50


@bp.route("/")
def index():
    pg = current_page(PER_PAGE)
    f, errors = filters()
    items, total = search_requests(**f, limit=pg.limit, offset=pg.offset)
    authority = directory.get_body(f["authority_id"]) if f["authority_id"] else None
    return render(
        "foi/index.html",
        block="results",
        status=422 if errors else 200,
        items=items,
        total=total,
        f=f,
        args=query_args(f),
        errors=errors,
        authority=authority,
        page=pg.number,
        has_next=pg.has_next(total),
        states=states,
        display_state=display_state,
        titles={r.id: redact(r.title, r) for r in items},
    )


def _feed(title: str, items) -> Response:
    entries = [
        {
            "title": redact(r.title, r),
            "updated": r.last_event_at,
            "text": states.name(display_state(r)),
            "url": url_for("foi.request_page", request_id=r.id, _external=True),
        }
        for r in items
    ]
    return atom_response("foi/feed.atom", entries, feed_title=title)


@bp.route("/feed.atom")
def index_feed():
    f, _errors = filters()
    items, _total = search_requests(**f, limit=FEED_SIZE)
    if f["q"]:
        title = _("Freedom of information requests matching “%(query)s”", query=f["q"])
    else:
        title = _("Freedom of information requests")
    return _feed(title, items)


@bp.route("/authorities/<int:authority_id>/feed.atom")
def authority_feed(authority_id):
    body = directory.get_body(authority_id)
    if body is None:
        abort(404)
    items, _total = search_requests(authority_id=authority_id, limit=FEED_SIZE)
    return _feed(_("Requests to %(authority)s", authority=body.name), items)


def _user(user_id: int):
    user = accounts.get_info(user_id)
    if user is None or user.banned:
        abort(404)
    return user


@bp.route("/users/<int:user_id>")
def user_requests(user_id):
    user = _user(user_id)
    pg = current_page(PER_PAGE)
    items, total = search_requests(user_id=user_id, limit=pg.limit, offset=pg.offset)
    return render(
        "foi/user.html",
        block="results",
        user=user,
        items=items,
        total=total,
        page=pg.number,
        has_next=pg.has_next(total),
        states=states,
        display_state=display_state,
        titles={r.id: redact(r.title, r) for r in items},
    )


@bp.route("/users/<int:user_id>/feed.atom")
def user_feed(user_id):
    user = _user(user_id)
    items, _total = search_requests(user_id=user_id, limit=FEED_SIZE)
    return _feed(_("Requests made by %(name)s", name=user.name), items)
