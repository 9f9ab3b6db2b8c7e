"""Reads for the votes pages, feeds and API: a fixed number of queries per page, never per row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ...directory import services as directory
from ...extensions import db
from ..models import Motion, PersonStat, Policy, PolicyDivision, PolicyScore, Vote, VoteEvent
from . import options


@dataclass(frozen=True)
class PolicyView:
    id: int
    source_id: str
    title: str
    text: str
    rule: str


@dataclass(frozen=True)
class DivisionRow:
    id: int
    date: dt.date | None
    text: str
    result: str | None
    agree_option: str | None = None
    strong: bool = False
    option: str | None = None  # one person's option, where asked
    rebel: bool = False


def _tag() -> str:
    return directory.lang_tag()


def _in(values: dict, tag: str) -> str | None:
    values = values or {}
    return values.get(tag) or values.get(tag.split("-")[0]) or None


def policy_view(p: Policy, tag: str | None = None) -> PolicyView:
    tag = tag or _tag()
    return PolicyView(p.id, p.source_id, _in(p.titles, tag) or p.title, _in(p.texts, tag) or p.text or p.title, p.rule)


def policies() -> list[tuple[PolicyView, int]]:
    counts = dict(
        db.session.execute(select(PolicyDivision.policy_id, func.count()).group_by(PolicyDivision.policy_id)).all()
    )
    tag = _tag()
    rows = db.session.scalars(select(Policy).order_by(Policy.title, Policy.id)).all()
    return sorted(((policy_view(p, tag), counts.get(p.id, 0)) for p in rows), key=lambda x: x[0].title.casefold())


def policy(policy_id: int) -> PolicyView | None:
    p = db.session.get(Policy, policy_id)
    return policy_view(p) if p else None


def policy_divisions(policy_id: int) -> list[DivisionRow]:
    """The policy's linked divisions that have been imported, newest first."""
    stmt = (
        select(
            VoteEvent.id,
            VoteEvent.date,
            Motion.text,
            VoteEvent.result,
            PolicyDivision.agree_option,
            PolicyDivision.strong,
        )
        .join(Motion, Motion.source_id == PolicyDivision.motion_source)
        .join(VoteEvent, VoteEvent.motion_id == Motion.id)
        .where(PolicyDivision.policy_id == policy_id)
        .order_by(VoteEvent.date.desc(), VoteEvent.id.desc())
    )
    return [DivisionRow(r.id, r.date, r.text, r.result, r.agree_option, r.strong) for r in db.session.execute(stmt)]


def person_options(person_id: int, event_ids) -> dict[int, tuple[str, bool]]:
    ids = list(event_ids)
    if not ids:
        return {}
    stmt = select(Vote.vote_event_id, Vote.option, Vote.rebel).where(
        Vote.person_id == person_id, Vote.vote_event_id.in_(ids)
    )
    return {r.vote_event_id: (r.option, r.rebel) for r in db.session.execute(stmt)}


def party_names(keys) -> dict:
    """(directory id, source id) -> display name: the directory's name, else the source id."""
    keys = set(keys)
    names = directory.organisation_names({k[0] for k in keys if k[0] is not None}, _tag())
    return {k: names.get(k[0]) or k[1] or "" for k in keys}


def policy_scores(policy_id: int) -> list:
    """Every member's stored position on a policy (plain rows, no ORM objects: there are many)."""
    return db.session.execute(
        select(
            PolicyScore.person_id,
            PolicyScore.distance,
            PolicyScore.band,
            PolicyScore.votes,
            PolicyScore.party_id,
            PolicyScore.party_source,
        ).where(PolicyScore.policy_id == policy_id)
    ).all()


def person_scores(person_id: int) -> list[tuple[PolicyView, PolicyScore]]:
    stmt = (
        select(Policy, PolicyScore)
        .join(PolicyScore, PolicyScore.policy_id == Policy.id)
        .where(PolicyScore.person_id == person_id)
    )
    tag = _tag()
    rows = [(policy_view(p, tag), s) for p, s in db.session.execute(stmt)]
    return sorted(rows, key=lambda x: x[0].title.casefold())


def person_stat(person_id: int) -> PersonStat | None:
    return db.session.get(PersonStat, person_id)


def persons_with_votes(person_ids) -> set[int]:
    ids = list(person_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(PersonStat.person_id).where(PersonStat.person_id.in_(ids))))


def person_votes(person_id: int, page: int, per_page: int = 50) -> tuple[list[DivisionRow], bool]:
    stmt = (
        select(VoteEvent.id, VoteEvent.date, Motion.text, VoteEvent.result, Vote.option, Vote.rebel)
        .join(VoteEvent, VoteEvent.id == Vote.vote_event_id)
        .join(Motion, Motion.id == VoteEvent.motion_id)
        .where(Vote.person_id == person_id)
        .order_by(VoteEvent.date.desc(), VoteEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = [
        DivisionRow(r.id, r.date, r.text, r.result, option=r.option, rebel=r.rebel) for r in db.session.execute(stmt)
    ]
    return rows[:per_page], len(rows) > per_page


def division(event_id: int):
    """(VoteEvent, Motion) or None."""
    return db.session.execute(
        select(VoteEvent, Motion).join(Motion, Motion.id == VoteEvent.motion_id).where(VoteEvent.id == event_id)
    ).first()


def division_votes(event_id: int) -> list:
    return db.session.execute(
        select(
            Vote.person_id,
            Vote.voter_source,
            Vote.voter_name,
            Vote.party_id,
            Vote.party_source,
            Vote.option,
            Vote.rebel,
        ).where(Vote.vote_event_id == event_id)
    ).all()


def division_policies(motion_source: str) -> list[tuple[PolicyView, PolicyDivision]]:
    stmt = (
        select(Policy, PolicyDivision)
        .join(PolicyDivision, PolicyDivision.policy_id == Policy.id)
        .where(PolicyDivision.motion_source == motion_source)
    )
    tag = _tag()
    return [(policy_view(p, tag), d) for p, d in db.session.execute(stmt)]


def count_rows(event: VoteEvent) -> list[tuple[str, int | None, int | None]]:
    """(option, published total, total counted from the votes) for every option either gives."""
    published = {}
    for c in event.counts_published or []:
        if not c.get("group_id"):
            published[c["option"]] = published.get(c["option"], 0) + int(c["value"])
    counted = event.counts_computed or {}
    order = list(dict.fromkeys(list(published) + sorted(counted, key=lambda o: -counted[o])))
    return [(o, published.get(o), counted.get(o, 0) if counted else None) for o in order]


def recent_divisions(limit: int = 20) -> list[DivisionRow]:
    stmt = (
        select(VoteEvent.id, VoteEvent.date, Motion.text, VoteEvent.result)
        .join(Motion, Motion.id == VoteEvent.motion_id)
        .order_by(VoteEvent.date.desc(), VoteEvent.id.desc())
        .limit(limit)
    )
    return [DivisionRow(r.id, r.date, r.text, r.result) for r in db.session.execute(stmt)]


def option_word(option: str | None) -> str:
    return options.option_label(option)


def page_size() -> int:
    return int(current_app.config.get("RECORD_PAGE_SIZE") or 50)


# -- the JSON API ------------------------------------------------------------------------------
def api_motions(page: int, per_page: int) -> tuple[int, list[Motion], dict[int, list[VoteEvent]]]:
    total = db.session.scalar(select(func.count(Motion.id))) or 0
    rows = db.session.scalars(
        select(Motion).order_by(Motion.date.desc(), Motion.id.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return total, list(rows), events_of([m.id for m in rows])


def events_of(motion_ids) -> dict[int, list[VoteEvent]]:
    out: dict = {}
    ids = list(motion_ids)
    if ids:
        for e in db.session.scalars(select(VoteEvent).where(VoteEvent.motion_id.in_(ids)).order_by(VoteEvent.id)):
            out.setdefault(e.motion_id, []).append(e)
    return out


def api_motion(motion_id: int) -> Motion | None:
    return db.session.get(Motion, motion_id)


def api_vote_events(page: int, per_page: int) -> tuple[int, list]:
    total = db.session.scalar(select(func.count(VoteEvent.id))) or 0
    rows = db.session.execute(
        select(VoteEvent, Motion)
        .join(Motion, Motion.id == VoteEvent.motion_id)
        .order_by(VoteEvent.date.desc(), VoteEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return total, list(rows)


def api_vote_event(event_id: int):
    """(VoteEvent, Motion, [Vote]) or None."""
    found = division(event_id)
    if found is None:
        return None
    votes = db.session.scalars(select(Vote).where(Vote.vote_event_id == event_id).order_by(Vote.id)).all()
    return found[0], found[1], list(votes)
