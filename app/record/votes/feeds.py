"""Atom feeds: a person's votes (and speeches, where debates are imported) and a policy's divisions."""

from __future__ import annotations

import datetime as dt

from flask import abort, url_for
from flask_babel import gettext as _

from ...core.feeds import atom_response
from ...directory import services as directory
from ..blueprint import bp
from . import options, queries, views


def _moment(day) -> dt.datetime:
    return dt.datetime.combine(day or dt.date(1970, 1, 1), dt.time(), tzinfo=dt.UTC)


def _atom(title: str, alternate: str, entries: list[dict]):
    return atom_response("record/votes_feed.xml", entries, title=title, alternate=alternate)


@bp.route("/people/<int:person_id>/feed.atom")
def person_feed(person_id):
    person = directory.get_person(person_id)
    if person is None:
        abort(404)
    entries = []
    for e in views.person_feed_entries(person_id):
        r = e["row"]
        if e["kind"] == "vote":
            link = url_for("record.division", event_id=r.id, _external=True)
            # Translators: an Atom entry: a person's vote, e.g. "Yes: University tuition fees"
            title = _("%(option)s: %(motion)s", option=options.option_label(r.option), motion=r.text[:200])
            summary = _("Voted against the majority of their party.") if r.rebel else ""
        else:
            link = url_for("record.speech", speech_id=r.id, _external=True)
            title = _("Speech in %(debate)s", debate=r.debate_title)
            summary = r.text[:1000]
        entries.append({"id": link, "link": link, "title": title, "updated": _moment(r.date), "summary": summary})
    return _atom(
        _("Votes and speeches of %(name)s", name=person.name),
        url_for("record.person_votes", person_id=person_id, _external=True),
        entries,
    )


@bp.route("/policies/<int:policy_id>/feed.atom")
def policy_feed(policy_id):
    policy = queries.policy(policy_id)
    if policy is None:
        abort(404)
    entries = []
    for d in queries.policy_divisions(policy_id)[:50]:
        link = url_for("record.division", event_id=d.id, _external=True)
        summary = _("Agreeing with the policy: %(option)s", option=options.option_label(d.agree_option))
        entries.append(
            {"id": link, "link": link, "title": d.text[:200], "updated": _moment(d.date), "summary": summary}
        )
    return _atom(
        _("Divisions on %(policy)s", policy=policy.title),
        url_for("record.policy", policy_id=policy_id, _external=True),
        entries,
    )
