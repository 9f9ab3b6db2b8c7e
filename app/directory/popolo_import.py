"""Import a Popolo JSON file (such as EveryPolitician's) into the directory.

All or nothing: the caller commits on success and rolls back on PopoloError. Entities are
matched by the file's id (kept in `source_id`), else by one of their identifiers, so a
re-import updates rows in place. A Plaza export says where each entity first came from in a
`plaza-source` identifier: that id, not the exporting site's own, becomes `source_id`, so a
chain of Plazas (and the original file) all match the same rows; a membership with an unknown
id is matched by what it says. Areas: popolo_areas; layouts: popolo_layouts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import (
    LEGISLATIVE_PERIOD,
    ContactDetail,
    Identifier,
    LegislativePeriod,
    Link,
    Organisation,
    OrganisationArea,
    OtherName,
    Person,
    Post,
)
from .popolo_areas import AreaLinking
from .popolo_fields import (
    as_list,
    images,
    lang,
    other_identifiers,
    parse_date,
    partial_date,
    source_id,
    text,
)
from .popolo_layouts import PopoloError, normalise, organisations_first
from .popolo_memberships import MembershipImport

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


class _Importer(AreaLinking, MembershipImport):
    def __init__(self, data, area_types=None):
        self.data = normalise(data)
        self.area_types = tuple(area_types or ())
        self.summary = Summary()
        self.orgs: dict[str, Organisation] = {}
        self.persons: dict[str, Person] = {}
        self.periods: dict[str, LegislativePeriod] = {}
        self.posts: dict[str, Post] = {}
        self.area_links: dict[str, int | None] = {}
        self.file_ids = {
            source_id(x, str(x.get("id")))
            for key in ("persons", "organizations")
            for x in (self.data.get(key) or [])
            if isinstance(x, dict)
        }
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
                        select(model)
                        .join(Identifier, owner == model.id)
                        .where(
                            Identifier.scheme == ident.get("scheme"),
                            Identifier.identifier == str(ident.get("identifier")),
                        )
                    ).all()
                found = [
                    f
                    for f in found
                    if id(f) not in taken
                    and (f.source_id is None or f.source_id == source_id or f.source_id not in self.file_ids)
                ]
                if found:
                    obj = found[0]
                    break
        return obj

    def _owned(self, obj, item, where):
        """Replace other names, identifiers, contact details and links from the file's entry."""
        obj.other_names = [
            OtherName(
                name=text(n, "name", f"{where} other_names", required=True),
                lang=lang(n.get("lang"), where),
                note=text(n, "note", where, limit=200),
                start_date=partial_date(n.get("start_date"), where),
                end_date=partial_date(n.get("end_date"), where),
            )
            for n in as_list(item, "other_names", where)
        ]
        obj.identifiers = [
            Identifier(
                scheme=text(i, "scheme", where, limit=100), identifier=text(i, "identifier", where, required=True)
            )
            for i in other_identifiers(item, where)
        ]
        details = [
            ContactDetail(
                type=text(c, "type", f"{where} contact_details", required=True, limit=50),
                value=text(c, "value", f"{where} contact_details", required=True, limit=2000),
                label=text(c, "label", where, limit=200),
                note=text(c, "note", where, limit=200),
                private=bool(c.get("private")),
            )
            for c in as_list(item, "contact_details", where)
        ]
        if not any(c.type.lower() in _EMAIL_TYPES for c in details):
            # Exports never carry emails: a file without any keeps the addresses already stored.
            details += [c for c in obj.contact_details if (c.type or "").lower() in _EMAIL_TYPES]
        obj.contact_details = details
        obj.links = [
            Link(
                url=text(ln, "url", f"{where} links", required=True, limit=1000),
                note=text(ln, "note", where, limit=200),
            )
            for ln in as_list(item, "links", where)
        ]

    def _count(self, kind, created):
        (self.summary.created if created else self.summary.updated)[kind] += 1

    # -- steps -------------------------------------------------------------------------
    def run(self) -> Summary:
        for key in ("persons", "organizations", "memberships", "posts", "events", "areas"):
            as_list(self.data, key, "The file")
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
        ids = sorted({source_id(x, str(x.get("id"))) for x in self.data.get("persons") or [] if isinstance(x, dict)})
        for i in range(0, len(ids), 900):
            self.known_persons.update(
                (p.source_id, p)
                for p in db.session.scalars(
                    select(Person)
                    .where(Person.source_id.in_(ids[i : i + 900]))
                    .options(
                        selectinload(Person.identifiers),
                        selectinload(Person.contact_details),
                        selectinload(Person.links),
                    )
                )
            )
        values = sorted(
            {
                str(i.get("identifier"))
                for x in self.data.get("persons") or []
                if isinstance(x, dict)
                for i in other_identifiers(x, "persons")
            }
        )
        for i in range(0, len(values), 900):
            rows = db.session.execute(
                select(Identifier.scheme, Identifier.identifier, Person)
                .join(Person, Identifier.person_id == Person.id)
                .where(Identifier.identifier.in_(values[i : i + 900]))
                .order_by(Person.id)
            )
            for scheme, value, person in rows:
                self.person_idents.setdefault((scheme, value), []).append(person)

    def import_orgs(self):
        parents = {}
        for n, item in enumerate(self.data.get("organizations") or []):
            where = f"organizations[{n}]"
            fid = text(item, "id", where, required=True, limit=200)  # what the file's references use
            sid = source_id(item, fid)
            org = self._find(Organisation, sid, other_identifiers(item, where), self.orgs)
            created = org is None
            if created:
                org = Organisation(source_id=sid)
                db.session.add(org)
            elif org.source_id is None:
                org.source_id = sid
            org.name = text(item, "name", where, required=True)
            org.classification = text(item, "classification", where, limit=100)
            org.image = text(item, "image", where, limit=1000)
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
        """A party known only by a nested membership's id: named by that id until its file comes."""
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
            fid = text(item, "id", where, required=True, limit=200)
            sid = source_id(item, fid)
            lp = db.session.scalar(select(LegislativePeriod).where(LegislativePeriod.source_id == sid))
            created = lp is None
            if created:
                lp = LegislativePeriod(source_id=sid)
                db.session.add(lp)
            lp.name = text(item, "name", where) or fid
            lp.classification = (text(item, "classification", where, limit=100) or LEGISLATIVE_PERIOD).lower()
            lp.start_date = parse_date(item.get("start_date"), where=where)
            lp.end_date = parse_date(item.get("end_date"), end=True, where=where)
            lp.identifiers = [
                {"scheme": i.get("scheme"), "identifier": str(i.get("identifier"))}
                for i in other_identifiers(item, where)
            ]
            if item.get("organization_id"):
                lp.organisation_id = self._org_ref(str(item["organization_id"]), where).id
            self.periods[fid] = lp
            self._count("legislative periods" if lp.classification == LEGISLATIVE_PERIOD else "events", created)

    def import_posts(self):
        for n, item in enumerate(self.data.get("posts") or []):
            where = f"posts[{n}]"
            sid = text(item, "id", where, required=True, limit=200)
            post = db.session.scalar(select(Post).where(Post.source_id == sid))
            created = post is None
            if created:
                post = Post(source_id=sid)
                db.session.add(post)
            post.label = text(item, "label", where, required=True)
            post.role = text(item, "role", where, limit=200)
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
            fid = text(item, "id", where, required=True, limit=200)
            if fid in self.persons:
                raise PopoloError(f"{where}: the id '{fid}' is given to two persons in this file.")
            sid = source_id(item, fid)
            p = self._find(Person, sid, other_identifiers(item, where), self.persons)
            created = p is None
            if created:
                p = Person(source_id=sid)
                db.session.add(p)
                self.new_persons.add(id(p))
            elif p.source_id is None:
                p.source_id = sid
            p.name = text(item, "name", where, required=True)
            p.sort_name = text(item, "sort_name", where)
            p.given_name = text(item, "given_name", where)
            p.family_name = text(item, "family_name", where)
            email = text(item, "email", where, limit=254)
            if email and "@" not in email:
                raise PopoloError(f"{where}: '{email}' is not an email address.")
            if email or "email" in item:  # absent (as in every export): the stored address stays
                p.email = email
            p.image = text(item, "image", where, limit=1000)
            p.images = images(item, where)
            p.gender = text(item, "gender", where, limit=50)
            p.birth_date = partial_date(item.get("birth_date"), where)
            p.death_date = partial_date(item.get("death_date"), where)
            p.summary = text(item, "summary", where, limit=5000)
            self._owned(p, item, where)
            self.persons[fid] = p
            self._count("persons", created)


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
    stubs = (
        db.session.execute(
            select(Organisation.source_id).where(
                Organisation.source_id.in_(total.stub_organisations),
                Organisation.name == Organisation.source_id,
                Organisation.classification.is_(None),
            )
        )
        .scalars()
        .all()
        if total.stub_organisations
        else []
    )
    total.stub_organisations = sorted(stubs)
    return total
