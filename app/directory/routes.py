"""Public pages: people, a person, organisations, "who represents me?", and the area section."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.htmx import render
from ..core.sections import render_sections
from ..extensions import db
from . import phones, services
from .models import LegislativePeriod, Membership, Organisation, Person, Post

bp = Blueprint("directory", __name__, template_folder="templates")
PER_PAGE = 20


def _page() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 100000))
    except ValueError:
        return 1


def _id_arg(name: str) -> int | None:
    """A query-string id; anything past a 32-bit column is no id at all (never a database error)."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= 2**31 - 1 else None


def _current_exists(today=None):
    """EXISTS a current membership of the outer Person."""
    return exists(
        select(Membership.id)
        .outerjoin(LegislativePeriod, Membership.legislative_period_id == LegislativePeriod.id)
        .where(Membership.person_id == Person.id, services.current_clause(today))
    )


@bp.route("/people/")
def people():
    q = (request.args.get("q") or "").strip()[:200]
    status = request.args.get("status") if request.args.get("status") in ("current", "former") else ""
    org_id = _id_arg("organisation")
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
    page = _page()
    total = db.session.scalar(select(func.count(Person.id)).where(*where)) or 0
    rows = db.session.scalars(
        select(Person)
        .where(*where)
        .order_by(func.coalesce(Person.sort_name, Person.name), Person.id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    ids = [p.id for p in rows]
    current_ids = (
        set(db.session.scalars(select(Person.id).where(Person.id.in_(ids), _current_exists()))) if ids else set()
    )
    orgs = db.session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(select(Membership.organisation_id).union(select(Membership.on_behalf_of_id))))
        .order_by(Organisation.name)
    ).all()
    args = {k: v for k, v in (("q", q), ("status", status), ("organisation", org_id or "")) if v}
    return render(
        "directory/people.html",
        block="results",
        people=rows,
        current_ids=current_ids,
        q=q,
        status_filter=status,
        org_id=org_id,
        organisations=orgs,
        total=total,
        page=page,
        has_next=page * PER_PAGE < total,
        args=args,
        tag=services.lang_tag(),
    )


def _area_infos(ids) -> dict:
    from ..areas import services as areas_services

    return {a.id: a for a in areas_services.areas(sorted(i for i in ids if i))}


@bp.route("/people/<int:person_id>")
def person(person_id):
    p = db.session.get(Person, person_id)
    if p is None:
        abort(404)
    ms = db.session.scalars(
        select(Membership)
        .where(Membership.person_id == p.id)
        .options(
            selectinload(Membership.organisation),
            selectinload(Membership.on_behalf_of),
            selectinload(Membership.post),
            selectinload(Membership.legislative_period),
        )
    ).all()
    ms = sorted(
        ms,
        key=lambda m: (
            m.start_date or (m.legislative_period.start_date if m.legislative_period else None) or dt.date.min
        ),
        reverse=True,
    )
    today = services.today()
    current = [m for m in ms if m.is_current(today)]
    past = [m for m in ms if not m.is_current(today)]
    contacts = [c for c in p.contact_details if not c.private and c.type not in ("email",)]
    return render_template(
        "directory/person.html",
        person=p,
        name=p.name_in(services.lang_tag()),
        current=current,
        past=past,
        contacts=contacts,
        areas=_area_infos({m.effective_area_id for m in ms}),
        tag=services.lang_tag(),
        sections=render_sections(services.person_section_funcs(), p.id),
        is_rep=services.is_current_representative(p.id),
    )


@bp.route("/organisations/")
def organisations():
    q = (request.args.get("q") or "").strip()[:200]
    where = [services._name_match(Organisation, q)] if q else []
    page = _page()
    total = db.session.scalar(select(func.count(Organisation.id)).where(*where)) or 0
    rows = db.session.scalars(
        select(Organisation)
        .where(*where)
        .order_by(Organisation.name, Organisation.id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return render(
        "directory/organisations.html",
        block="results",
        organisations=rows,
        q=q,
        page=page,
        total=total,
        has_next=page * PER_PAGE < total,
        args={"q": q} if q else {},
        tag=services.lang_tag(),
    )


@bp.route("/organisations/<int:org_id>")
def organisation(org_id):
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    show = request.args.get("show") if request.args.get("show") in ("all",) else "current"
    # A party's members are linked "on behalf of" it (EveryPolitician: organization_id is the
    # legislature), as the people filter already counts them.
    stmt = (
        select(Membership)
        .outerjoin(LegislativePeriod, Membership.legislative_period_id == LegislativePeriod.id)
        .where(or_(Membership.organisation_id == org.id, Membership.on_behalf_of_id == org.id))
        .options(
            selectinload(Membership.person),
            selectinload(Membership.on_behalf_of),
            selectinload(Membership.post),
            selectinload(Membership.legislative_period),
        )
    )
    if show == "current":
        stmt = stmt.where(services.current_clause())
    members = sorted(
        db.session.scalars(stmt).all(), key=lambda m: ((m.person.sort_name or m.person.name).casefold(), m.id)
    )
    posts = db.session.scalars(select(Post).where(Post.organisation_id == org.id).order_by(Post.label)).all()
    children = db.session.scalars(
        select(Organisation).where(Organisation.parent_id == org.id).order_by(Organisation.name)
    ).all()
    area_ids = set(org.area_ids) | {m.effective_area_id for m in members} | {p.area_id for p in posts}
    tag = services.lang_tag()
    return render_template(
        "directory/organisation.html",
        org=org,
        name=org.name_in(tag),
        members=members,
        posts=posts,
        children=children,
        areas=_area_infos(area_ids),
        show=show,
        tag=tag,
        contacts=[c for c in org.contact_details if not c.private and c.type != "email"],
        sections=render_sections(services.organisation_section_funcs(), org.id),
    )


def _groups(reps, infos):
    """[(organisation name, AreaInfo, [reps])], by area level, organisation and area name."""

    def key(r):
        a = infos.get(r.area_id)
        return (
            a.level if a else 99,
            r.organisation_name.casefold(),
            r.organisation_id,
            (r.area_name or "").casefold(),
            r.area_id or 0,
        )

    out = []
    for r in sorted(reps, key=key):
        k = (r.organisation_id, r.area_id)
        if out and out[-1][0] == k:
            out[-1][3].append(r)
        else:
            out.append((k, r.organisation_name, infos.get(r.area_id), [r]))
    return [(name, area, rs) for _, name, area, rs in out]


def _area_place(area_id):
    """(lat, lon, label, AreaInfo) for an area of the current generation chosen as the place."""
    from ..areas import services as areas_services

    info = areas_services.area(area_id)
    centre = areas_services.centroid(info.id) if info else None
    if info is None or centre is None:
        return None
    gen = areas_services.current_generation()
    if gen is not None and info.generation_low is not None and not info.generation_low <= gen <= info.generation_high:
        return None
    # Translators: a place in search results: an area's name and its type, e.g. "Cardiff, Council"
    return (centre[0], centre[1], _("%(name)s, %(type)s", name=info.name, type=info.type_name), info)


@bp.route("/representatives")
def representatives():
    """Representatives for a point (every area covering it), or for a whole area (every area
    sharing part of it: a council crosses several constituencies, so all their members are
    listed, with a word that a street, postcode or coordinates narrow it down)."""
    from ..areas import services as areas_services

    q = (request.args.get("q") or "").strip()[:200]
    lat = request.args.get("lat", type=float)
    lon = request.args.get("lon", type=float)
    area_id = _id_arg("area")
    places, point, groups, error, chosen_area = [], None, [], None, None
    if area_id:
        found = _area_place(area_id)
        if found:
            point, chosen_area = found[:3], found[3]
        else:
            error = True
    elif lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        label = request.args.get("place", "")[:200].strip()
        # An old link to an area ("?lat&lon&place=Cardiff, Council"): that area, if the label is
        # really that of an area covering the point; else the point, labelled by its
        # coordinates (never by text from the URL).
        match = next(
            (
                a
                for a in areas_services.areas_at(lat, lon)
                if label and _("%(name)s, %(type)s", name=a.name, type=a.type_name) == label
            ),
            None,
        )
        found = _area_place(match.id) if match else None
        if found:
            point, chosen_area = found[:3], found[3]
        else:
            point = (lat, lon, f"{lat:.5f}, {lon:.5f}")
    elif q:
        places = areas_services.search_places(q, limit=10)
        if len(places) == 1 or (places and places[0].kind in ("coords", "postcode")):
            first = places[0]
            found = _area_place(first.area_id) if first.kind == "area" and first.area_id else None
            if found:
                point, chosen_area = found[:3], found[3]
            else:
                point = (first.lat, first.lon, first.label)
            places = []
        elif not places:
            error = True
    elif request.args.get("lat") or request.args.get("lon"):
        error = True
    found = None
    if chosen_area is not None:
        found = services.representatives_for(area_id=chosen_area.id)
    elif point:
        found = services.representatives_for(lat=point[0], lon=point[1])
    groups, wide = [], False
    if found is not None:
        infos = {a.id: a for a in areas_services.areas(found.area_ids)}
        groups, wide = _groups(list(found.representatives), infos), found.wide
    status = 422 if error and not places else 200
    person_ids = list(dict.fromkeys(r.person_id for _, _, reps in groups for r in reps))
    return render(
        "directory/representatives.html",
        block="results",
        status=status,
        q=q,
        places=places,
        point=point,
        groups=groups,
        error=error,
        person_ids=person_ids,
        wide=wide,
        chosen_area=chosen_area,
        person_links=services.person_links_extra(person_ids),
    )


# -- extension hooks ---------------------------------------------------------------------
def area_section(area_id):
    reps = services.current_representatives([area_id])
    bodies = services.bodies_for_areas([area_id])
    if not reps and not bodies:
        return None
    links = services.person_links_extra([r.person_id for r in reps])
    return "directory/_area_section.html", {"reps": reps, "bodies": bodies, "person_links": links}


def dashboard_panel():
    missing = (
        db.session.scalar(
            select(func.count(Organisation.id)).where(
                services._is_body(),
                or_(Organisation.email.is_(None), Organisation.email == ""),
                or_(Organisation.foi_email.is_(None), Organisation.foi_email == ""),
            )
        )
        or 0
    )
    failing = db.session.scalar(select(func.count(Person.id)).where(services.failing_people_clause())) or 0
    return "directory/_dashboard_panel.html", {
        "bodies": db.session.scalar(select(func.count(Organisation.id)).where(services._is_body())) or 0,
        "people": db.session.scalar(select(func.count(Person.id))) or 0,
        "missing_email": missing,
        "failing": failing,
        "link": url_for("directory_admin.missing_email"),
        "failing_link": url_for("directory_admin.missing_email", _anchor="failing-people"),
    }


_CONTACT_LABELS = {
    # Translators: kinds of contact detail shown on a person's or organisation's page
    "voice": lambda: pgettext("contact", "Phone"),
    "cell": lambda: pgettext("contact", "Mobile phone"),
    "fax": lambda: pgettext("contact", "Fax"),
    "address": lambda: pgettext("contact", "Address"),
    "twitter": lambda: "X / Twitter",
    "facebook": lambda: "Facebook",
}


@bp.context_processor
def _labels():
    def contact_label(kind):
        label = _CONTACT_LABELS.get((kind or "").lower())
        return label() if label else kind

    def contact_value(c):
        return phones.display(c.value) if (c.type or "").lower() in ("voice", "fax") else c.value

    return {"contact_label": contact_label, "contact_value": contact_value, "image_allowed": image_allowed}


def image_allowed(url: str | None) -> bool:
    """Whether the Content-Security-Policy lets the page show this image (its img-src: this site
    and PLAZA_IMG_SOURCES). An image it would block is left out rather than shown broken."""
    from urllib.parse import urlsplit

    from flask import current_app

    if not url:
        return False
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc:
        return True  # this site's own
    if parts.scheme == "data":
        return True
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    here = request.scheme if request else "https"
    if parts.netloc == request.host and parts.scheme == here:
        return True
    sources = current_app.config.get("CSP_IMG_SOURCES") or []
    if isinstance(sources, str):
        sources = sources.split()
    for src in sources:
        if "://" not in src and src.endswith(":"):  # a scheme source such as "https:"
            if parts.scheme == src[:-1]:
                return True
            continue
        scheme_given = "://" in src
        sp = urlsplit(src if scheme_given else "//" + src)
        if scheme_given and sp.scheme != parts.scheme and not (sp.scheme == "http" and parts.scheme == "https"):
            continue
        if not scheme_given and parts.scheme != here and not (here == "http" and parts.scheme == "https"):
            continue
        host = (sp.hostname or "").lower()
        target = parts.hostname.lower()
        if host.startswith("*."):
            if not target.endswith(host[1:]):
                continue
        elif host != target:
            continue
        if sp.path and sp.path != "/":
            if not (parts.path.startswith(sp.path) if sp.path.endswith("/") else parts.path == sp.path):
                continue
        return True
    return False
