"""Storing parsed debate records (operations: they flush, never commit).

A second import of the same record (same FRBR work URI, or same file name when it has none)
updates the debate in place: sections and speeches are matched by their position in the
document, so their ids (the anchors of links and alerts already sent) stay the same.

Speakers: a speech's `by` reference or its TLCPerson href that equals a person's stored Popolo
id gives that person at once. Otherwise the printed name (the TLCPerson's showAs, else the
`from` text) becomes an alias; an alias is matched automatically when exactly one person bears
that name, and an admin matches the rest on the "unmatched speakers" page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select, update

from ...directory import services as directory
from ...extensions import db
from .akn import ParsedDebate
from .models import Debate, Section, SpeakerAlias, Speech


@dataclass
class ImportResult:
    debate_id: int
    title: str
    created: bool
    sections: int
    speeches: int
    unmatched: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def fold(value: str | None) -> str:
    """Lower case without accents (any script), as search and alias keys compare text."""
    value = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in value if not unicodedata.combining(c)).casefold()


def speaker_key(name: str | None) -> str:
    """'Mr. M.J. Ellis' and 'MR M J ELLIS' are one speaker."""
    return " ".join(re.findall(r"[^\W_]+", fold(name)))[:300]


def _speaker_name(sp) -> str:
    return (sp.speaker_name or sp.attribution or "").strip()[:300]


def _aliases(parsed: ParsedDebate) -> dict[str, SpeakerAlias]:
    """{key: alias} for every printed speaker name of the record, created where new; new or
    still unmatched aliases are matched by name when exactly one person has it."""
    names: dict[str, str] = {}
    for sp in parsed.speeches:
        name = _speaker_name(sp)
        if speaker_key(name):
            names.setdefault(speaker_key(name), name)
    if not names:
        return {}
    found = {a.key: a for a in db.session.scalars(select(SpeakerAlias).where(SpeakerAlias.key.in_(list(names))))}
    for key, name in names.items():
        if key not in found:
            found[key] = SpeakerAlias(key=key, name=name)
            db.session.add(found[key])
    waiting = [a for a in found.values() if a.person_id is None]
    if waiting:
        candidates = directory.persons_by_names([a.name for a in waiting])
        for alias in waiting:
            people = candidates.get(alias.name) or []
            if len(people) == 1:
                alias.person_id, alias.matched_by = people[0].id, "name"
    db.session.flush()
    return found


def _stored_ids(parsed: ParsedDebate) -> dict[str, int]:
    """{`by` reference or href: person id} where it is a person's stored Popolo id."""
    keys = {k for sp in parsed.speeches for k in (sp.speaker_ref, sp.speaker_href) if k}
    return directory.person_ids_by_popolo_id(keys) if keys else {}


def _debate(parsed: ParsedDebate) -> tuple[Debate, bool]:
    debate = db.session.scalar(select(Debate).where(Debate.source_key == parsed.key))
    created = debate is None
    if created:
        debate = Debate(source_key=parsed.key)
        db.session.add(debate)
    for name in (
        "title",
        "name",
        "date",
        "language",
        "number",
        "legislature",
        "session",
        "source_url",
        "start_time",
        "end_time",
    ):
        value = getattr(parsed, name)
        if getattr(debate, name) != value:
            setattr(debate, name, value)
    db.session.flush()
    return debate, created


def _sections(debate: Debate, parsed: ParsedDebate) -> dict[int, int]:
    """Sections in place by position; returns {position: section id}."""
    old = {s.position: s for s in db.session.scalars(select(Section).where(Section.debate_id == debate.id))}
    rows = {}
    for ps in parsed.sections:
        row = old.pop(ps.position, None)
        if row is None:
            row = Section(debate_id=debate.id, position=ps.position)
            db.session.add(row)
        row.depth, row.kind, row.num, row.before_speech = ps.depth, ps.kind, ps.num[:50] or None, ps.before_speech
        row.heading, row.subheading = ps.heading, ps.subheading
        rows[ps.position] = row
    for extra in old.values():
        db.session.delete(extra)
    db.session.flush()
    for ps in parsed.sections:
        parent_id = rows[ps.parent].id if ps.parent else None
        if rows[ps.position].parent_id != parent_id:
            rows[ps.position].parent_id = parent_id
    return {pos: row.id for pos, row in rows.items()}


def store(parsed: ParsedDebate) -> ImportResult:
    """Create or update one debate record and everything in it. No commit."""
    debate, created = _debate(parsed)
    section_ids = _sections(debate, parsed)
    aliases = _aliases(parsed)
    by_id = _stored_ids(parsed)
    old = {s.position: s for s in db.session.scalars(select(Speech).where(Speech.debate_id == debate.id))}
    unmatched, known_as = set(), {}
    for sp in parsed.speeches:
        row = old.pop(sp.position, None)
        if row is None:
            row = Speech(debate_id=debate.id, position=sp.position)
            db.session.add(row)
        alias = aliases.get(speaker_key(_speaker_name(sp)))
        person_id = by_id.get(sp.speaker_ref) or by_id.get(sp.speaker_href)
        via = "id" if person_id else None
        if person_id is None and alias is not None and alias.person_id is not None:
            person_id, via = alias.person_id, "alias"
        if alias is not None and person_id is None:
            unmatched.add(alias.name)
        if alias is not None and via == "id":
            known_as.setdefault(alias, set()).add(person_id)
        text = sp.text
        values = {
            "section_id": section_ids.get(sp.section) if sp.section else None,
            "kind": sp.kind,
            "date": parsed.date,
            "start_time": sp.start_time,
            "end_time": sp.end_time,
            "speaker_ref": sp.speaker_ref or None,
            "speaker_href": sp.speaker_href or None,
            "attribution": sp.attribution,
            "role": sp.role or None,
            "alias_id": alias.id if alias else None,
            "person_id": person_id,
            "person_via": via,
            "text": text,
            "search_text": fold(text),
        }
        for name, value in values.items():
            if getattr(row, name) != value:  # unchanged rows stay clean: no rewrite of the index
                setattr(row, name, value)
    for extra in old.values():
        db.session.delete(extra)
    for alias, people in known_as.items():  # a name printed for one identified person is theirs
        if alias.person_id is None and len(people) == 1 and alias.name not in unmatched:
            alias.person_id, alias.matched_by = next(iter(people)), "id"
    db.session.flush()
    return ImportResult(
        debate_id=debate.id,
        title=debate.title,
        created=created,
        sections=len(parsed.sections),
        speeches=len(parsed.speeches),
        unmatched=sorted(unmatched),
        skipped=sorted(parsed.skipped),
    )


def match_alias(alias: SpeakerAlias, person_id: int) -> int:
    """An admin's match: the alias and every speech printed under it (except those matched by a
    stored id) now belong to the person. Returns how many speeches changed. No commit."""
    alias.person_id, alias.matched_by = person_id, "admin"
    result = db.session.execute(
        update(Speech)
        .where(Speech.alias_id == alias.id, (Speech.person_via.is_(None)) | (Speech.person_via != "id"))
        .values(person_id=person_id, person_via="alias")
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    return result.rowcount or 0
