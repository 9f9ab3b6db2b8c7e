"""Persons' and bodies' email addresses: which work, which bounced. Private: never shown nor
exported (re-exported by services.py, the public door)."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from .models import ContactDetail, Organisation, Person


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def failing_people_clause():
    """SQL: a Person whose own address, or one of their email contact details, bounced."""
    failing_contact = select(ContactDetail.person_id).where(
        ContactDetail.person_id.is_not(None), ContactDetail.type == "email", ContactDetail.failing.is_not(None)
    )
    return or_(Person.email_failing.is_not(None), Person.id.in_(failing_contact))


def persons_with_email(ids) -> set[int]:
    """Which of these persons have an address that works (to flag the others before writing)."""
    ids = [i for i in (_int(x) for x in ids) if i is not None]
    if not ids:
        return set()
    usable_own = and_(Person.email.is_not(None), Person.email != "", Person.email_failing.is_(None))
    found = set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), usable_own)))
    found |= set(
        db.session.scalars(
            select(ContactDetail.person_id).where(
                ContactDetail.person_id.in_(ids),
                ContactDetail.type == "email",
                ContactDetail.value != "",
                ContactDetail.failing.is_(None),
            )
        )
    )
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
    for pid, value in db.session.execute(
        select(ContactDetail.person_id, ContactDetail.value).where(
            ContactDetail.person_id.in_(ids), ContactDetail.type == "email"
        )
    ):
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
            o.foi_email and (not email_l or o.foi_email.lower() == email_l)
        ):
            o.email_failing = note
    for owner in owners:
        for c in owner.contact_details:
            if c.type == "email" and (not email_l or c.value.strip().lower() == email_l):
                c.failing = note
    if not owners and email_l:
        for c in db.session.scalars(select(ContactDetail).where(func.lower(ContactDetail.value) == email_l)):
            c.failing = note
