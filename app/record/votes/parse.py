"""Read Popolo vote files into plain records, whatever their layout.

Layouts taken:
- an array of motions, each with nested `vote_events`, each with `votes` and `counts`
  (voteit-data-pw, as in the shared UK files);
- the flat Popolo layout: an object with top-level `motions`, `vote_events`, `votes`, `counts`
  arrays joined by `motion_id` and `vote_event_id`;
- a vote event, or an array of them, with its motion embedded (`motion`) or named (`motion_id`).
Nothing here touches the database; errors are VoteFileError with a message for the operator.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from . import options


class VoteFileError(ValueError):
    pass


@dataclass
class VoteRow:
    voter: str
    voter_name: str | None
    option: str
    party: str | None
    role: str | None = None
    weight: float | None = None
    pair: str | None = None


@dataclass
class EventRow:
    source_id: str
    chamber: str | None
    identifier: str | None
    classification: str | None
    start: dt.datetime | None
    end: dt.datetime | None
    day: dt.date | None
    result: str | None
    counts: list = field(default_factory=list)
    group_results: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    votes: list[VoteRow] = field(default_factory=list)


@dataclass
class MotionRow:
    source_id: str
    chamber: str | None
    text: str
    identifier: str | None
    classification: str | None
    requirement: str | None
    day: dt.date | None
    result: str | None
    creator: str | None
    session: str | None
    sources: list
    events: list[EventRow] = field(default_factory=list)


def _str(value, limit=200) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text[:limit] or None


def _ref(obj: dict, name: str) -> str | None:
    """`x_id`, else the id of an embedded `x` object (Popolo allows either)."""
    found = _str(obj.get(f"{name}_id"))
    if found is None and isinstance(obj.get(name), dict):
        found = _str(obj[name].get("id"))
    return found


def parse_when(value, where: str) -> tuple[dt.datetime | None, dt.date | None]:
    """(aware datetime or None, date) from '2010-12-09', '2010-12-09T17:12:00Z' and the like."""
    text = _str(value, 60)
    if text is None:
        return None, None
    try:
        if len(text) <= 10:
            return None, dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise VoteFileError(f"{where}: '{text}' is not a date or date-time (ISO 8601).") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment, moment.date()


def _sources(obj) -> list:
    out = []
    for s in obj.get("sources") or []:
        if isinstance(s, dict) and _str(s.get("url"), 1000):
            out.append({"url": _str(s.get("url"), 1000), "note": _str(s.get("note"), 300)})
    return out


def _counts(raw, where) -> list:
    out = []
    for c in raw or []:
        if not isinstance(c, dict) or _str(c.get("option")) is None:
            raise VoteFileError(f"{where}: a count has no option.")
        try:
            value = int(c.get("value"))
        except (TypeError, ValueError) as exc:
            raise VoteFileError(f"{where}: the count for '{c.get('option')}' is not a whole number.") from exc
        out.append({"option": _str(c["option"], 100), "value": value, "group_id": _ref(c, "group")})
    return out


def _vote(v, where) -> VoteRow:
    if not isinstance(v, dict):
        raise VoteFileError(f"{where}: a vote is not an object.")
    voter = _ref(v, "voter")
    if voter is None:
        raise VoteFileError(f"{where}: a vote has no voter id.")
    option = _str(v.get("option"), 100)
    if option is None:
        raise VoteFileError(f"{where}: the vote of {voter} has no option.")
    name = _str(v["voter"].get("name"), 300) if isinstance(v.get("voter"), dict) else None
    party = _ref(v, "group") or _ref(v, "party")
    weight = v.get("weight")
    return VoteRow(
        voter=voter,
        voter_name=name,
        option=option,
        party=party,
        role=_str(v.get("role"), 100),
        weight=float(weight) if isinstance(weight, (int, float)) else None,
        pair=_ref(v, "pair"),
    )


def _event(ve: dict, motion: MotionRow, index: int, votes=None, counts=None) -> EventRow:
    source = _str(ve.get("id")) or (motion.source_id if index == 0 else f"{motion.source_id}/{index + 1}")
    where = f"vote event {source}"
    start, day = parse_when(ve.get("start_date"), where)
    end, _ = parse_when(ve.get("end_date"), where)
    raw_votes = ve.get("votes") if votes is None else votes
    if raw_votes is not None and not isinstance(raw_votes, list):
        raise VoteFileError(f"{where}: 'votes' is not a list.")
    return EventRow(
        source_id=source,
        chamber=_ref(ve, "organization") or motion.chamber,
        identifier=_str(ve.get("identifier")),
        classification=_str(ve.get("classification")),
        start=start,
        end=end,
        day=day or motion.day,
        result=options.normalise_result(ve.get("result")) or motion.result,
        counts=_counts(ve.get("counts") if counts is None else counts, where),
        group_results=[
            {"group_id": _ref(g, "group"), "result": _str(g.get("result"), 50)}
            for g in ve.get("group_results") or []
            if isinstance(g, dict)
        ],
        sources=_sources(ve),
        votes=[_vote(v, where) for v in raw_votes or []],
    )


def _motion(m: dict) -> MotionRow:
    if not isinstance(m, dict):
        raise VoteFileError("A motion is not an object.")
    source = _str(m.get("id"))
    if source is None:  # the spec's own example has no id: derive a stable one from what it says
        basis = json.dumps([m.get("organization_id"), m.get("date"), m.get("text"), m.get("identifier")])
        source = "motion-" + hashlib.sha1(basis.encode()).hexdigest()[:16]
    _, day = parse_when(m.get("date"), f"motion {source}")
    return MotionRow(
        source_id=source,
        chamber=_ref(m, "organization"),
        text=(m.get("text") or "").strip() if isinstance(m.get("text"), str) else "",
        identifier=_str(m.get("identifier")),
        classification=_str(m.get("classification")),
        requirement=_str(m.get("requirement")),
        day=day,
        result=options.normalise_result(m.get("result")),
        creator=_ref(m, "creator"),
        session=_ref(m, "legislative_session"),
        sources=_sources(m),
    )


def _nested(items: list) -> list[MotionRow]:
    out = []
    for item in items:
        if (
            isinstance(item, dict)
            and "vote_events" not in item
            and ("votes" in item or "motion" in item or "motion_id" in item)
        ):
            out.append(_lone_event(item))  # a vote event with its motion embedded
            continue
        motion = _motion(item)
        for i, ve in enumerate(item.get("vote_events") or []):
            if not isinstance(ve, dict):
                continue  # an id only: the flat layout's vote events come separately
            motion.events.append(_event(ve, motion, i))
        out.append(motion)
    return out


def _lone_event(ve: dict) -> MotionRow:
    embedded = ve.get("motion") if isinstance(ve.get("motion"), dict) else {}
    m = dict(embedded)
    m.setdefault("id", _str(ve.get("motion_id")) or (f"{ve['id']}-motion" if _str(ve.get("id")) else None))
    m.setdefault("organization_id", ve.get("organization_id"))
    m.setdefault("date", (ve.get("start_date") or "")[:10] or None)
    m.setdefault("result", ve.get("result"))
    motion = _motion(m)
    motion.events.append(_event(ve, motion, 0))
    return motion


def _flat(data: dict) -> list[MotionRow]:
    motions = {}
    for m in data.get("motions") or []:
        row = _motion(m)
        motions[row.source_id] = row
    votes_by, counts_by = {}, {}
    for v in data.get("votes") or []:
        key = _ref(v, "vote_event") if isinstance(v, dict) else None
        if key is None:
            raise VoteFileError("A vote in 'votes' has no vote_event_id.")
        votes_by.setdefault(key, []).append(v)
    for c in data.get("counts") or []:
        key = _ref(c, "vote_event") if isinstance(c, dict) else None
        if key is None:
            raise VoteFileError("A count in 'counts' has no vote_event_id.")
        counts_by.setdefault(key, []).append(c)
    for i, ve in enumerate(data.get("vote_events") or []):
        if not isinstance(ve, dict):
            raise VoteFileError("A vote event is not an object.")
        mid = _ref(ve, "motion")
        if mid is None or mid not in motions:
            motions_row = _lone_event(ve) if mid is None else None
            if motions_row is None:
                raise VoteFileError(f"Vote event {ve.get('id') or i + 1} names motion '{mid}', which the file lacks.")
            motion = motions_row
            motions[motion.source_id] = motion
            motion.events.clear()
        else:
            motion = motions[mid]
        vid = _str(ve.get("id"))
        nested_votes = ve.get("votes") if isinstance(ve.get("votes"), list) else []
        nested_counts = ve.get("counts") if isinstance(ve.get("counts"), list) else []
        event = _event(
            ve,
            motion,
            len(motion.events),
            votes=nested_votes + votes_by.pop(vid, []),
            counts=nested_counts + counts_by.pop(vid, []),
        )
        motion.events.append(event)
    if votes_by:
        raise VoteFileError(f"Votes name vote events the file lacks: {', '.join(sorted(votes_by)[:5])}.")
    return list(motions.values())


def parse(data) -> list[MotionRow]:
    """Motions (with their vote events and votes) from any of the layouts above."""
    if isinstance(data, list):
        motions = _nested(data)
    elif isinstance(data, dict) and any(k in data for k in ("motions", "vote_events", "votes")):
        motions = _flat(data)
    elif isinstance(data, dict) and ("votes" in data or "motion" in data):
        motions = [_lone_event(data)]
    else:
        raise VoteFileError(
            "The file holds no motions or vote events (expected a JSON array of motions, "
            "or an object with 'motions', 'vote_events' and 'votes')."
        )
    seen = set()
    for m in motions:
        for e in m.events:
            if e.source_id in seen:
                raise VoteFileError(f"Vote event {e.source_id} appears twice.")
            seen.add(e.source_id)
            twice = [voter for voter, n in Counter(v.voter for v in e.votes).items() if n > 1]
            if twice:
                raise VoteFileError(f"Vote event {e.source_id}: {twice[0]} votes twice.")
    return motions
