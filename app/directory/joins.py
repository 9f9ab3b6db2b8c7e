"""Bulk doors for components that join their own data to the directory (record's votes and
speeches): by the ids and identifiers of imported files, by spoken name, and parties over time.

Re-exported by services.py, the public door. Every function takes many keys at once and runs
one query per chunk of keys (never one per row); nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from flask import url_for
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from .models import Identifier, LegislativePeriod, Membership, Organisation, OtherName, Person, pick_name
from .names import name_key

# Below every database's limit on bound parameters (SQLite's used to be 999).
_CHUNK = 900
PARTY = "party"
# A person id no database will reach, marking where the id goes in a person page URL.
_URL_SLOT = 987654321987654321


@dataclass(frozen=True)
class PartyMembership:
    """A person's membership of a party: a membership of the party itself (a file of party
    members), or a seat held on behalf of it (EveryPolitician). Dates as stored; `end_date`
    falls back on the legislative period's end."""

    person_id: int
    party_id: int
    party_name: str
    start_date: dt.date | None
    end_date: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True)
class PersonLink:
    id: int
    name: str
    url: str


class _LangName(NamedTuple):  # what pick_name reads of an other name
    name: str
    lang: str


@dataclass(frozen=True)
class PersonCandidate:
    """A person whose name, or one of whose other names, matches what was looked up."""

    id: int
    name: str
    matched_name: str  # the stored spelling that matched
    source_id: str | None


def _chunks(values: list) -> Iterable[list]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _ints(values) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError, OverflowError):
            continue
    return list(dict.fromkeys(out))


def _by_source(model, source_ids) -> dict[str, int]:
    keys = list(dict.fromkeys(str(s) for s in source_ids if s not in (None, "")))
    out: dict[str, int] = {}
    for chunk in _chunks(keys):
        out.update(db.session.execute(select(model.source_id, model.id).where(model.source_id.in_(chunk))).all())
    return out


def _by_identifier(owner_col, pairs) -> dict[tuple[str, str], int]:
    wanted = {(str(s), str(i)) for s, i in pairs if s and i not in (None, "")}
    out: dict[tuple[str, str], int] = {}
    values = sorted({i for _, i in wanted})
    for chunk in _chunks(values):
        rows = db.session.execute(
            select(Identifier.scheme, Identifier.identifier, owner_col)
            .where(owner_col.is_not(None), Identifier.identifier.in_(chunk))
            .order_by(owner_col)
        ).all()
        for scheme, ident, owner in rows:
            if (scheme, ident) in wanted:
                out.setdefault((scheme, ident), owner)  # the oldest row wins if a file repeated one
    return out


def person_ids_by_popolo_id(popolo_ids: Iterable[str]) -> dict[str, int]:
    """{Popolo id as imported (e.g. "adam_afriyie", an EveryPolitician UUID): person id}."""
    return _by_source(Person, popolo_ids)


def person_ids_by_identifier(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """{(scheme, identifier): person id}, e.g. ("publicwhip.org", "11929")."""
    return _by_identifier(Identifier.person_id, pairs)


def organisation_ids_by_popolo_id(popolo_ids: Iterable[str]) -> dict[str, int]:
    """{Popolo id as imported (e.g. the party id "lab"): organisation id}."""
    return _by_source(Organisation, popolo_ids)


def organisation_ids_by_identifier(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    return _by_identifier(Identifier.organisation_id, pairs)


def party_memberships(person_ids: Iterable[int]) -> dict[int, list[PartyMembership]]:
    """{person id: their party memberships, oldest first} for every person asked about
    (an empty list for someone with none). Two queries per chunk of persons."""
    ids = _ints(person_ids)
    out: dict[int, list[PartyMembership]] = {i: [] for i in ids}
    org, party = aliased(Organisation), aliased(Organisation)
    for chunk in _chunks(ids):
        stmt = (
            select(
                Membership.person_id,
                org.id,
                org.name,
                org.classification,
                party.id,
                party.name,
                Membership.start_date,
                Membership.end_date,
                LegislativePeriod.end_date,
            )
            .join(org, Membership.organisation_id == org.id)
            .outerjoin(party, Membership.on_behalf_of_id == party.id)
            .outerjoin(LegislativePeriod, Membership.legislative_period_id == LegislativePeriod.id)
            .where(
                Membership.person_id.in_(chunk),
                or_(org.classification == PARTY, Membership.on_behalf_of_id.is_not(None)),
            )
        )
        for pid, oid, oname, oclass, bid, bname, start, end, lp_end in db.session.execute(stmt):
            pid_, name = (oid, oname) if oclass == PARTY else (bid, bname)
            out[pid].append(
                PartyMembership(
                    person_id=pid,
                    party_id=pid_,
                    party_name=name,
                    start_date=start,
                    end_date=end if end is not None else lp_end,
                )
            )
    for rows in out.values():
        rows.sort(key=lambda m: (m.start_date or dt.date.min, m.end_date or dt.date.max, m.party_id))
    return out


def party_on(memberships: Iterable[PartyMembership], day: dt.date | None) -> PartyMembership | None:
    """The party membership covering `day` (the latest-starting one if several do); with no
    day, the only party the person ever had, else None."""
    rows = list(memberships)
    if day is None:
        return rows[0] if len({m.party_id for m in rows}) == 1 else None
    covering = [m for m in rows if m.covers(day)]
    return max(covering, key=lambda m: m.start_date or dt.date.min) if covering else None


def _display_names(model, owner_col, ids: list[int], lang_tag: str | None) -> dict[int, str]:
    """{id: name in `lang_tag` where there is one, else the name}: plain columns, one query
    per chunk (a person's or organisation's name with their names in languages alongside)."""
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        stmt = select(model.id, model.name).where(model.id.in_(chunk))
        if not lang_tag:
            out.update(db.session.execute(stmt).all())
            continue
        stmt = (
            stmt.add_columns(OtherName.name, OtherName.lang)
            .outerjoin(OtherName, and_(owner_col == model.id, OtherName.lang.is_not(None), OtherName.lang != ""))
            .order_by(model.id, OtherName.id)
        )
        names: dict[int, str] = {}
        in_langs: dict[int, list] = defaultdict(list)
        for oid, name, other, lang in db.session.execute(stmt):
            names[oid] = name
            if lang:
                in_langs[oid].append(_LangName(other, lang))
        out.update(
            (oid, pick_name(name, in_langs[oid], lang_tag) if oid in in_langs else name) for oid, name in names.items()
        )
    return out


def person_links(person_ids: Iterable[int], lang_tag: str | None = None) -> dict[int, PersonLink]:
    """{person id: display name (in `lang_tag` where the person has a name in it) and page URL}.
    Needs a request context (for the URL's language).

    A division page asks for some 650 people: only ids and names are read (no ORM rows), and the
    URL is built once and filled in per person (url_for per row was most of that page's time).
    """
    ids = _ints(person_ids)
    if not ids:
        return {}
    prefix, _, suffix = url_for("directory.person", person_id=_URL_SLOT).rpartition(str(_URL_SLOT))
    return {
        pid: PersonLink(id=pid, name=name, url=f"{prefix}{pid}{suffix}")
        for pid, name in _display_names(Person, OtherName.person_id, ids, lang_tag).items()
    }


def organisation_names(org_ids: Iterable[int], lang_tag: str | None = None) -> dict[int, str]:
    """{organisation id: display name (in `lang_tag` where it has a name in it)}; ids not found
    are absent. For labels such as parties beside many members."""
    return _display_names(Organisation, OtherName.organisation_id, _ints(org_ids), lang_tag)


def persons_by_names(names: Iterable[str]) -> dict[str, list[PersonCandidate]]:
    """{name as given: candidates}, matching accent-, case-, space- and punctuation-blind on a
    person's name or any of their other names ("Mr Adam Ingram"). Several candidates mean the
    caller must choose (or ask an admin); names with no candidate get an empty list."""
    given = list(dict.fromkeys(n for n in names if n))
    keys: dict[str, list[str]] = defaultdict(list)
    for n in given:
        if name_key(n):
            keys[name_key(n)].append(n)
    found: dict[str, dict[int, PersonCandidate]] = defaultdict(dict)
    for chunk in _chunks(list(keys)):
        direct = select(Person.id, Person.name, Person.name, Person.source_id, Person.name_key).where(
            Person.name_key.in_(chunk)
        )
        other = (
            select(Person.id, Person.name, OtherName.name, Person.source_id, OtherName.name_key)
            .join(OtherName, and_(OtherName.person_id == Person.id))
            .where(OtherName.name_key.in_(chunk))
        )
        for pid, pname, matched, sid, key in db.session.execute(direct.union_all(other)):
            found[key].setdefault(pid, PersonCandidate(id=pid, name=pname, matched_name=matched, source_id=sid))
    out = {n: [] for n in given}
    for key, spellings in keys.items():
        cands = sorted(found.get(key, {}).values(), key=lambda c: c.id)
        for n in spellings:
            out[n] = cands
    return out
