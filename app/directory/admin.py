"""Admin pages (moderators and admins): persons, organisations, memberships, bodies' contacts."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..core import audit
from ..core.auth import moderator_required
from ..extensions import db
from . import services
from .bodies_csv import BodiesError, _area, export_bodies
from .forms import ContactForm, MembershipForm, OrganisationForm, PersonForm, parse_names
from .models import (
    LEGISLATIVE_PERIOD,
    ContactDetail,
    LegislativePeriod,
    Membership,
    Organisation,
    OrganisationArea,
    OtherName,
    Person,
)

bp = Blueprint("directory_admin", __name__, template_folder="templates")
PER_PAGE = 50


def _see(endpoint, **values):
    return redirect(url_for(endpoint, **values), 303)


def _names_text(obj) -> str:
    return "\n".join(f"{n.lang} = {n.name}" for n in obj.other_names if n.lang)


def _set_names(obj, text):
    given = parse_names(text)
    obj.other_names = [n for n in obj.other_names if not n.lang] + [
        OtherName(name=v, lang=k, note="multilingual") for k, v in given.items()
    ]


def _org_choices(blank):
    rows = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.name)).all()
    return [(0, blank)] + [(i, n) for i, n in rows]


@bp.route("/admin/directory/")
@moderator_required
def index():
    """Search people and organisations; ?show=bodies or ?show=people lists them all (the dashboard links)."""
    q = (request.args.get("q") or "").strip()[:200]
    show = request.args.get("show") if request.args.get("show") in ("bodies", "people") else ""
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 100000))
    people = orgs = []
    totals = {}
    if q or show:
        if show != "bodies":
            where = [services._name_match(Person, q)] if q else []
            totals["people"] = db.session.scalar(select(func.count(Person.id)).where(*where)) or 0
            people = db.session.scalars(
                select(Person)
                .where(*where)
                .order_by(Person.name, Person.id)
                .offset((page - 1) * PER_PAGE)
                .limit(PER_PAGE)
            ).all()
        if show != "people":
            where = [services._name_match(Organisation, q)] if q else []
            if show == "bodies":
                where.append(services._is_body())
            totals["orgs"] = db.session.scalar(select(func.count(Organisation.id)).where(*where)) or 0
            orgs = db.session.scalars(
                select(Organisation)
                .where(*where)
                .order_by(Organisation.name, Organisation.id)
                .offset((page - 1) * PER_PAGE)
                .limit(PER_PAGE)
            ).all()
    counts = {
        "people": db.session.scalar(select(func.count(Person.id))) or 0,
        "organisations": db.session.scalar(select(func.count(Organisation.id))) or 0,
    }
    args = {k: v for k, v in (("q", q), ("show", show)) if v}
    return render_template(
        "directory/admin/index.html",
        q=q,
        show=show,
        people=people,
        orgs=orgs,
        counts=counts,
        totals=totals,
        page=page,
        has_next=page * PER_PAGE < max(totals.values() or [0]),
        args=args,
    )


@bp.route("/admin/directory/bodies/missing-email")
@moderator_required
def missing_email():
    rows = db.session.scalars(
        select(Organisation)
        .where(
            services._is_body(),
            or_(Organisation.email.is_(None), Organisation.email == ""),
            or_(Organisation.foi_email.is_(None), Organisation.foi_email == ""),
        )
        .order_by(Organisation.name)
    ).all()
    failing = db.session.scalars(select(Organisation).where(Organisation.email_failing.is_not(None))).all()
    people = db.session.scalars(
        select(Person)
        .where(services.failing_people_clause())
        .options(selectinload(Person.contact_details))
        .order_by(func.coalesce(Person.sort_name, Person.name), Person.id)
        .limit(500)
    ).all()
    return render_template("directory/admin/missing.html", bodies=rows, failing=failing, failing_people=people)


@bp.route("/admin/directory/bodies.csv")
@moderator_required
def bodies_csv():
    return Response(
        export_bodies(), mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=bodies.csv"}
    )


# -- organisations ------------------------------------------------------------------------
def _apply_org(org, form):
    codes = [c.strip() for c in (form.area_codes.data or "").split(";") if c.strip()]
    wanted = {}
    for code in codes:  # resolve first: an unknown code changes nothing
        wanted.setdefault(_area(code, code), code)
    org.name = (form.name.data or "").strip()
    _set_names(org, form.names.data)
    org.classification = (form.classification.data or "").strip() or None
    org.parent_id = form.parent_id.data or None
    tags = form.tags.data
    org.tags = tags if isinstance(tags, list) else (tags or "").split(";")
    org.email = (form.email.data or "").strip() or None
    org.foi_email = (form.foi_email.data or "").strip() or None
    org.website = (form.website.data or "").strip() or None
    org.language = form.language.data or None
    keep = {a.area_id: a for a in org.areas}
    org.areas = [keep.get(a) or OrganisationArea(area_id=a, code=c) for a, c in wanted.items()]


@bp.route("/admin/directory/organisations/new", methods=["GET", "POST"])
@bp.route("/admin/directory/organisations/<int:org_id>", methods=["GET", "POST"])
@moderator_required
def organisation(org_id=None):
    org = db.session.get(Organisation, org_id) if org_id else None
    if org_id and org is None:
        abort(404)
    form = OrganisationForm(obj=org) if org else OrganisationForm()
    form.parent_id.choices = [c for c in _org_choices(_("None")) if not org or c[0] != org.id]
    if request.method == "GET" and org:
        form.names.data = _names_text(org)
        form.tags.data = ";".join(org.tags)
        form.area_codes.data = ";".join(a.code or f"plaza-area:{a.area_id}" for a in org.areas)
        form.parent_id.data = org.parent_id or 0
    status = 200
    if form.validate_on_submit():
        target = org or Organisation(name="")
        try:
            with db.session.no_autoflush:
                _apply_org(target, form)
        except BodiesError:
            db.session.rollback()
            form.area_codes.errors.append(_("One of these area codes is unknown."))
        else:
            if org is None:
                db.session.add(target)
            db.session.flush()
            audit.record(current_user.id, "directory.organisation.save", "organisation", target.id)
            db.session.commit()
            flash(_("Saved."), "success")
            return _see("directory_admin.organisation", org_id=target.id)
    if request.method == "POST":
        status = 422
    return render_template("directory/admin/organisation.html", form=form, org=org, contact_form=ContactForm()), status


# -- persons ---------------------------------------------------------------------------------
@bp.route("/admin/directory/people/new", methods=["GET", "POST"])
@bp.route("/admin/directory/people/<int:person_id>", methods=["GET", "POST"])
@moderator_required
def person(person_id=None):
    p = db.session.get(Person, person_id) if person_id else None
    if person_id and p is None:
        abort(404)
    form = PersonForm(obj=p) if p else PersonForm()
    if request.method == "GET" and p:
        form.names.data = _names_text(p)
    if form.validate_on_submit():
        target = p or Person(name="")
        target.name = (form.name.data or "").strip()
        target.sort_name = (form.sort_name.data or "").strip() or None
        _set_names(target, form.names.data)
        target.email = (form.email.data or "").strip() or None
        if p is not None and target.email != p.email:
            target.email_failing = None
        target.image = (form.image.data or "").strip() or None
        target.gender = (form.gender.data or "").strip() or None
        target.birth_date = (form.birth_date.data or "").strip() or None
        target.summary = (form.summary.data or "").strip() or None
        if p is None:
            db.session.add(target)
        db.session.flush()
        audit.record(current_user.id, "directory.person.save", "person", target.id)
        db.session.commit()
        flash(_("Saved."), "success")
        return _see("directory_admin.person", person_id=target.id)
    memberships = db.session.scalars(select(Membership).where(Membership.person_id == p.id)).all() if p else []
    mform = _membership_form()
    return render_template(
        "directory/admin/person.html",
        form=form,
        person=p,
        memberships=memberships,
        membership_form=mform,
        contact_form=ContactForm(),
    ), (422 if request.method == "POST" else 200)


# -- memberships ---------------------------------------------------------------------------
def _membership_form(m=None):
    form = MembershipForm(obj=m) if m else MembershipForm()
    orgs = _org_choices(_("None"))
    form.organisation_id.choices = orgs[1:]
    form.on_behalf_of_id.choices = orgs
    periods = db.session.execute(
        select(LegislativePeriod.id, LegislativePeriod.name)
        .where(LegislativePeriod.classification == LEGISLATIVE_PERIOD)
        .order_by(LegislativePeriod.start_date)
    ).all()
    form.legislative_period_id.choices = [(0, _("None"))] + [(i, n) for i, n in periods]
    if m is not None and request.method == "GET":
        form.on_behalf_of_id.data = m.on_behalf_of_id or 0
        form.legislative_period_id.data = m.legislative_period_id or 0
        form.area_code.data = f"plaza-area:{m.area_id}" if m.area_id else ""
    return form


def _apply_membership(m, form) -> bool:
    area_id = None
    if (form.area_code.data or "").strip():
        try:
            area_id = _area((form.area_code.data or "").strip(), "")
        except BodiesError:
            form.area_code.errors.append(_("No area has this code."))
            return False
    m.organisation_id = form.organisation_id.data
    m.role = (form.role.data or "").strip() or None
    m.on_behalf_of_id = form.on_behalf_of_id.data or None
    m.legislative_period_id = form.legislative_period_id.data or None
    m.area_id = area_id
    m.start_date, m.end_date = form.start_date.data, form.end_date.data
    return True


@bp.route("/admin/directory/people/<int:person_id>/memberships", methods=["POST"])
@bp.route("/admin/directory/memberships/<int:membership_id>", methods=["GET", "POST"])
@moderator_required
def membership(person_id=None, membership_id=None):
    m = db.session.get(Membership, membership_id) if membership_id else None
    if membership_id and m is None:
        abort(404)
    p = m.person if m else db.session.get(Person, person_id)
    if p is None:
        abort(404)
    form = _membership_form(m)
    if form.validate_on_submit():
        target = m or Membership(person_id=p.id)
        if _apply_membership(target, form):
            if m is None:
                db.session.add(target)
            db.session.flush()
            audit.record(current_user.id, "directory.membership.save", "membership", target.id)
            db.session.commit()
            flash(_("Saved."), "success")
            return _see("directory_admin.person", person_id=p.id)
    status = 422 if request.method == "POST" else 200
    return render_template("directory/admin/membership.html", form=form, membership=m, person=p), status


@bp.route("/admin/directory/memberships/<int:membership_id>/delete", methods=["POST"])
@moderator_required
def delete_membership(membership_id):
    m = db.session.get(Membership, membership_id) or abort(404)
    person_id = m.person_id
    db.session.delete(m)
    audit.record(current_user.id, "directory.membership.delete", "membership", membership_id)
    db.session.commit()
    flash(_("Membership removed."), "success")
    return _see("directory_admin.person", person_id=person_id)


# -- contact details -------------------------------------------------------------------------
@bp.route("/admin/directory/<any(people, organisations):kind>/<int:owner_id>/contacts", methods=["POST"])
@moderator_required
def add_contact(kind, owner_id):
    owner = db.session.get(Person if kind == "people" else Organisation, owner_id) or abort(404)
    form = ContactForm()
    if not form.validate_on_submit():
        for field in (form.type, form.value, form.label):
            for error in field.errors:
                # Translators: a form field's label and what is wrong with it
                flash(_("%(field)s: %(error)s", field=field.label.text, error=error), "error")
        return _see(
            "directory_admin.person" if kind == "people" else "directory_admin.organisation",
            **({"person_id": owner_id} if kind == "people" else {"org_id": owner_id}),
        )
    # Phone numbers are stored in E.164 (parsed with the profile's region), whatever was typed.
    value = getattr(form, "normalised", None) or (form.value.data or "").strip()
    owner.contact_details.append(
        ContactDetail(
            type=form.type.data, value=value, label=(form.label.data or "").strip() or None, private=form.private.data
        )
    )
    audit.record(current_user.id, "directory.contact.add", kind, owner_id)
    db.session.commit()
    flash(_("Contact detail added."), "success")
    return _see(
        "directory_admin.person" if kind == "people" else "directory_admin.organisation",
        **({"person_id": owner_id} if kind == "people" else {"org_id": owner_id}),
    )


@bp.route("/admin/directory/contacts/<int:contact_id>/delete", methods=["POST"])
@moderator_required
def delete_contact(contact_id):
    c = db.session.get(ContactDetail, contact_id) or abort(404)
    person_id, org_id = c.person_id, c.organisation_id
    db.session.delete(c)
    audit.record(current_user.id, "directory.contact.delete", "contact", contact_id)
    db.session.commit()
    flash(_("Contact detail removed."), "success")
    if person_id:
        return _see("directory_admin.person", person_id=person_id)
    return _see("directory_admin.organisation", org_id=org_id)


@bp.route("/admin/directory/organisations/untranslated/<locale>")
@moderator_required
def untranslated(locale):
    from .content import untranslated as find

    lang = current_app.extensions["plaza_profile"].language(locale)
    if lang is None:
        abort(404)
    rows, total = find(lang.tag)
    return render_template("directory/admin/untranslated.html", orgs=rows, total=total, tlang=lang)
