"""Import a Popolo JSON file (such as EveryPolitician's) into the directory.

All or nothing: the caller commits on success and rolls back on PopoloError. Entities are
matched by the file's id (kept in `source_id`), else by one of their identifiers, so a
re-import updates rows in place. A Plaza export says where each entity first came from in a
`plaza-source` identifier: that id, not the exporting site's own, becomes `source_id`, so a
chain of Plazas (and the original file) all match the same rows; a membership with an unknown
id is matched by what it says. Areas are linked to the areas component by code, else by
name in any language; a name that could mean several areas is decided only by the area types
the file's other areas matched without doubt, and what cannot be linked is reported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from . import langtags
from .models import (
    LEGISLATIVE_PERIOD,
    ContactDetail,
    Identifier,
    LegislativePeriod,
    Link,
    Membership,
    Organisation,
    OrganisationArea,
    OtherName,
    Person,
    Post,
)
from .popolo_export import SOURCE_SCHEME
from .popolo_layouts import NESTED, PopoloError, normalise, organisations_first

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_EMAIL_TYPES = ("email", "e-mail", "mail")


@dataclass
class Summary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    linked_areas: int = 0
    unlinked_areas: list = field(default_factory=list)  # (file id, name, why)
    area_names_added: int = 0
    stub_organisations: list = field(default_factory=list)  # ids referenced before their file came

    def add(self, other: Summary) -> None:
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.linked_areas += other.linked_areas
        self.unlinked_areas += other.unlinked_areas
        self.area_names_added += other.area_names_added
        self.stub_organisations += [s for s in other.stub_organisations if s not in self.stub_organisations]


def parse_date(value, end=False, where="") -> dt.date | None:
    if value in (None, ""):
        return None
    m = _DATE.match(str(value))
    if not m:
        raise PopoloError(f"{where}: '{value}' is not a date (YYYY-MM-DD).")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if mo is None:
            return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
        mo = int(mo)
        if d is None:
            return dt.date(y, mo, calendar.monthrange(y, mo)[1] if end else 1)
        return dt.date(y, mo, int(d))
    except ValueError as exc:
        raise PopoloError(f"{where}: '{value}' is not a valid date.") from exc


def _partial_date(value, where) -> str | None:
    if value in (None, ""):
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}){0,2}", str(value)):
        raise PopoloError(f"{where}: '{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD).")
    return str(value)


def _lang(value, where):
    try:
        return langtags.normalise(value)
    except ValueError as exc:
        raise PopoloError(f"{where}: '{value}' is not a language tag.") from exc


def _list(obj, key, where) -> list:
    value = obj.get(key) or []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise PopoloError(f"{where}: '{key}' must be a list of objects.")
    return value


def _text(obj, key, where, required=False, limit=300) -> str | None:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise PopoloError(f"{where}: '{key}' is missing.")
        return None
    if not isinstance(value, (str, int, float)):
        raise PopoloError(f"{where}: '{key}' must be text.")
    return str(value).strip()[:limit]


def _source_id(item: dict, file_id: str) -> str:
    """Where the entity first came from: a Plaza export's `plaza-source` identifier, else the file's id."""
    for ident in item.get("identifiers") or []:
        if isinstance(ident, dict) and ident.get("scheme") == SOURCE_SCHEME and ident.get("identifier"):
            return str(ident["identifier"]).strip()[:200]
    return file_id


def _other_identifiers(item: dict, where: str) -> list:
    """`identifiers` and `other_identifiers` (voteit-data's name for the same), without Plaza's own."""
    both = _list(item, "identifiers", where) + _list(item, "other_identifiers", where)
    seen, out = set(), []
    for i in both:
        key = (i.get("scheme"), str(i.get("identifier")))
        if i.get("scheme") != SOURCE_SCHEME and key not in seen:
            seen.add(key)
            out.append(i)
    return out


def _images(item: dict, where: str) -> list:
    return [{k: v for k, v in (("url", _text(i, "url", f"{where} images", required=True, limit=1000)),
                               ("note", _text(i, "note", where, limit=200))) if v}
            for i in _list(item, "images", where)]


class _Importer:
    def __init__(self, data, area_types=None):
        self.data = normalise(data)
        self.area_types = tuple(area_types or ())
        self.summary = Summary()
        self.orgs: dict[str, Organisation] = {}
        self.persons: dict[str, Person] = {}
        self.periods: dict[str, LegislativePeriod] = {}
        self.posts: dict[str, Post] = {}
        self.area_links: dict[str, int | None] = {}
        self.file_ids = {_source_id(x, str(x.get("id"))) for key in ("persons", "organizations")
                         for x in (self.data.get(key) or []) if isinstance(x, dict)}
        self.known_persons: dict[str, Person] = {}  # stored persons by source id, loaded in bulk
        self.person_idents: dict[tuple, list[Person]] = {}  # stored persons by (scheme, identifier)
        self.new_persons: set[int] = set()  # python ids of persons this run created (no memberships stored)

    # -- matching --------------------------------------------------------------------
    def _find(self, model, source_id, identifiers, claimed):
        """By the file's id, else by an identifier (never one this import already matched:
        real files sometimes give two people the same identifier by mistake)."""
        if model is Person:
            obj = self.known_persons.get(source_id)
        else:
            obj = db.session.scalar(select(model).where(model.source_id == source_id)) if source_id else None
        if obj is None and identifiers:
            owner = Identifier.person_id if model is Person else Identifier.organisation_id
            taken = {id(o) for o in claimed.values()}
            for ident in identifiers:
                if model is Person:
                    found = self.person_idents.get((ident.get("scheme"), str(ident.get("identifier"))), [])
                else:
                    found = db.session.scalars(
                        select(model).join(Identifier, owner == model.id).where(
                            Identifier.scheme == ident.get("scheme"),
                            Identifier.identifier == str(ident.get("identifier")))).all()
                found = [f for f in found if id(f) not in taken and (f.source_id is None or f.source_id == source_id
                                                                      or f.source_id not in self.file_ids)]
                if found:
                    obj = found[0]
                    break
        return obj

    def _owned(self, obj, item, where):
        """Replace other names, identifiers, contact details and links from the file's entry."""
        obj.other_names = [
            OtherName(name=_text(n, "name", f"{where} other_names", required=True), lang=_lang(n.get("lang"), where),
                      note=_text(n, "note", where, limit=200), start_date=_partial_date(n.get("start_date"), where),
                      end_date=_partial_date(n.get("end_date"), where))
            for n in _list(item, "other_names", where)]
        obj.identifiers = [
            Identifier(scheme=_text(i, "scheme", where, limit=100), identifier=_text(i, "identifier", where, required=True))
            for i in _other_identifiers(item, where)]
        details = [
            ContactDetail(type=_text(c, "type", f"{where} contact_details", required=True, limit=50),
                          value=_text(c, "value", f"{where} contact_details", required=True, limit=2000),
                          label=_text(c, "label", where, limit=200), note=_text(c, "note", where, limit=200),
                          private=bool(c.get("private")))
            for c in _list(item, "contact_details", where)]
        if not any(c.type.lower() in _EMAIL_TYPES for c in details):
            # Exports never carry emails: a file without any keeps the addresses already stored.
            details += [c for c in obj.contact_details if (c.type or "").lower() in _EMAIL_TYPES]
        obj.contact_details = details
        obj.links = [Link(url=_text(ln, "url", f"{where} links", required=True, limit=1000),
                          note=_text(ln, "note", where, limit=200)) for ln in _list(item, "links", where)]

    def _count(self, kind, created):
        (self.summary.created if created else self.summary.updated)[kind] += 1

    # -- steps -------------------------------------------------------------------------
    def run(self) -> Summary:
        for key in ("persons", "organizations", "memberships", "posts", "events", "areas"):
            _list(self.data, key, "The file")
        # Flushed at each step's end, not before every query: row by row, autoflush made a file
        # of a thousand persons take most of a minute.
        with db.session.no_autoflush:
            self.link_areas()
            self.import_orgs()
            self.import_events()
            db.session.flush()
            self.import_posts()
            self.import_persons()
            self.import_memberships()
        db.session.flush()
        return self.summary

    def _load_persons(self):
        ids = sorted({_source_id(x, str(x.get("id"))) for x in self.data.get("persons") or [] if isinstance(x, dict)})
        for i in range(0, len(ids), 900):
            self.known_persons.update((p.source_id, p) for p in db.session.scalars(
                select(Person).where(Person.source_id.in_(ids[i:i + 900])).options(
                    selectinload(Person.identifiers), selectinload(Person.contact_details), selectinload(Person.links))))
        values = sorted({str(i.get("identifier")) for x in self.data.get("persons") or [] if isinstance(x, dict)
                         for i in _other_identifiers(x, "persons")})
        for i in range(0, len(values), 900):
            rows = db.session.execute(select(Identifier.scheme, Identifier.identifier, Person)
                                      .join(Person, Identifier.person_id == Person.id)
                                      .where(Identifier.identifier.in_(values[i:i + 900])).order_by(Person.id))
            for scheme, value, person in rows:
                self.person_idents.setdefault((scheme, value), []).append(person)

    def link_areas(self):
        from ..areas import services as areas_services

        candidates: dict[str, list] = {}
        certain: dict = {}
        names: dict[str, str] = {}
        for n, item in enumerate(self.data.get("areas") or []):
            where = f"areas[{n}]"
            aid = _text(item, "id", where, required=True, limit=200)
            names[aid] = _text(item, "name", where) or aid
            pairs = [(i.get("scheme"), i.get("identifier")) for i in _list(item, "identifiers", where)]
            single = item.get("identifier")  # Popolo's one "scheme:value" string (Plaza's export)
            if isinstance(single, str) and ":" in single:
                pairs.append(tuple(single.split(":", 1)))
            for scheme, value in pairs:
                if scheme and value and scheme != "wikidata":
                    found = areas_services.find_area_by_code(str(scheme), str(value))
                    if found and (not self.area_types or found.type in self.area_types):
                        certain[aid] = found
                        break
            if aid in certain:
                continue
            spellings = [item.get("name")] + [o.get("name") for o in _list(item, "other_names", where)]
            for spelling in spellings:
                if not spelling:
                    continue
                found = areas_services.find_areas_by_name(str(spelling), type=self.area_types or None)
                if found:
                    candidates[aid] = found
                    break
            else:
                candidates[aid] = []
        # Evidence: the area types that the file's other areas matched without doubt.
        support = Counter(a.type for a in certain.values())
        single = {aid: c[0] for aid, c in candidates.items() if len(c) == 1}
        support.update(a.type for a in single.values())
        self.area_links.update({aid: a.id for aid, a in certain.items()})
        for aid, found in candidates.items():
            if not found:
                self.area_links[aid] = None
                self.summary.unlinked_areas.append((aid, names[aid], "no area has this name or code"))
                continue
            others = Counter(support)
            if aid in single:
                others[single[aid].type] -= 1
            best = max(others[a.type] for a in found)
            top = [a for a in found if others[a.type] == best]
            alone = sum(others.values()) == 0  # nothing else to compare with: trust a single match
            if len(top) == 1 and (best > 0 or (len(found) == 1 and alone)):
                self.area_links[aid] = top[0].id
            else:
                self.area_links[aid] = None
                why = ("several areas have this name" if len(top) > 1
                       else "the only area with this name is of a type no other area in the file has")
                self.summary.unlinked_areas.append((aid, names[aid], why))
        self.summary.linked_areas = sum(1 for v in self.area_links.values() if v is not None)
        self.add_area_names()

    def add_area_names(self):
        """Names the file gives a linked area in the site's languages, where the area has none
        in that language (a Welsh name for a constituency whose boundary file had only English)."""
        from flask import current_app

        from ..areas import services as areas_services

        wanted = {t.lower(): t for t in current_app.extensions["plaza_profile"].language_tags}
        for n, item in enumerate(self.data.get("areas") or []):
            area_id = self.area_links.get(_text(item, "id", f"areas[{n}]", required=True, limit=200))
            if area_id is None:
                continue
            names = {}
            for k, other in enumerate(_list(item, "other_names", f"areas[{n}]")):
                where = f"areas[{n}].other_names[{k}]"
                if not other.get("lang") or other.get("end_date"):  # no language, or a former name
                    continue
                try:  # areas' names were never required: a bad tag skips the name, not the file
                    lang = wanted.get(langtags.normalise(str(other["lang"])).lower())
                except ValueError:
                    continue
                name = _text(other, "name", where)
                if lang and name:
                    names.setdefault(lang, name)
            if names:
                self.summary.area_names_added += areas_services.add_missing_names(area_id, names)

    def import_orgs(self):
        parents = {}
        for n, item in enumerate(self.data.get("organizations") or []):
            where = f"organizations[{n}]"
            fid = _text(item, "id", where, required=True, limit=200)  # what the file's references use
            sid = _source_id(item, fid)
            org = self._find(Organisation, sid, _other_identifiers(item, where), self.orgs)
            created = org is None
            if created:
                org = Organisation(source_id=sid)
                db.session.add(org)
            elif org.source_id is None:
                org.source_id = sid
            org.name = _text(item, "name", where, required=True)
            org.classification = _text(item, "classification", where, limit=100)
            org.image = _text(item, "image", where, limit=1000)
            self._owned(org, item, where)
            if item.get("area_id") and self.area_links.get(str(item["area_id"])):
                area_id = self.area_links[str(item["area_id"])]
                if area_id not in org.area_ids:
                    org.areas.append(OrganisationArea(area_id=area_id))
            if item.get("parent_id"):
                parents[fid] = str(item["parent_id"])
            self.orgs[fid] = org
            self._count("organizations", created)
        db.session.flush()
        for fid, parent in parents.items():
            self.orgs[fid].parent = self._org_ref(parent, f"organization {fid} parent_id")

    def _org_ref(self, ref, where) -> Organisation:
        if ref in self.orgs:
            return self.orgs[ref]
        org = db.session.scalar(select(Organisation).where(Organisation.source_id == ref))
        if org is None:
            raise PopoloError(f"{where}: no organization with id '{ref}'.")
        self.orgs[ref] = org
        return org

    def _org_stub(self, ref) -> Organisation:
        """An organisation known only by the id a nested membership gives (a party whose file
        comes later): named by its id until its own file is imported."""
        org = self.orgs.get(ref) or db.session.scalar(select(Organisation).where(Organisation.source_id == ref))
        if org is None:
            org = Organisation(source_id=ref[:200], name=ref[:300])
            db.session.add(org)
            self.summary.stub_organisations.append(ref)
        self.orgs[ref] = org
        return org

    def import_events(self):
        for n, item in enumerate(self.data.get("events") or []):
            where = f"events[{n}]"
            fid = _text(item, "id", where, required=True, limit=200)
            sid = _source_id(item, fid)
            lp = db.session.scalar(select(LegislativePeriod).where(LegislativePeriod.source_id == sid))
            created = lp is None
            if created:
                lp = LegislativePeriod(source_id=sid)
                db.session.add(lp)
            lp.name = _text(item, "name", where) or fid
            lp.classification = (_text(item, "classification", where, limit=100) or LEGISLATIVE_PERIOD).lower()
            lp.start_date = parse_date(item.get("start_date"), where=where)
            lp.end_date = parse_date(item.get("end_date"), end=True, where=where)
            lp.identifiers = [{"scheme": i.get("scheme"), "identifier": str(i.get("identifier"))}
                              for i in _other_identifiers(item, where)]
            if item.get("organization_id"):
                lp.organisation_id = self._org_ref(str(item["organization_id"]), where).id
            self.periods[fid] = lp
            self._count("legislative periods" if lp.classification == LEGISLATIVE_PERIOD else "events", created)

    def import_posts(self):
        for n, item in enumerate(self.data.get("posts") or []):
            where = f"posts[{n}]"
            sid = _text(item, "id", where, required=True, limit=200)
            post = db.session.scalar(select(Post).where(Post.source_id == sid))
            created = post is None
            if created:
                post = Post(source_id=sid)
                db.session.add(post)
            post.label = _text(item, "label", where, required=True)
            post.role = _text(item, "role", where, limit=200)
            post.organisation = self._org_ref(str(item.get("organization_id") or ""), where)
            post.area_id = self.area_links.get(str(item.get("area_id"))) if item.get("area_id") else None
            post.start_date = parse_date(item.get("start_date"), where=where)
            post.end_date = parse_date(item.get("end_date"), end=True, where=where)
            self.posts[sid] = post
            self._count("posts", created)

    def import_persons(self):
        self._load_persons()
        for n, item in enumerate(self.data.get("persons") or []):
            where = f"persons[{n}]"
            fid = _text(item, "id", where, required=True, limit=200)
            if fid in self.persons:
                raise PopoloError(f"{where}: the id '{fid}' is given to two persons in this file.")
            sid = _source_id(item, fid)
            p = self._find(Person, sid, _other_identifiers(item, where), self.persons)
            created = p is None
            if created:
                p = Person(source_id=sid)
                db.session.add(p)
                self.new_persons.add(id(p))
            elif p.source_id is None:
                p.source_id = sid
            p.name = _text(item, "name", where, required=True)
            p.sort_name = _text(item, "sort_name", where)
            p.given_name = _text(item, "given_name", where)
            p.family_name = _text(item, "family_name", where)
            email = _text(item, "email", where, limit=254)
            if email and "@" not in email:
                raise PopoloError(f"{where}: '{email}' is not an email address.")
            if email or "email" in item:  # absent (as in every export): the stored address stays
                p.email = email
            p.image = _text(item, "image", where, limit=1000)
            p.images = _images(item, where)
            p.gender = _text(item, "gender", where, limit=50)
            p.birth_date = _partial_date(item.get("birth_date"), where)
            p.death_date = _partial_date(item.get("death_date"), where)
            p.summary = _text(item, "summary", where, limit=5000)
            self._owned(p, item, where)
            self.persons[fid] = p
            self._count("persons", created)

    def import_memberships(self):
        db.session.flush()
        claimed: set[Membership] = set()  # what this import already wrote (never matched twice)
        written: dict[str, Membership] = {}  # by source id (not flushed yet: queries do not see them)
        stored: dict[str, Membership] = {}  # the file's persons' stored memberships, by source id
        known = sorted({p.id for p in self.persons.values() if id(p) not in self.new_persons})
        for i in range(0, len(known), 900):
            stored.update((m.source_id, m) for m in db.session.scalars(
                select(Membership).where(Membership.person_id.in_(known[i:i + 900]))))
        for n, item in enumerate(self.data.get("memberships") or []):
            where = f"memberships[{n}]"
            pid = str(item.get("person_id") or "")
            person = self.persons.get(pid) or (
                db.session.scalar(select(Person).where(Person.source_id == pid)) if pid else None)
            if person is None:
                raise PopoloError(f"{where}: no person with id '{pid}'.")
            org = None
            if item.get("organization_id"):
                ref = str(item["organization_id"])
                org = self._org_stub(ref) if item.get(NESTED) else self._org_ref(ref, where)
            post = None
            if item.get("post_id"):
                post = self.posts.get(str(item["post_id"])) or db.session.scalar(
                    select(Post).where(Post.source_id == str(item["post_id"])))
                if post is None:
                    raise PopoloError(f"{where}: no post with id '{item['post_id']}'.")
                org = org or post.organisation
            if org is None:
                raise PopoloError(f"{where}: needs an organization_id or a post_id.")
            lp = None
            if item.get("legislative_period_id"):
                lp = self.periods.get(str(item["legislative_period_id"])) or db.session.scalar(
                    select(LegislativePeriod).where(LegislativePeriod.source_id == str(item["legislative_period_id"])))
                if lp is None:
                    raise PopoloError(f"{where}: no legislative period with id '{item['legislative_period_id']}'.")
            area_ref = str(item["area_id"]) if item.get("area_id") else None
            if area_ref is not None and area_ref not in self.area_links:
                raise PopoloError(f"{where}: no area with id '{area_ref}'.")
            start = parse_date(item.get("start_date"), where=where)
            sid = _text(item, "id", where, limit=200)
            if not sid:  # no id in the file: a key from what identifies this membership
                key = "|".join(str(x) for x in (pid, org.source_id or org.id, item.get("post_id"), area_ref,
                                                item.get("legislative_period_id"), item.get("start_date"),
                                                item.get("role")))
                sid = "auto:" + hashlib.sha1(key.encode()).hexdigest()
            area_id = self.area_links.get(area_ref) if area_ref else None
            role = _text(item, "role", where, limit=200)
            m = written.get(sid) or stored.get(sid) or (
                None if id(person) in self.new_persons and sid.startswith("auto:")
                else db.session.scalar(select(Membership).where(Membership.source_id == sid)))
            if m is None and id(person) not in self.new_persons:  # another site's export carries that site's id
                m = self._same_membership(person, org, post, lp, area_id, start, role, claimed)
            created = m is None
            if created:
                m = Membership(source_id=sid)
                db.session.add(m)
            claimed.add(m)
            written[sid] = m
            m.person, m.organisation, m.post, m.legislative_period = person, org, post, lp
            m.on_behalf_of = (self._org_ref(str(item["on_behalf_of_id"]), where)
                              if item.get("on_behalf_of_id") else None)
            m.area_source = area_ref
            m.area_id = area_id
            m.role = role
            m.label = _text(item, "label", where)
            m.start_date = start
            m.end_date = parse_date(item.get("end_date"), end=True, where=where)
            if m.start_date and m.end_date and m.end_date < m.start_date:
                raise PopoloError(f"{where}: the end date {item.get('end_date')} is before the start date "
                                  f"{item.get('start_date')}.")
            self._count("memberships", created)

    @staticmethod
    def _same_membership(person, org, post, lp, area_id, start, role, claimed):
        """An existing membership saying the same thing (same person, body, post, area, term,
        start and role) that this import has not written yet."""
        def same(column, value):
            return column.is_(None) if value is None else column == value

        rows = db.session.scalars(select(Membership).where(
            Membership.person_id == person.id, Membership.organisation_id == org.id,
            same(Membership.post_id, post.id if post else None),
            same(Membership.legislative_period_id, lp.id if lp else None),
            same(Membership.area_id, area_id), same(Membership.start_date, start), same(Membership.role, role),
        ).order_by(Membership.id))
        return next((m for m in rows if m not in claimed), None)


def import_popolo(data, area_types=None) -> Summary:
    """Import parsed Popolo JSON (any layout popolo_layouts accepts); raises PopoloError (the
    caller rolls back)."""
    return _Importer(data, area_types).run()


def import_popolo_files(files, area_types=None) -> Summary:
    """Import several parsed files [(name, data)] in one transaction, organisation-only files
    first; an error names its file. Stubs made by one file and completed by a later one are
    not reported."""
    total = Summary()
    for name, data in organisations_first([(name, normalise(data, name)) for name, data in files]):
        try:
            total.add(_Importer(data, area_types).run())
        except PopoloError as exc:
            raise PopoloError(f"{name}: {exc}") from exc
    db.session.flush()
    stubs = db.session.execute(select(Organisation.source_id).where(
        Organisation.source_id.in_(total.stub_organisations), Organisation.name == Organisation.source_id,
        Organisation.classification.is_(None))).scalars().all() if total.stub_organisations else []
    total.stub_organisations = sorted(stubs)
    return total
