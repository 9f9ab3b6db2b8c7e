"""Store parsed vote files: upsert motions, vote events and votes by their source ids.

A constant number of queries per 500 motions or vote events, whatever the number of votes:
existing rows are read in bulk, new votes are inserted with one executemany, changed ones
updated by primary key. Flushes, never commits (the CLI commits once, after scoring).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update

from ...directory import services as directory
from ...extensions import db
from ..models import Motion, Vote, VoteEvent
from .parse import MotionRow

CHUNK = 500


@dataclass
class ImportSummary:
    motions_created: int = 0
    motions_updated: int = 0
    events_created: int = 0
    events_updated: int = 0
    votes_created: int = 0
    votes_updated: int = 0
    votes_removed: int = 0
    votes_unchanged: int = 0
    unknown_voters: dict = field(default_factory=dict)  # source id -> name as given
    unknown_parties: Counter = field(default_factory=Counter)
    event_ids: list = field(default_factory=list)


def _chunks(items, size=CHUNK):
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _split_scheme(value: str) -> tuple[str, str] | None:
    if ":" in value and not value.startswith("http"):
        scheme, _, ident = value.partition(":")
        return (scheme, ident) if scheme and ident else None
    return None


def _resolve(keys, by_popolo, by_identifier, scheme: str | None) -> dict[str, int]:
    """Source id -> directory id: by Popolo id, else as an identifier (`scheme`, or 'scheme:value')."""
    keys = set(keys)
    found = dict(by_popolo(keys)) if keys else {}
    rest = keys - set(found)
    pairs = {}
    for k in rest:
        pair = (scheme, k) if scheme else _split_scheme(k)
        if pair:
            pairs[pair] = k
    if pairs:
        for pair, ident in by_identifier(list(pairs)).items():
            found[pairs[pair]] = ident
    return found


def _by_source(model, sources) -> dict:
    out = {}
    for chunk in _chunks(sorted(set(sources))):
        out.update({r.source_id: r for r in db.session.scalars(select(model).where(model.source_id.in_(chunk)))})
    return out


def _set(row, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def import_votes(
    motions: list[MotionRow], voter_scheme: str | None = None, party_scheme: str | None = None
) -> ImportSummary:
    summary = ImportSummary()
    events = [e for m in motions for e in m.events]
    persons = _resolve(
        {v.voter for e in events for v in e.votes},
        directory.person_ids_by_popolo_id,
        directory.person_ids_by_identifier,
        voter_scheme,
    )
    orgs = _resolve(
        {v.party for e in events for v in e.votes if v.party}
        | {c for c in [m.chamber for m in motions] + [e.chamber for e in events] if c},
        directory.organisation_ids_by_popolo_id,
        directory.organisation_ids_by_identifier,
        party_scheme,
    )
    # A vote that names no party takes the voter's party on that day, from the directory.
    partyless = {persons[v.voter] for e in events for v in e.votes if not v.party and v.voter in persons}
    memberships = directory.party_memberships(partyless) if partyless else {}

    existing_m = _by_source(Motion, [m.source_id for m in motions])
    motion_rows = {}
    for m in motions:
        values = dict(
            chamber_source=m.chamber,
            chamber_id=orgs.get(m.chamber),
            text=m.text,
            identifier=m.identifier,
            classification=m.classification,
            requirement=m.requirement,
            date=m.day,
            result=m.result,
            creator_source=m.creator,
            session_source=m.session,
            sources=m.sources,
        )
        row = existing_m.get(m.source_id)
        if row is None:
            row = Motion(source_id=m.source_id, **values)
            db.session.add(row)
            summary.motions_created += 1
        elif _set(row, values):
            summary.motions_updated += 1
        motion_rows[m.source_id] = row
    db.session.flush()

    existing_e = _by_source(VoteEvent, [e.source_id for e in events])
    event_rows = {}
    for m in motions:
        for e in m.events:
            counted = Counter(v.option for v in e.votes)
            values = dict(
                motion_id=motion_rows[m.source_id].id,
                chamber_source=e.chamber,
                chamber_id=orgs.get(e.chamber),
                identifier=e.identifier,
                classification=e.classification,
                start_date=e.start,
                end_date=e.end,
                date=e.day,
                result=e.result,
                counts_published=e.counts,
                counts_computed=dict(sorted(counted.items())),
                group_results=e.group_results,
                sources=e.sources,
            )
            row = existing_e.get(e.source_id)
            if row is None:
                row = VoteEvent(source_id=e.source_id, **values)
                db.session.add(row)
                summary.events_created += 1
            elif _set(row, values):
                summary.events_updated += 1
            event_rows[e.source_id] = row
    db.session.flush()

    for chunk in _chunks(events):
        _store_votes(chunk, event_rows, persons, orgs, memberships, summary)
    summary.event_ids = [event_rows[e.source_id].id for e in events]
    return summary


def _store_votes(events, event_rows, persons, orgs, memberships, summary) -> None:
    ids = [event_rows[e.source_id].id for e in events]
    cols = (
        Vote.id,
        Vote.vote_event_id,
        Vote.voter_source,
        Vote.voter_name,
        Vote.person_id,
        Vote.party_source,
        Vote.party_id,
        Vote.option,
        Vote.role,
        Vote.weight,
        Vote.pair_source,
    )
    old = {
        (r.vote_event_id, r.voter_source): r
        for r in db.session.execute(select(*cols).where(Vote.vote_event_id.in_(ids)))
    }
    inserts, updates, keep = [], [], set()
    for e in events:
        ve_id = event_rows[e.source_id].id
        for v in e.votes:
            person_id = persons.get(v.voter)
            party, party_id = v.party, orgs.get(v.party) if v.party else None
            if party is None and person_id in memberships:
                found = directory.party_on(memberships[person_id], e.day)
                party_id = found.party_id if found else None
            if person_id is None:
                summary.unknown_voters.setdefault(v.voter, v.voter_name)
            if party and party_id is None:
                summary.unknown_parties[party] += 1
            values = dict(
                voter_name=v.voter_name,
                person_id=person_id,
                party_source=party,
                party_id=party_id,
                option=v.option,
                role=v.role,
                weight=v.weight,
                pair_source=v.pair,
            )
            key = (ve_id, v.voter)
            keep.add(key)
            before = old.get(key)
            if before is None:
                inserts.append(dict(vote_event_id=ve_id, voter_source=v.voter, **values))
            elif any(getattr(before, k) != val for k, val in values.items()):
                updates.append(dict(id=before.id, **values))
            else:
                summary.votes_unchanged += 1
    gone = [r.id for k, r in old.items() if k not in keep]
    for part in _chunks(gone, 900):
        db.session.execute(delete(Vote).where(Vote.id.in_(part)))
    if inserts:
        db.session.execute(insert(Vote), inserts)
    if updates:
        db.session.execute(update(Vote), updates)
    summary.votes_created += len(inserts)
    summary.votes_updated += len(updates)
    summary.votes_removed += len(gone)
