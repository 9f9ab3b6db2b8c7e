"""Popolo JSON out of the directory. Private contact details and emails never leave.

Every Popolo field the directory stores goes out, so that import → export → import → export
gives the same file. Emails are the one exception, and the importer knows it: a file without
any email (an export) leaves the addresses already stored in place.

Emails are left out whatever their flag, as on the HTML pages: imported files (EveryPolitician)
carry representatives' addresses as ordinary contact details, Popolo has no "private" flag, and
these are the very addresses the write component sends to.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..areas import services as areas_services
from ..extensions import db
from .models import LEGISLATIVE_PERIOD, LegislativePeriod, Membership, Organisation, Person, Post

# The scheme of the identifier that carries an entity's id in the file it was imported from (an
# EveryPolitician UUID, a bodies CSV id): another Plaza importing this export matches on it.
SOURCE_SCHEME = "plaza-source"


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v not in (None, [], "")}


def _identifiers(pairs, source_id) -> list[dict]:
    out = [_clean({"scheme": scheme, "identifier": ident}) for scheme, ident in pairs if ident]
    if source_id and not any(i.get("scheme") == SOURCE_SCHEME for i in out):
        out.append({"scheme": SOURCE_SCHEME, "identifier": source_id})
    return out


def _is_email(c) -> bool:
    return (c.type or "").strip().lower() in ("email", "e-mail", "mail") or (c.value or "").strip().lower().startswith(
        "mailto:"
    )


def _owned(obj) -> dict:
    return {
        "other_names": [
            _clean({"name": n.name, "lang": n.lang, "note": n.note, "start_date": n.start_date, "end_date": n.end_date})
            for n in obj.other_names
        ],
        "identifiers": _identifiers(((i.scheme, i.identifier) for i in obj.identifiers), obj.source_id),
        "contact_details": [
            _clean({"type": c.type, "value": c.value, "label": c.label, "note": c.note})
            for c in obj.contact_details
            if not c.private and not _is_email(c)
        ],
        "links": [_clean({"url": ln.url, "note": ln.note}) for ln in obj.links],
    }


def person_json(p: Person, memberships=None) -> dict:
    out = {
        "id": str(p.id),
        "name": p.name,
        "sort_name": p.sort_name,
        "given_name": p.given_name,
        "family_name": p.family_name,
        "image": p.image,
        "images": [_clean(i) for i in p.images or []],
        "gender": p.gender,
        "birth_date": p.birth_date,
        "death_date": p.death_date,
        "summary": p.summary,
        **_owned(p),
    }
    if memberships is not None:
        out["memberships"] = [membership_json(m) for m in memberships]
    return _clean(out)


def organisation_json(o: Organisation, posts=None, children=None) -> dict:
    out = {
        "id": str(o.id),
        "name": o.name,
        "classification": o.classification,
        "parent_id": str(o.parent_id) if o.parent_id else None,
        "image": o.image,
        **_owned(o),
    }
    if o.website:
        out["links"] = (
            out["links"] + [{"url": o.website, "note": "website"}]
            if not any(ln["url"] == o.website for ln in out["links"])
            else out["links"]
        )
    area_ids = o.area_ids
    if len(area_ids) == 1:
        out["area_id"] = str(area_ids[0])
    if posts is not None:
        out["posts"] = [post_json(p) for p in posts]
    if children is not None:
        out["children"] = [
            _clean({"id": str(c.id), "name": c.name, "classification": c.classification}) for c in children
        ]
    return _clean(out)


def post_json(p: Post) -> dict:
    return _clean(
        {
            "id": str(p.id),
            "label": p.label,
            "role": p.role,
            "organization_id": str(p.organisation_id),
            "area_id": str(p.area_id) if p.area_id else None,
            "start_date": _date(p.start_date),
            "end_date": _date(p.end_date),
        }
    )


def membership_json(m: Membership) -> dict:
    return _clean(
        {
            "id": str(m.id),
            "person_id": str(m.person_id),
            "role": m.role,
            "label": m.label,
            "organization_id": str(m.organisation_id) if m.organisation_id else None,
            "post_id": str(m.post_id) if m.post_id else None,
            "on_behalf_of_id": str(m.on_behalf_of_id) if m.on_behalf_of_id else None,
            "area_id": str(m.area_id) if m.area_id else None,
            "legislative_period_id": str(m.legislative_period_id) if m.legislative_period_id else None,
            "start_date": _date(m.start_date),
            "end_date": _date(m.end_date),
        }
    )


def event_json(lp: LegislativePeriod) -> dict:
    return _clean(
        {
            "id": str(lp.id),
            "name": lp.name,
            "classification": lp.classification or LEGISLATIVE_PERIOD,
            "start_date": _date(lp.start_date),
            "end_date": _date(lp.end_date),
            "organization_id": str(lp.organisation_id) if lp.organisation_id else None,
            "identifiers": _identifiers(
                ((i.get("scheme"), i.get("identifier")) for i in lp.identifiers or []), lp.source_id
            ),
        }
    )


def area_json(info) -> dict:
    ident = next(iter(sorted(info.codes.items())), None)
    return _clean(
        {
            "id": str(info.id),
            "name": info.name,
            "classification": info.type,
            "identifier": f"{ident[0]}:{ident[1]}" if ident else None,
            "parent_id": str(info.parent_id) if info.parent_id else None,
        }
    )


def full_export() -> dict:
    owned = lambda m: (selectinload(m.identifiers), selectinload(m.contact_details), selectinload(m.links))  # noqa: E731
    people = db.session.scalars(select(Person).order_by(Person.id).options(*owned(Person))).all()
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.id).options(*owned(Organisation))).all()
    members = db.session.scalars(select(Membership).order_by(Membership.id)).all()
    posts = db.session.scalars(select(Post).order_by(Post.id)).all()
    periods = db.session.scalars(select(LegislativePeriod).order_by(LegislativePeriod.id)).all()
    area_ids = {m.area_id for m in members if m.area_id} | {p.area_id for p in posts if p.area_id}
    for o in orgs:
        area_ids.update(o.area_ids)
    return {
        "persons": [person_json(p) for p in people],
        "organizations": [organisation_json(o) for o in orgs],
        "memberships": [membership_json(m) for m in members],
        "posts": [post_json(p) for p in posts],
        "events": [event_json(lp) for lp in periods],
        "areas": [area_json(a) for a in areas_services.areas(sorted(area_ids))],
    }


def person_export(person_id: int) -> dict | None:
    p = db.session.get(Person, person_id)
    if p is None:
        return None
    ms = db.session.scalars(select(Membership).where(Membership.person_id == p.id).order_by(Membership.id)).all()
    return person_json(p, ms)


def organisation_export(org_id: int) -> dict | None:
    o = db.session.scalar(
        select(Organisation)
        .where(Organisation.id == org_id)
        .options(selectinload(Organisation.posts), selectinload(Organisation.children))
    )
    if o is None:
        return None
    out = organisation_json(o, posts=o.posts, children=o.children)
    ms = db.session.scalars(
        select(Membership)
        .where(or_(Membership.organisation_id == o.id, Membership.on_behalf_of_id == o.id))
        .order_by(Membership.id)
    )
    out["memberships"] = [membership_json(m) for m in ms]
    return out
