"""Reads behind the directory's pages (public and admin): lists, detail pages, choices, counts.
Internal to the component; other components use services.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..areas import services as areas
from ..extensions import db
from . import services
from .models import (
    LEGISLATIVE_PERIOD,
    ContactDetail,
    LegislativePeriod,
    Membership,
    Organisation,
    Person,
    Post,
)


@dataclass(frozen=True)
class Listing:
    rows: list
    total: int


def _current_exists(today=None):
    """EXISTS a current membership of the outer Person."""
    return exists(
        select(Membership.id)
        .outerjoin(LegislativePeriod, Membership.legislative_period_id == LegislativePeriod.id)
        .where(Membership.person_id == Person.id, services.current_clause(today))
    )


def _count(model, where) -> int:
    return db.session.scalar(select(func.count(model.id)).where(*where)) or 0


def area_infos(ids) -> dict:
    """AreaInfo by id for the areas a page names (one call to areas)."""
    return {a.id: a for a in areas.areas(sorted(i for i in ids if i))}


# -- public pages ---------------------------------------------------------------------------------
def people(q: str, status: str, org_id: int | None, page: int, per_page: int) -> Listing:
    where = []
    if q:
        where.append(services._name_match(Person, q))
    if org_id:
        where.append(
            Person.id.in_(
                select(Membership.person_id).where(
                    or_(Membership.organisation_id == org_id, Membership.on_behalf_of_id == org_id)
                )
            )
        )
    if status == "current":
        where.append(_current_exists())
    elif status == "former":
        where.append(and_(Person.id.in_(select(Membership.person_id)), ~_current_exists()))
    rows = db.session.scalars(
        select(Person)
        .where(*where)
        .order_by(func.coalesce(Person.sort_name, Person.name), Person.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Listing(list(rows), _count(Person, where))


@dataclass(frozen=True)
class PeoplePage:
    rows: list
    total: int
    current_ids: set
    organisations: list


def people_page(q: str, status: str, org_id: int | None, page: int, per_page: int) -> PeoplePage:
    """The people list: a page of matches, which of them are current, the organisation filter."""
    found = people(q, status, org_id, page, per_page)
    return PeoplePage(
        found.rows, found.total, current_person_ids(p.id for p in found.rows), organisations_with_members()
    )


def current_person_ids(ids) -> set[int]:
    """Which of these persons hold a membership today."""
    ids = list(ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), _current_exists())))


def organisations_with_members() -> list[Organisation]:
    """The organisations the people filter offers: those someone is (or was) a member of."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(select(Membership.organisation_id).union(select(Membership.on_behalf_of_id))))
            .order_by(Organisation.name)
        )
    )


def person_memberships(person_id: int) -> list[Membership]:
    """A person's memberships, newest first (by start date, or their period's)."""
    ms = db.session.scalars(
        select(Membership)
        .where(Membership.person_id == person_id)
        .options(
            selectinload(Membership.organisation),
            selectinload(Membership.on_behalf_of),
            selectinload(Membership.post),
            selectinload(Membership.legislative_period),
        )
    ).all()
    return sorted(
        ms,
        key=lambda m: (
            m.start_date or (m.legislative_period.start_date if m.legislative_period else None) or dt.date.min
        ),
        reverse=True,
    )


def organisations(q: str, page: int, per_page: int) -> Listing:
    where = [services._name_match(Organisation, q)] if q else []
    rows = db.session.scalars(
        select(Organisation)
        .where(*where)
        .order_by(Organisation.name, Organisation.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return Listing(list(rows), _count(Organisation, where))


@dataclass(frozen=True)
class OrganisationPage:
    org: Organisation
    members: list
    posts: list
    children: list
    areas: dict


def organisation_page(org_id: int, current_only: bool) -> OrganisationPage | None:
    org = organisation(org_id)
    if org is None:
        return None
    members = organisation_members(org.id, current_only)
    posts = organisation_posts(org.id)
    area_ids = set(org.area_ids) | {m.effective_area_id for m in members} | {p.area_id for p in posts}
    return OrganisationPage(org, members, posts, organisation_children(org.id), area_infos(area_ids))


@dataclass(frozen=True)
class PersonPage:
    person: Person
    memberships: list
    areas: dict


def person_page(person_id: int) -> PersonPage | None:
    p = person(person_id)
    if p is None:
        return None
    ms = person_memberships(p.id)
    return PersonPage(p, ms, area_infos({m.effective_area_id for m in ms}))


def organisation_members(org_id: int, current_only: bool) -> list[Membership]:
    """Members of an organisation, by name. A party's members are linked "on behalf of" it
    (EveryPolitician: organization_id is the legislature), as the people filter counts them."""
    stmt = (
        select(Membership)
        .outerjoin(LegislativePeriod, Membership.legislative_period_id == LegislativePeriod.id)
        .where(or_(Membership.organisation_id == org_id, Membership.on_behalf_of_id == org_id))
        .options(
            selectinload(Membership.person),
            selectinload(Membership.on_behalf_of),
            selectinload(Membership.post),
            selectinload(Membership.legislative_period),
        )
    )
    if current_only:
        stmt = stmt.where(services.current_clause())
    return sorted(
        db.session.scalars(stmt).all(), key=lambda m: ((m.person.sort_name or m.person.name).casefold(), m.id)
    )


def organisation_posts(org_id: int) -> list[Post]:
    return list(db.session.scalars(select(Post).where(Post.organisation_id == org_id).order_by(Post.label)))


def organisation_children(org_id: int) -> list[Organisation]:
    return list(
        db.session.scalars(select(Organisation).where(Organisation.parent_id == org_id).order_by(Organisation.name))
    )


def dashboard_counts() -> dict[str, int]:
    """The admin dashboard's directory figures."""
    return {
        "bodies": _count(Organisation, [services._is_body()]),
        "people": _count(Person, []),
        "missing_email": _count(Organisation, _missing_email_where()),
        "failing": _count(Person, [services.failing_people_clause()]),
    }


# -- admin pages ----------------------------------------------------------------------------------
def person(person_id) -> Person | None:
    return db.session.get(Person, person_id) if person_id else None


def organisation(org_id) -> Organisation | None:
    return db.session.get(Organisation, org_id) if org_id else None


def membership(membership_id) -> Membership | None:
    return db.session.get(Membership, membership_id) if membership_id else None


def contact(contact_id) -> ContactDetail | None:
    return db.session.get(ContactDetail, contact_id) if contact_id else None


def contact_owner(kind: str, owner_id: int) -> Person | Organisation | None:
    """The person ("people") or organisation ("organisations") a contact detail is added to."""
    return db.session.get(Person if kind == "people" else Organisation, owner_id)


def memberships_of(person_id: int) -> list[Membership]:
    return list(db.session.scalars(select(Membership).where(Membership.person_id == person_id)))


@dataclass(frozen=True)
class AdminSearch:
    people: list
    orgs: list
    totals: dict
    counts: dict


def admin_search(q: str, show: str, page: int, per_page: int) -> AdminSearch:
    """Search people and organisations by name; show="bodies" or "people" lists only those."""
    people = orgs = []
    totals = {}
    if q or show:
        if show != "bodies":
            where = [services._name_match(Person, q)] if q else []
            totals["people"] = _count(Person, where)
            people = list(
                db.session.scalars(
                    select(Person)
                    .where(*where)
                    .order_by(Person.name, Person.id)
                    .offset((page - 1) * per_page)
                    .limit(per_page)
                )
            )
        if show != "people":
            where = [services._name_match(Organisation, q)] if q else []
            if show == "bodies":
                where.append(services._is_body())
            totals["orgs"] = _count(Organisation, where)
            orgs = list(
                db.session.scalars(
                    select(Organisation)
                    .where(*where)
                    .order_by(Organisation.name, Organisation.id)
                    .offset((page - 1) * per_page)
                    .limit(per_page)
                )
            )
    counts = {"people": _count(Person, []), "organisations": _count(Organisation, [])}
    return AdminSearch(people, orgs, totals, counts)


def _missing_email_where():
    return [
        services._is_body(),
        or_(Organisation.email.is_(None), Organisation.email == ""),
        or_(Organisation.foi_email.is_(None), Organisation.foi_email == ""),
    ]


@dataclass(frozen=True)
class MissingEmail:
    bodies: list
    failing: list
    failing_people: list


def missing_email() -> MissingEmail:
    """Bodies with no address at all, bodies and people whose address bounces (up to 500)."""
    bodies = db.session.scalars(select(Organisation).where(*_missing_email_where()).order_by(Organisation.name))
    failing = db.session.scalars(select(Organisation).where(Organisation.email_failing.is_not(None)))
    people = db.session.scalars(
        select(Person)
        .where(services.failing_people_clause())
        .options(selectinload(Person.contact_details))
        .order_by(func.coalesce(Person.sort_name, Person.name), Person.id)
        .limit(500)
    )
    return MissingEmail(list(bodies), list(failing), list(people))


def organisation_choices() -> list[tuple[int, str]]:
    return [
        tuple(r) for r in db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name))
    ]


def period_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(LegislativePeriod.id, LegislativePeriod.name)
        .where(LegislativePeriod.classification == LEGISLATIVE_PERIOD)
        .order_by(LegislativePeriod.start_date)
    )
    return [tuple(r) for r in rows]
