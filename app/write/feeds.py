"""Atom 1.0 feeds: all messages, and the messages to one person; answers are entries of their own."""

from __future__ import annotations

from flask import abort, url_for
from flask_babel import gettext as _

from ..core.feeds import atom_response
from ..directory import services as directory
from . import queries
from .blueprint import bp
from .masking import mask_personal


def _atom(title, alternate, messages, person_id=None):
    entries = []
    to_lists = queries.recipient_lists(messages)
    for m in messages:
        link = url_for(".detail", message_id=m.id, _external=True)
        to = to_lists.get(m.id, "")
        entries.append(
            {
                "id": link,
                "link": link,
                "title": m.subject,
                "updated": m.sent_at or m.created_at,
                "author": m.writer_name,
                "to": to,
                "summary": mask_personal(m.body)[:1000],
                "lang": m.language,
            }
        )
    # An answer is news of its own: subscribers see it arrive, not just a changed date on the message.
    by_id = {m.id: m for m in messages}
    answers = queries.published_answers(by_id, person_id=person_id)
    names = queries.recipient_names(messages)
    for a in answers:
        link = url_for(".detail", message_id=a.message_id, _external=True, _anchor=f"answer-{a.id}")
        name = names.get(a.person_id, "")
        subject = by_id[a.message_id].subject
        heading = (
            _("Answer from %(name)s: %(subject)s", name=name, subject=subject)
            if name
            else _("Answer: %(subject)s", subject=subject)
        )
        entries.append(
            {
                "id": link,
                "link": link,
                "title": heading,
                "updated": a.received_at,
                "author": name,
                "summary": mask_personal(a.body)[:1000],
                "lang": None,
            }
        )
    entries.sort(key=lambda e: e["updated"], reverse=True)
    return atom_response("write/feed.xml", entries, title=title, alternate=alternate)


@bp.route("/feed.atom")
def feed():
    messages, _more = queries.listing(per_page=50)
    return _atom(_("Messages to representatives"), url_for(".index", _external=True), messages)


@bp.route("/person/<int:person_id>/feed.atom")
def person_feed(person_id):
    info = directory.get_person(person_id)
    if info is None:
        abort(404)
    messages, _more = queries.listing(person_id=person_id, per_page=50)
    return _atom(
        _("Messages to %(name)s", name=info.name),
        url_for(".person", person_id=person_id, _external=True),
        messages,
        person_id=person_id,
    )
