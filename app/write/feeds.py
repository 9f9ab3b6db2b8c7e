"""Atom 1.0 feeds: all messages, and the messages to one person."""

from __future__ import annotations

from flask import abort, make_response, render_template, request, url_for
from flask_babel import gettext as _

from ..core.i18n import current_language
from . import services as svc
from .routes import bp


def _atom(title, alternate, messages):
    entries = []
    to_lists = svc.recipient_lists(messages)
    for m in messages:
        link = url_for(".detail", message_id=m.id, _external=True)
        to = to_lists.get(m.id, "")
        entries.append({"id": link, "link": link, "title": m.subject, "updated": m.sent_at or m.created_at,
                        "author": m.writer_name, "to": to, "summary": m.body[:1000], "lang": m.language})
    xml = render_template("write/feed.xml", title=title, self_url=request.base_url, alternate=alternate,
                          entries=entries, tag=current_language().tag,
                          updated=max((e["updated"] for e in entries), default=None))
    resp = make_response(xml)
    resp.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return resp


@bp.route("/write/feed.atom")
def feed():
    messages, _more = svc.listing(per_page=50)
    return _atom(_("Messages to representatives"), url_for(".index", _external=True), messages)


@bp.route("/write/person/<int:person_id>/feed.atom")
def person_feed(person_id):
    info = svc.directory().get_person(person_id)
    if info is None:
        abort(404)
    messages, _more = svc.listing(person_id=person_id, per_page=50)
    return _atom(_("Messages to %(name)s", name=info.name), url_for(".person", person_id=person_id, _external=True),
                 messages)
