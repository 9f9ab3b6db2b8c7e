"""The directory's public face: bodies, persons and current representatives.

Other components call only these functions and get frozen dataclasses back. Services never
commit. A membership is current when its own end date, or else its legislative period's end
date, is absent or not yet past (real files leave finished terms' members without end dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .joins import (  # noqa: F401  (the doors for bulk joins, re-exported here)
    PartyMembership,
    PersonCandidate,
    PersonLink,
    organisation_ids_by_identifier,
    organisation_ids_by_popolo_id,
    party_memberships,
    party_on,
    person_ids_by_identifier,
    person_ids_by_popolo_id,
    person_links,
    persons_by_names,
)
from .models import (
    ContactDetail,
    LegislativePeriod,
    Membership,
    Organisation,
    OrganisationArea,
    OtherName,
    Person,
    Post,
)

# Classifications that are not public bodies (they never receive reports or requests).
NOT_BODIES = ("party",)


@dataclass(frozen=True)
class BodyInfo:
    id: int
    name: str
    classification: str
    tags: tuple[str, ...]
    email: str | None
    foi_email: str | None
    website: str | None
    area_ids: tuple[int, ...]
    language: str | None


@dataclass(frozen=True)
class PersonInfo:
    id: int
    name: str
    image_url: str | None
    summary: str | None


@dataclass(frozen=True)
class Representative:
    person_id: int
    person_name: str
    image_url: str | None
    organisation_id: int
    organisation_name: str
    role: str | None
    post_label: str | None
    area_id: int | None
    area_name: str | None
    area_type: str | None
    party_name: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    area_level: int = 0


# -- helpers ---------------------------------------------------------------------------
def lang_tag() -> str:
    from ..core.i18n import current_language

    return current_language().tag


def today() -> dt.date:
    return dt.date.today()


def current_clause(today_: dt.date | None = None):
    """SQL condition: the membership is current (needs LegislativePeriod outer-joined)."""
    day = today_ or today()
    return or_(
        Membership.end_date >= day,
        and_(Membership.end_date.is_(None),
             or_(LegislativePeriod.end_date.is_(None), LegislativePeriod.end_date >= day)),
    )


def _body(org: Organisation, tag: str) -> BodyInfo:
    return BodyInfo(
        id=org.id, name=org.name_in(tag), classification=org.classification or "", tags=tuple(org.tags),
        email=org.email, foi_email=org.foi_email, website=org.website, area_ids=org.area_ids,
        language=org.language,
    )


def _person(p: Person, tag: str) -> PersonInfo:
    return PersonInfo(id=p.id, name=p.name_in(tag), image_url=p.image, summary=p.summary)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


# -- bodies ----------------------------------------------------------------------------
def get_body(org_id) -> BodyInfo | None:
    org_id = _int(org_id)
    org = db.session.get(Organisation, org_id) if org_id is not None else None
    return _body(org, lang_tag()) if org else None


def bodies(ids) -> list[BodyInfo]:
    ids = [i for i in (_int(x) for x in ids) if i is not None]
    if not ids:
        return []
    rows = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(ids)))}
    tag = lang_tag()
    return [_body(rows[i], tag) for i in dict.fromkeys(ids) if i in rows]


def _is_body():
    return or_(Organisation.classification.is_(None), Organisation.classification.not_in(NOT_BODIES))


def bodies_for_areas(area_ids) -> list[BodyInfo]:
    """Organisations (not parties) whose covered areas intersect `area_ids`."""
    from ..areas import services as areas_services

    ids = [i for i in (_int(x) for x in area_ids) if i is not None]
    if not ids:
        return []
    ids = list(areas_services.versions(ids))  # a body tied to an older version of the area
    stmt = (select(Organisation).where(
        _is_body(),
        Organisation.id.in_(select(OrganisationArea.organisation_id).where(OrganisationArea.area_id.in_(ids))),
    ).order_by(Organisation.name, Organisation.id))
    tag = lang_tag()
    return [_body(o, tag) for o in db.session.scalars(stmt)]


def bodies_covering_point(lat, lon) -> list[BodyInfo]:
    from ..areas import services as areas_services

    return bodies_for_areas([a.id for a in areas_services.areas_at(lat, lon)])


def _name_match(model, q: str):
    like = f"%{q.lower()}%"
    owner = OtherName.person_id if model is Person else OtherName.organisation_id
    return or_(func.lower(model.name).like(like),
               model.id.in_(select(owner).where(func.lower(OtherName.name).like(like))))


def search_bodies(q=None, tag=None, area_id=None, has_foi_email=None, limit=50, offset=0):
    """(bodies, total) matching a name (any language), a tag, a covered area, having an FOI email."""
    where = [_is_body()]
    if q and q.strip():
        where.append(_name_match(Organisation, q.strip()))
    if tag:
        where.append(Organisation.tags_text.like(f"%;{tag.strip()};%"))
    if area_id is not None:
        where.append(Organisation.id.in_(
            select(OrganisationArea.organisation_id).where(OrganisationArea.area_id == _int(area_id))))
    if has_foi_email is True:
        where.append(and_(Organisation.foi_email.is_not(None), Organisation.foi_email != ""))
    elif has_foi_email is False:
        where.append(or_(Organisation.foi_email.is_(None), Organisation.foi_email == ""))
    total = db.session.scalar(select(func.count(Organisation.id)).where(*where)) or 0
    stmt = select(Organisation).where(*where).order_by(Organisation.name, Organisation.id)
    rows = db.session.scalars(stmt.offset(max(0, int(offset))).limit(max(0, int(limit))))
    tag_ = lang_tag()
    return [_body(o, tag_) for o in rows], total


# -- persons ---------------------------------------------------------------------------
def get_person(person_id) -> PersonInfo | None:
    person_id = _int(person_id)
    p = db.session.get(Person, person_id) if person_id is not None else None
    return _person(p, lang_tag()) if p else None


def persons(ids) -> list[PersonInfo]:
    ids = [i for i in (_int(x) for x in ids) if i is not None]
    if not ids:
        return []
    rows = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
    tag = lang_tag()
    return [_person(rows[i], tag) for i in dict.fromkeys(ids) if i in rows]


def failing_people_clause():
    """SQL: a Person whose own address, or one of their email contact details, bounced."""
    failing_contact = select(ContactDetail.person_id).where(
        ContactDetail.person_id.is_not(None), ContactDetail.type == "email", ContactDetail.failing.is_not(None))
    return or_(Person.email_failing.is_not(None), Person.id.in_(failing_contact))


def persons_with_email(ids) -> set[int]:
    """Which of these persons have an address that works (to flag the others before writing)."""
    ids = [i for i in (_int(x) for x in ids) if i is not None]
    if not ids:
        return set()
    usable_own = and_(Person.email.is_not(None), Person.email != "", Person.email_failing.is_(None))
    found = set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), usable_own)))
    found |= set(db.session.scalars(select(ContactDetail.person_id).where(
        ContactDetail.person_id.in_(ids), ContactDetail.type == "email", ContactDetail.value != "",
        ContactDetail.failing.is_(None))))
    return found


def person_addresses(person_ids) -> dict[int, set[str]]:
    """Every address known for these persons (own and email contact details, failing or not),
    lower-cased: to recognise their replies. Private: never shown."""
    ids = [i for i in (_int(x) for x in person_ids) if i is not None]
    out: dict[int, set[str]] = {i: set() for i in ids}
    if not ids:
        return out
    for pid, email in db.session.execute(select(Person.id, Person.email).where(Person.id.in_(ids))):
        if email and email.strip():
            out[pid].add(email.strip().lower())
    for pid, value in db.session.execute(select(ContactDetail.person_id, ContactDetail.value).where(
            ContactDetail.person_id.in_(ids), ContactDetail.type == "email")):
        if value and value.strip():
            out[pid].add(value.strip().lower())
    return out


def person_email(person_id) -> str | None:
    """The address to send to (private: never shown). Failing addresses are skipped."""
    p = db.session.get(Person, _int(person_id)) if _int(person_id) is not None else None
    if p is None:
        return None
    if p.email and not p.email_failing:
        return p.email
    for c in p.contact_details:
        if c.type == "email" and c.value and not c.failing:
            return c.value
    return None


# -- representatives ---------------------------------------------------------------------
def current_representatives(area_ids) -> list[Representative]:
    """Every current membership tied to one of `area_ids` (own area or its post's area).

    A constant number of queries whatever the number of people: one for the memberships with
    their people, organisations and parties, one per name table, one for the areas.
    """
    from ..areas import services as areas_services

    ids = [i for i in (_int(x) for x in area_ids) if i is not None]
    if not ids:
        return []
    # Posts stay tied to the area row they were linked to; a new generation may have given the
    # area a new version (row): look through every version, report the one asked about.
    version_of = areas_services.versions(ids)
    area_col = func.coalesce(Membership.area_id, Post.area_id)
    stmt = (
        select(Membership, area_col)
        .outerjoin(Post, Membership.post_id == Post.id)
        .outerjoin(LegislativePeriod, Membership.legislative_period_id == LegislativePeriod.id)
        .where(area_col.in_(list(version_of)), current_clause(), Membership.organisation_id.is_not(None))
        .options(selectinload(Membership.person), selectinload(Membership.organisation),
                 selectinload(Membership.on_behalf_of), selectinload(Membership.post))
    )
    rows = [(m, version_of.get(a, a)) for m, a in db.session.execute(stmt).all()]
    infos = {a.id: a for a in areas_services.areas({r[1] for r in rows})}
    tag = lang_tag()
    out = []
    for m, area_id in rows:
        a = infos.get(area_id)
        out.append(Representative(
            person_id=m.person_id, person_name=m.person.name_in(tag), image_url=m.person.image,
            organisation_id=m.organisation_id, organisation_name=m.organisation.name_in(tag),
            role=m.role or (m.post.role if m.post else None), post_label=m.post.label if m.post else None,
            area_id=area_id, area_name=a.name if a else None, area_type=a.type if a else None,
            party_name=m.on_behalf_of.name_in(tag) if m.on_behalf_of else None,
            start_date=m.start_date, end_date=m.effective_end, area_level=a.level if a else 0,
        ))
    sort_names = {p.id: (p.sort_name or p.name).casefold() for p in {m.person for m, _ in rows}}
    out.sort(key=lambda r: (r.area_level, r.organisation_name.casefold(), (r.area_name or "").casefold(),
                            sort_names.get(r.person_id, ""), r.person_id))
    return out


def representatives_at(lat, lon) -> list[Representative]:
    from ..areas import services as areas_services

    return current_representatives([a.id for a in areas_services.areas_at(lat, lon)])


def representatives_in_area(area_id) -> list[Representative]:
    """Current representatives of a whole area: of every area sharing part of it (a council's
    constituencies and region), not just of one point inside it."""
    from ..areas import services as areas_services

    return current_representatives([a.id for a in areas_services.overlapping(area_id)])


def is_current_representative(person_id) -> bool:
    pid = _int(person_id)
    if pid is None:
        return False
    stmt = (
        select(Membership.id)
        .outerjoin(Post, Membership.post_id == Post.id)
        .outerjoin(LegislativePeriod, Membership.legislative_period_id == LegislativePeriod.id)
        .where(Membership.person_id == pid, current_clause(),
               func.coalesce(Membership.area_id, Post.area_id).is_not(None))
        .limit(1)
    )
    return db.session.scalar(stmt) is not None


def mark_contact_failing(person_id=None, org_id=None, email=None, reason=None) -> None:
    """Bounce handling: mark the matching address(es) as failing so admins see it."""
    email_l = (email or "").strip().lower()
    note = (reason or "bounce")[:1000]
    owners = []
    if _int(person_id) is not None and (p := db.session.get(Person, _int(person_id))):
        owners.append(p)
        if p.email and (not email_l or p.email.lower() == email_l):
            p.email_failing = note
    if _int(org_id) is not None and (o := db.session.get(Organisation, _int(org_id))):
        owners.append(o)
        if (o.email and (not email_l or o.email.lower() == email_l)) or (
                o.foi_email and (not email_l or o.foi_email.lower() == email_l)):
            o.email_failing = note
    for owner in owners:
        for c in owner.contact_details:
            if c.type == "email" and (not email_l or c.value.strip().lower() == email_l):
                c.failing = note
    if not owners and email_l:
        for c in db.session.scalars(select(ContactDetail).where(func.lower(ContactDetail.value) == email_l)):
            c.failing = note


# -- links and the person-page hook -------------------------------------------------------
def person_url(person_id) -> str:
    return url_for("directory.person", person_id=person_id)


def body_url(org_id) -> str:
    return url_for("directory.organisation", org_id=org_id)


# Sections other components add to a person's page ("messages written to them" ...):
# func(person_id) -> (template_name, context dict) or None. Either append here, or call
# register_person_section(app, func, order) from init_app (kept per app).
person_sections: list = []


def register_person_section(app, func, order: int = 50) -> None:
    app.extensions.setdefault("directory_person_sections", []).append((order, func))


def register_organisation_section(app, func, order: int = 50) -> None:
    """Sections other components add to an organisation's page (a body's problem reports ...):
    func(org_id) -> (template_name, context dict) or None."""
    app.extensions.setdefault("directory_organisation_sections", []).append((order, func))


def organisation_section_funcs() -> list:
    return [f for _, f in sorted(current_app.extensions.get("directory_organisation_sections", []),
                                 key=lambda x: x[0])]


def person_section_funcs() -> list:
    registered = [f for _, f in sorted(current_app.extensions.get("directory_person_sections", []),
                                       key=lambda x: x[0])]
    return list(dict.fromkeys(registered + list(person_sections)))
