"""State changes behind the directory's admin pages: each flushes and records its audit entry;
the route commits (one transaction per action)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..core import audit
from ..extensions import db
from .bodies_csv import BodiesError, _area
from .forms import parse_names
from .models import ContactDetail, Membership, Organisation, OrganisationArea, OtherName, Person


def _text(value) -> str | None:
    return (value or "").strip() or None


def _set_names(obj, text) -> None:
    given = parse_names(text)
    obj.other_names = [n for n in obj.other_names if not n.lang] + [
        OtherName(name=v, lang=k, note="multilingual") for k, v in given.items()
    ]


def _apply_org(org: Organisation, form) -> None:
    codes = [c.strip() for c in (form.area_codes.data or "").split(";") if c.strip()]
    wanted = {}
    for code in codes:  # resolve first: an unknown code changes nothing
        wanted.setdefault(_area(code, code), code)
    org.name = (form.name.data or "").strip()
    _set_names(org, form.names.data)
    org.classification = _text(form.classification.data)
    org.parent_id = form.parent_id.data or None
    tags = form.tags.data
    org.tags = tags if isinstance(tags, list) else (tags or "").split(";")
    org.email = _text(form.email.data)
    org.foi_email = _text(form.foi_email.data)
    org.website = _text(form.website.data)
    org.language = form.language.data or None
    keep = {a.area_id: a for a in org.areas}
    org.areas = [keep.get(a) or OrganisationArea(area_id=a, code=c) for a, c in wanted.items()]


def save_organisation(org: Organisation | None, form, actor_id) -> Organisation | None:
    """Create or change an organisation from its form. None, with the error on the form's
    area-codes field, when a code names no area (nothing is changed then)."""
    target = org or Organisation(name="")
    try:
        with db.session.no_autoflush:
            _apply_org(target, form)
    except BodiesError:
        form.area_codes.errors.append(_("One of these area codes is unknown."))
        return None
    if org is None:
        db.session.add(target)
    db.session.flush()
    audit.record(actor_id, "directory.organisation.save", "organisation", target.id)
    return target


def save_person(p: Person | None, form, actor_id) -> Person:
    target = p or Person(name="")
    target.name = (form.name.data or "").strip()
    target.sort_name = _text(form.sort_name.data)
    _set_names(target, form.names.data)
    target.email = _text(form.email.data)
    if p is not None and target.email != p.email:
        target.email_failing = None
    target.image = _text(form.image.data)
    target.gender = _text(form.gender.data)
    target.birth_date = _text(form.birth_date.data)
    target.summary = _text(form.summary.data)
    if p is None:
        db.session.add(target)
    db.session.flush()
    audit.record(actor_id, "directory.person.save", "person", target.id)
    return target


def save_membership(m: Membership | None, person_id: int, form, actor_id) -> Membership | None:
    """Create or change a membership; None, with the error on the form, when its area code names
    no area."""
    area_id = None
    code = (form.area_code.data or "").strip()
    if code:
        try:
            area_id = _area(code, "")
        except BodiesError:
            form.area_code.errors.append(_("No area has this code."))
            return None
    target = m or Membership(person_id=person_id)
    target.organisation_id = form.organisation_id.data
    target.role = _text(form.role.data)
    target.on_behalf_of_id = form.on_behalf_of_id.data or None
    target.legislative_period_id = form.legislative_period_id.data or None
    target.area_id = area_id
    target.start_date, target.end_date = form.start_date.data, form.end_date.data
    if m is None:
        db.session.add(target)
    db.session.flush()
    audit.record(actor_id, "directory.membership.save", "membership", target.id)
    return target


def delete_membership(m: Membership, actor_id) -> int:
    """Delete a membership; returns its person's id (where the admin goes back to)."""
    person_id, membership_id = m.person_id, m.id
    db.session.delete(m)
    audit.record(actor_id, "directory.membership.delete", "membership", membership_id)
    db.session.flush()
    return person_id


def add_contact(kind: str, owner: Person | Organisation, form, actor_id) -> ContactDetail:
    # Phone numbers are stored in E.164 (parsed with the profile's region), whatever was typed.
    value = getattr(form, "normalised", None) or (form.value.data or "").strip()
    detail = ContactDetail(type=form.type.data, value=value, label=_text(form.label.data), private=form.private.data)
    owner.contact_details.append(detail)
    audit.record(actor_id, "directory.contact.add", kind, owner.id)
    db.session.flush()
    return detail


def delete_contact(c: ContactDetail, actor_id) -> tuple[int | None, int | None]:
    """Delete a contact detail; returns (person id, organisation id) of its owner."""
    owner = (c.person_id, c.organisation_id)
    contact_id = c.id
    db.session.delete(c)
    audit.record(actor_id, "directory.contact.delete", "contact", contact_id)
    db.session.flush()
    return owner
