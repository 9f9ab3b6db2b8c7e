"""The directory's public face: bodies, persons and current representatives.

Other components call only these functions and get frozen dataclasses back. Services never
commit. A membership is current when its own end date, or else its legislative period's end
date, is absent or not yet past (real files leave finished terms' members without end dates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from ..areas import services as areas_services
from ..core.i18n import current_language
from ..extensions import db
from .contacts import (  # noqa: F401  (re-exported: the public door)
    failing_people_clause,
    mark_contact_failing,
    person_addresses,
    person_email,
    persons_with_email,
)
from .hooks import (  # noqa: F401  (re-exported: the public door)
    body_url,
    organisation_section_funcs,
    person_links_extra,
    person_section_funcs,
    person_sections,
    person_url,
    register_organisation_section,
    register_person_link,
    register_person_section,
)
from .joins import (  # noqa: F401  (the doors for bulk joins, re-exported here)
    PartyMembership,
    PersonCandidate,
    PersonLink,
    organisation_ids_by_identifier,
    organisation_ids_by_popolo_id,
    organisation_names,
    party_memberships,
    party_on,
    person_ids_by_identifier,
    person_ids_by_popolo_id,
    person_links,
    persons_by_names,
)
from .models import (
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
    return current_language().tag


def today() -> dt.date:
    return dt.date.today()


def current_clause(today_: dt.date | None = None):
    """SQL condition: the membership is current (needs LegislativePeriod outer-joined)."""
    day = today_ or today()
    return or_(
        Membership.end_date >= day,
        and_(
            Membership.end_date.is_(None), or_(LegislativePeriod.end_date.is_(None), LegislativePeriod.end_date >= day)
        ),
    )


def _body(org: Organisation, tag: str) -> BodyInfo:
    return BodyInfo(
        id=org.id,
        name=org.name_in(tag),
        classification=org.classification or "",
        tags=tuple(org.tags),
        email=org.email,
        foi_email=org.foi_email,
        website=org.website,
        area_ids=org.area_ids,
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
    ids = [i for i in (_int(x) for x in area_ids) if i is not None]
    if not ids:
        return []
    ids = list(areas_services.versions(ids))  # a body tied to an older version of the area
    stmt = (
        select(Organisation)
        .where(
            _is_body(),
            Organisation.id.in_(select(OrganisationArea.organisation_id).where(OrganisationArea.area_id.in_(ids))),
        )
        .order_by(Organisation.name, Organisation.id)
    )
    tag = lang_tag()
    return [_body(o, tag) for o in db.session.scalars(stmt)]


def bodies_covering_point(lat, lon) -> list[BodyInfo]:
    return bodies_for_areas([a.id for a in areas_services.areas_at(lat, lon)])


def _name_match(model, q: str):
    like = f"%{q.lower()}%"
    owner = OtherName.person_id if model is Person else OtherName.organisation_id
    return or_(
        func.lower(model.name).like(like), model.id.in_(select(owner).where(func.lower(OtherName.name).like(like)))
    )


def search_bodies(q=None, tag=None, area_id=None, has_foi_email=None, limit=50, offset=0):
    """(bodies, total) matching a name (any language), a tag, a covered area, having an FOI email."""
    where = [_is_body()]
    if q and q.strip():
        where.append(_name_match(Organisation, q.strip()))
    if tag:
        where.append(Organisation.tags_text.like(f"%;{tag.strip()};%"))
    if area_id is not None:
        where.append(
            Organisation.id.in_(
                select(OrganisationArea.organisation_id).where(OrganisationArea.area_id == _int(area_id))
            )
        )
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


# -- representatives ---------------------------------------------------------------------
def current_representatives(area_ids) -> list[Representative]:
    """Every current membership tied to one of `area_ids` (own area or its post's area).

    A constant number of queries whatever the number of people: one for the memberships with
    their people, organisations and parties, one per name table, one for the areas.
    """
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
        .options(
            selectinload(Membership.person),
            selectinload(Membership.organisation),
            selectinload(Membership.on_behalf_of),
            selectinload(Membership.post),
        )
    )
    rows = [(m, version_of.get(a, a)) for m, a in db.session.execute(stmt).all()]
    infos = {a.id: a for a in areas_services.areas({r[1] for r in rows})}
    tag = lang_tag()
    out = []
    for m, area_id in rows:
        a = infos.get(area_id)
        out.append(
            Representative(
                person_id=m.person_id,
                person_name=m.person.name_in(tag),
                image_url=m.person.image,
                organisation_id=m.organisation_id,
                organisation_name=m.organisation.name_in(tag),
                role=m.role or (m.post.role if m.post else None),
                post_label=m.post.label if m.post else None,
                area_id=area_id,
                area_name=a.name if a else None,
                area_type=a.type if a else None,
                party_name=m.on_behalf_of.name_in(tag) if m.on_behalf_of else None,
                start_date=m.start_date,
                end_date=m.effective_end,
                area_level=a.level if a else 0,
            )
        )
    sort_names = {p.id: (p.sort_name or p.name).casefold() for p in {m.person for m, _ in rows}}
    out.sort(
        key=lambda r: (
            r.area_level,
            r.organisation_name.casefold(),
            (r.area_name or "").casefold(),
            sort_names.get(r.person_id, ""),
            r.person_id,
        )
    )
    return out


@dataclass(frozen=True)
class RepresentativesFound:
    """Who represents a place: `area_ids` are the areas looked at (for grouping); `wide` says
    the place is larger than one seat (the same body has members for several of its areas of
    one type), so the page asks for a street or postcode to narrow it down."""

    representatives: tuple[Representative, ...]
    area_ids: tuple[int, ...]
    wide: bool


def representatives_for(*, lat=None, lon=None, area_id=None, area_ids=None) -> RepresentativesFound | None:
    """Issue #13's rule, once. Give exactly one of:
    - `lat` and `lon`: a point (a postcode, a street, coordinates): the areas covering it;
    - `area_id`: a whole area chosen as the place (a council): every area sharing part of it
      (its constituencies, its region), if it belongs to the live generation, else None;
    - `area_ids`: exactly these areas (none added).
    """
    if area_id is not None:
        info = areas_services.area(area_id)
        gen = areas_services.current_generation()
        if info is None or (
            gen is not None
            and info.generation_low is not None
            and not info.generation_low <= gen <= info.generation_high
        ):
            return None
        ids = [a.id for a in areas_services.overlapping(info.id)]
    elif area_ids is not None:
        ids = [i for i in (_int(x) for x in area_ids) if i is not None]
    elif lat is not None and lon is not None:
        ids = [a.id for a in areas_services.areas_at(lat, lon)]
    else:
        raise TypeError("representatives_for needs lat and lon, area_id or area_ids")
    reps = current_representatives(ids)
    seats = {(r.organisation_id, r.area_type, r.area_id) for r in reps}
    wide = len(seats) != len({(o, t) for o, t, _ in seats})
    return RepresentativesFound(representatives=tuple(reps), area_ids=tuple(ids), wide=wide)


def representatives_at(lat, lon) -> list[Representative]:
    return list(representatives_for(lat=lat, lon=lon).representatives)


def representatives_in_area(area_id) -> list[Representative]:
    """Current representatives of a whole area: of every area sharing part of it (a council's
    constituencies and region), not just of one point inside it."""
    found = representatives_for(area_id=area_id)
    return list(found.representatives) if found else []


def is_current_representative(person_id) -> bool:
    pid = _int(person_id)
    if pid is None:
        return False
    stmt = (
        select(Membership.id)
        .outerjoin(Post, Membership.post_id == Post.id)
        .outerjoin(LegislativePeriod, Membership.legislative_period_id == LegislativePeriod.id)
        .where(
            Membership.person_id == pid, current_clause(), func.coalesce(Membership.area_id, Post.area_id).is_not(None)
        )
        .limit(1)
    )
    return db.session.scalar(stmt) is not None
