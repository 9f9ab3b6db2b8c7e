"""Reads for debate pages, the speeches API, alerts, and the votes part (division pages, feeds).

`debates_on` and `speeches_by_person` are the functions the rest of the record uses; they return
frozen dataclasses. The others serve this part's own pages. A constant number of queries per
call, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import func, select

from ...directory import services as directory
from ...extensions import db
from .models import Debate, Section, SpeakerAlias, Speech

PAGE_CHARS = 20_000  # text per page of a debate (a page stays light; one long speech may exceed it)


@dataclass(frozen=True)
class DebateInfo:
    id: int
    title: str
    date: dt.date | None
    speeches: int


@dataclass(frozen=True)
class SpeechInfo:
    id: int
    debate_id: int
    debate_title: str
    date: dt.date | None
    start_time: str | None
    kind: str
    attribution: str
    person_id: int | None
    alias_id: int | None
    text: str
    created_at: dt.datetime


def _speech_infos(rows) -> list[SpeechInfo]:
    return [
        SpeechInfo(
            id=s.id,
            debate_id=s.debate_id,
            debate_title=title or "",
            date=s.date,
            start_time=s.start_time,
            kind=s.kind,
            attribution=s.attribution or "",
            person_id=s.person_id,
            alias_id=s.alias_id,
            text=s.text or "",
            created_at=s.created_at,
        )
        for s, title in rows
    ]


def _counts(debate_ids) -> dict[int, int]:
    ids = list(debate_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(Speech.debate_id, func.count(Speech.id)).where(Speech.debate_id.in_(ids)).group_by(Speech.debate_id)
        ).all()
    )


# -- for the rest of the record --------------------------------------------------------------------
def debates_on(day: dt.date) -> list[DebateInfo]:
    """The debates of a sitting day (a division page links them)."""
    rows = db.session.scalars(select(Debate).where(Debate.date == day).order_by(Debate.id)).all()
    counts = _counts(d.id for d in rows)
    return [DebateInfo(id=d.id, title=d.title, date=d.date, speeches=counts.get(d.id, 0)) for d in rows]


def speeches_by_person(person_id: int, limit: int = 20, offset: int = 0) -> list[SpeechInfo]:
    """A person's speeches, newest sitting first (and in spoken order within a sitting)."""
    rows = db.session.execute(
        select(Speech, Debate.title)
        .join(Debate, Debate.id == Speech.debate_id)
        .where(Speech.person_id == person_id)
        .order_by(Speech.date.desc().nulls_last(), Speech.debate_id.desc(), Speech.position)
        .limit(max(0, limit))
        .offset(max(0, offset))
    ).all()
    return _speech_infos(rows)


def speeches_by_alias(alias_id: int, limit: int = 20, offset: int = 0) -> list[SpeechInfo]:
    rows = db.session.execute(
        select(Speech, Debate.title)
        .join(Debate, Debate.id == Speech.debate_id)
        .where(Speech.alias_id == alias_id)
        .order_by(Speech.date.desc().nulls_last(), Speech.debate_id.desc(), Speech.position)
        .limit(max(0, limit))
        .offset(max(0, offset))
    ).all()
    return _speech_infos(rows)


def speeches(ids) -> list[SpeechInfo]:
    """These speeches, in the order given (search results)."""
    ids = list(ids)
    if not ids:
        return []
    rows = db.session.execute(
        select(Speech, Debate.title).join(Debate, Debate.id == Speech.debate_id).where(Speech.id.in_(ids))
    ).all()
    by_id = {info.id: info for info in _speech_infos(rows)}
    return [by_id[i] for i in ids if i in by_id]


def new_speeches(since: dt.datetime, until: dt.datetime, person_ids=None, limit: int = 200) -> list[SpeechInfo]:
    """Speeches stored in (since, until], of these persons (alerts' digests)."""
    stmt = (
        select(Speech, Debate.title)
        .join(Debate, Debate.id == Speech.debate_id)
        .where(Speech.created_at > since, Speech.created_at <= until)
    )
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return []
        stmt = stmt.where(Speech.person_id.in_(ids))
    return _speech_infos(
        db.session.execute(stmt.order_by(Speech.date, Speech.debate_id, Speech.position).limit(limit)).all()
    )


def speaker_labels(items) -> dict[int, tuple[str, str | None]]:
    """{speech id: (speaker's name, their speaker page or None)} for speeches (models or SpeechInfo):
    the person's display name where matched, else the printed name. Needs a request context."""
    items = list(items)
    links = directory.person_links({s.person_id for s in items if s.person_id}, directory.lang_tag()) if items else {}
    alias_ids = {s.alias_id for s in items if s.alias_id and not s.person_id}
    aliases = (
        dict(db.session.execute(select(SpeakerAlias.id, SpeakerAlias.name).where(SpeakerAlias.id.in_(alias_ids))).all())
        if alias_ids
        else {}
    )
    out = {}
    for s in items:
        link = links.get(s.person_id) if s.person_id else None
        if link is not None:
            out[s.id] = (link.name, url_for("record.speaker", person_id=s.person_id))
        elif s.alias_id:
            out[s.id] = (aliases.get(s.alias_id) or s.attribution, url_for("record.alias_speaker", alias_id=s.alias_id))
        else:
            out[s.id] = (s.attribution, None)
    return out


# -- the debates index and a debate's pages -----------------------------------------------------------
def debate_list(page: int, per_page: int = 30) -> tuple[list[DebateInfo], bool]:
    rows = db.session.scalars(
        select(Debate)
        .order_by(Debate.date.desc().nulls_last(), Debate.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    counts = _counts(d.id for d in rows[:per_page])
    return [
        DebateInfo(id=d.id, title=d.title, date=d.date, speeches=counts.get(d.id, 0)) for d in rows[:per_page]
    ], len(rows) > per_page


def get_debate(debate_id: int) -> Debate | None:
    return db.session.get(Debate, debate_id)


def page_breaks(debate_id: int) -> list[tuple[int, int]]:
    """[(first position, last position)] of each page of a debate: pages end at a speech's end
    once PAGE_CHARS of text are on them."""
    rows = db.session.execute(
        select(Speech.position, func.length(Speech.text)).where(Speech.debate_id == debate_id).order_by(Speech.position)
    ).all()
    pages, first, size = [], None, 0
    for position, length in rows:
        first = position if first is None else first
        size += (length or 0) + 200
        if size >= PAGE_CHARS:
            pages.append((first, position))
            first, size = None, 0
    if first is not None:
        pages.append((first, rows[-1][0]))
    return pages or [(1, 0)]


def page_of(pages, position: int) -> int:
    for number, (_first, last) in enumerate(pages, start=1):
        if position <= last:
            return number
    return len(pages)


def debate_page(debate: Debate, page: int) -> dict:
    """What one page of a debate shows: its speeches, each preceded by the sections starting there."""
    pages = page_breaks(debate.id)
    page = min(max(1, page), len(pages))
    first, last = pages[page - 1]
    is_last = page == len(pages)
    speeches_ = db.session.scalars(
        select(Speech)
        .where(Speech.debate_id == debate.id, Speech.position >= first, Speech.position <= last)
        .order_by(Speech.position)
    ).all()
    sections = db.session.scalars(
        select(Section).where(Section.debate_id == debate.id).order_by(Section.position)
    ).all()
    before: dict[int, list[Section]] = {}
    trailing = []
    for s in sections:
        if first <= s.before_speech <= last:
            before.setdefault(s.before_speech, []).append(s)
        elif is_last and s.before_speech > last:
            trailing.append(s)
    toc = [(s, page_of(pages, s.before_speech)) for s in sections]
    return {
        "page": page,
        "pages": len(pages),
        "speeches": speeches_,
        "before": before,
        "trailing": trailing,
        "toc": toc,
        "labels": speaker_labels(speeches_),
    }


def speech_location(speech_id: int) -> tuple[int, int] | None:
    """(debate id, page number) of a speech, for its permanent link."""
    row = db.session.execute(select(Speech.debate_id, Speech.position).where(Speech.id == speech_id)).first()
    if row is None:
        return None
    return row[0], page_of(page_breaks(row[0]), row[1])


def speech_count(person_id: int | None = None, alias_id: int | None = None) -> int:
    stmt = select(func.count(Speech.id))
    stmt = (
        stmt.where(Speech.person_id == person_id) if person_id is not None else stmt.where(Speech.alias_id == alias_id)
    )
    return db.session.scalar(stmt) or 0


def get_alias(alias_id: int) -> SpeakerAlias | None:
    return db.session.get(SpeakerAlias, alias_id)


# -- admin: speakers not matched yet ----------------------------------------------------------------------
def unmatched_aliases(page: int, per_page: int = 50) -> tuple[list[tuple[SpeakerAlias, int]], bool]:
    """Aliases without a person, most speeches first, with their number of speeches."""
    n = func.count(Speech.id)
    rows = db.session.execute(
        select(SpeakerAlias, n)
        .outerjoin(Speech, Speech.alias_id == SpeakerAlias.id)
        .where(SpeakerAlias.person_id.is_(None))
        .group_by(SpeakerAlias.id)
        .order_by(n.desc(), SpeakerAlias.key)
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return [(a, c) for a, c in rows[:per_page]], len(rows) > per_page


# -- the API -----------------------------------------------------------------------------------------------
def api_speeches(person_id: int | None, debate_id: int | None, page: int, per_page: int = 100):
    stmt = select(Speech)
    if person_id is not None:
        stmt = stmt.where(Speech.person_id == person_id)
    if debate_id is not None:
        stmt = stmt.where(Speech.debate_id == debate_id)
    rows = db.session.scalars(
        stmt.order_by(Speech.date.desc().nulls_last(), Speech.debate_id.desc(), Speech.position)
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows[:per_page]), len(rows) > per_page
