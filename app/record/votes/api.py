"""JSON under /record/api/: Popolo motions and vote events (with votes and counts).

Each object follows the Popolo schemas (motion.json, vote_event.json, vote.json, count.json):
`id` is the id the source gave; persons and parties are named by the directory's Popolo API
ids where linked (`/api/persons/<id>`), else by the id the source gave.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, jsonify, request, url_for

from ..blueprint import api_bp
from ..models import Motion, VoteEvent
from . import queries

PER_PAGE = 100


def _when(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return f"{value.isoformat()}T00:00:00Z"


def _page() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 100000))
    except ValueError:
        return 1


def _clean(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if v not in (None, [], "")}


def motion_json(m: Motion, events=()) -> dict:
    return _clean(
        {
            "id": m.source_id,
            "organization_id": m.chamber_source,
            "text": m.text,
            "identifier": m.identifier,
            "classification": m.classification,
            "requirement": m.requirement,
            "date": _when(m.date),
            "result": m.result,
            "creator_id": m.creator_source,
            "legislative_session_id": m.session_source,
            "sources": [_clean(s) for s in m.sources or []],
            "vote_events": [event_json(e, m, with_votes=False) for e in events],
        }
    )


def event_json(e: VoteEvent, m: Motion, votes=None, with_votes=True) -> dict:
    counts = [
        _clean({"option": c["option"], "value": int(c["value"]), "group_id": c.get("group_id")})
        for c in e.counts_published or []
    ]
    if not counts:  # nothing published: the totals counted from the votes
        counts = [{"option": o, "value": int(n)} for o, n in (e.counts_computed or {}).items()]
    out = {
        "id": e.source_id,
        "motion_id": m.source_id,
        "organization_id": e.chamber_source,
        "identifier": e.identifier,
        "classification": e.classification,
        "start_date": _when(e.start_date or e.date),
        "end_date": _when(e.end_date),
        "result": e.result,
        "counts": counts,
        "sources": [_clean(s) for s in e.sources or []],
        "group_results": [_clean(g) for g in e.group_results or [] if g.get("result")],
    }
    if with_votes:
        out["votes"] = [vote_json(v, e) for v in votes or []]
    return _clean(out)


def vote_json(v, e: VoteEvent) -> dict:
    return _clean(
        {
            "vote_event_id": e.source_id,
            "voter_id": str(v.person_id) if v.person_id else v.voter_source,
            "option": v.option,
            "group_id": str(v.party_id) if v.party_id else v.party_source,
            "role": v.role,
            "weight": v.weight,
            "pair_id": v.pair_source,
        }
    )


@api_bp.route("/motions")
def motions():
    page = _page()
    total, rows, events = queries.api_motions(page, PER_PAGE)
    return jsonify(
        {
            "total": total,
            "page": page,
            "per_page": PER_PAGE,
            "next": url_for(".motions", page=page + 1, _external=True) if page * PER_PAGE < total else None,
            "results": [motion_json(m, events.get(m.id, [])) for m in rows],
        }
    )


@api_bp.route("/motions/<int:motion_id>")
def motion(motion_id):
    m = queries.api_motion(motion_id)
    if m is None:
        abort(404)
    return jsonify(motion_json(m, queries.events_of([m.id]).get(m.id, [])))


@api_bp.route("/vote_events")
def vote_events():
    page = _page()
    total, rows = queries.api_vote_events(page, PER_PAGE)
    return jsonify(
        {
            "total": total,
            "page": page,
            "per_page": PER_PAGE,
            "next": url_for(".vote_events", page=page + 1, _external=True) if page * PER_PAGE < total else None,
            "results": [event_json(e, m, with_votes=False) for e, m in rows],
        }
    )


@api_bp.route("/vote_events/<int:event_id>")
def vote_event(event_id):
    found = queries.api_vote_event(event_id)
    if found is None:
        abort(404)
    event, motion_row, votes = found
    return jsonify(event_json(event, motion_row, votes))
