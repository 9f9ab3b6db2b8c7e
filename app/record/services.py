"""The record's public door: other components (and the record's own alerts) use only these.

Small functions returning frozen dataclasses; nothing commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from .models import Motion, PersonStat, Vote, VoteEvent
from .votes import options, queries


@dataclass(frozen=True)
class VoteInfo:
    vote_event_id: int
    person_id: int
    date: dt.date | None
    motion_text: str
    option: str
    option_label: str
    rebel: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class PolicyPosition:
    policy_id: int
    title: str
    sentence: str  # "Consistently voted for …", in the current language
    band: str
    distance: float | None
    votes: int


@dataclass(frozen=True)
class PersonRecord:
    person_id: int
    divisions: int
    attended: int
    rebellions: int
    whipped_votes: int
    alignment: float | None


def new_votes(since: dt.datetime, until: dt.datetime, person_ids=None, limit: int = 500) -> list[VoteInfo]:
    """Votes stored in (since, until] (alerts' digests), of these persons when given."""
    stmt = (
        select(
            Vote.vote_event_id, Vote.person_id, Vote.option, Vote.rebel, Vote.created_at, VoteEvent.date, Motion.text
        )
        .join(VoteEvent, VoteEvent.id == Vote.vote_event_id)
        .join(Motion, Motion.id == VoteEvent.motion_id)
        .where(Vote.created_at > since, Vote.created_at <= until, Vote.person_id.is_not(None))
    )
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return []
        stmt = stmt.where(Vote.person_id.in_(ids))
    rows = db.session.execute(stmt.order_by(VoteEvent.date, Vote.vote_event_id).limit(limit))
    return [
        VoteInfo(
            r.vote_event_id,
            r.person_id,
            r.date,
            r.text,
            r.option,
            options.option_label(r.option),
            r.rebel,
            r.created_at,
        )
        for r in rows
    ]


def policy_positions(person_id: int) -> list[PolicyPosition]:
    out = []
    for policy, score in queries.person_scores(person_id):
        sentence = options.SENTENCES[score.band](policy.text)
        out.append(PolicyPosition(policy.id, policy.title, sentence, score.band, score.distance, score.votes))
    return out


def person_record(person_id: int) -> PersonRecord | None:
    s = db.session.get(PersonStat, person_id)
    if s is None:
        return None
    return PersonRecord(s.person_id, s.divisions, s.attended, s.rebellions, s.whipped_votes, s.alignment)


def persons_with_votes(person_ids) -> set[int]:
    return queries.persons_with_votes(person_ids)
