"""Public pages: people, a person, organisations, an organisation, "who represents me?"."""

from __future__ import annotations

from flask import abort, render_template, request

from ..core.htmx import render
from ..core.ids import parse_id
from ..core.pagination import page_number
from ..core.sections import render_sections
from . import display, places, queries, services  # noqa: F401  (display: the pages' template helpers)
from .blueprint import bp

PER_PAGE = 20


def _text_arg(name: str) -> str:
    return (request.args.get(name) or "").strip()[:200]


@bp.route("/people/")
def people():
    q = _text_arg("q")
    status = request.args.get("status") if request.args.get("status") in ("current", "former") else ""
    org_id = parse_id(request.args.get("organisation"))
    page = page_number(request.args.get("page", 1))
    found = queries.people_page(q, status, org_id, page, PER_PAGE)
    args = {k: v for k, v in (("q", q), ("status", status), ("organisation", org_id or "")) if v}
    return render(
        "directory/people.html",
        block="results",
        people=found.rows,
        current_ids=found.current_ids,
        q=q,
        status_filter=status,
        org_id=org_id,
        organisations=found.organisations,
        total=found.total,
        page=page,
        has_next=page * PER_PAGE < found.total,
        args=args,
        tag=services.lang_tag(),
    )


@bp.route("/people/<int:person_id>")
def person(person_id):
    found = queries.person_page(person_id)
    if found is None:
        abort(404)
    p, today, tag = found.person, services.today(), services.lang_tag()
    return render_template(
        "directory/person.html",
        person=p,
        name=p.name_in(tag),
        current=[m for m in found.memberships if m.is_current(today)],
        past=[m for m in found.memberships if not m.is_current(today)],
        contacts=[c for c in p.contact_details if not c.private and c.type not in ("email",)],
        areas=found.areas,
        tag=tag,
        sections=render_sections(services.person_section_funcs(), p.id),
        is_rep=services.is_current_representative(p.id),
    )


@bp.route("/organisations/")
def organisations():
    q = _text_arg("q")
    page = page_number(request.args.get("page", 1))
    found = queries.organisations(q, page, PER_PAGE)
    return render(
        "directory/organisations.html",
        block="results",
        organisations=found.rows,
        q=q,
        page=page,
        total=found.total,
        has_next=page * PER_PAGE < found.total,
        args={"q": q} if q else {},
        tag=services.lang_tag(),
    )


@bp.route("/organisations/<int:org_id>")
def organisation(org_id):
    show = request.args.get("show") if request.args.get("show") in ("all",) else "current"
    found = queries.organisation_page(org_id, current_only=show == "current")
    if found is None:
        abort(404)
    org, tag = found.org, services.lang_tag()
    return render_template(
        "directory/organisation.html",
        org=org,
        name=org.name_in(tag),
        members=found.members,
        posts=found.posts,
        children=found.children,
        areas=found.areas,
        show=show,
        tag=tag,
        contacts=[c for c in org.contact_details if not c.private and c.type != "email"],
        sections=render_sections(services.organisation_section_funcs(), org.id),
    )


@bp.route("/representatives")
def representatives():
    """Representatives for a typed place, a point or an area (see places.find)."""
    found = places.find(
        _text_arg("q"),
        request.args.get("lat", type=float),
        request.args.get("lon", type=float),
        parse_id(request.args.get("area")),
        request.args.get("place", "")[:200].strip(),
        bad_coords=bool(request.args.get("lat") or request.args.get("lon")),
    )
    person_ids = list(dict.fromkeys(r.person_id for _, _, reps in found.groups for r in reps))
    return render(
        "directory/representatives.html",
        block="results",
        status=422 if found.error and not found.places else 200,
        q=_text_arg("q"),
        places=found.places,
        point=found.point,
        groups=found.groups,
        error=found.error,
        person_ids=person_ids,
        wide=found.wide,
        chosen_area=found.chosen_area,
        person_links=services.person_links_extra(person_ids),
    )
