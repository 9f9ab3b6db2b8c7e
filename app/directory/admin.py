"""Admin pages (moderators and admins): persons, organisations, memberships, bodies' contacts."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.auth import moderator_required
from ..core.pagination import page_number
from ..extensions import db
from . import operations, queries
from .blueprint import admin_bp as bp
from .bodies_csv import export_bodies
from .content import untranslated as untranslated_orgs
from .forms import ContactForm, MembershipForm, OrganisationForm, PersonForm

PER_PAGE = 50


def _see(endpoint, **values):
    return redirect(url_for(endpoint, **values), 303)


def _names_text(obj) -> str:
    return "\n".join(f"{n.lang} = {n.name}" for n in obj.other_names if n.lang)


def _org_choices(blank):
    return [(0, blank)] + queries.organisation_choices()


def _owner_page(kind: str, owner_id: int):
    if kind == "people":
        return _see("directory_admin.person", person_id=owner_id)
    return _see("directory_admin.organisation", org_id=owner_id)


@bp.route("/")
@moderator_required
def index():
    """Search people and organisations; ?show=bodies or ?show=people lists them all (the dashboard links)."""
    q = (request.args.get("q") or "").strip()[:200]
    show = request.args.get("show") if request.args.get("show") in ("bodies", "people") else ""
    page = page_number(request.args.get("page", 1))
    found = queries.admin_search(q, show, page, PER_PAGE)
    args = {k: v for k, v in (("q", q), ("show", show)) if v}
    return render_template(
        "directory/admin/index.html",
        q=q,
        show=show,
        people=found.people,
        orgs=found.orgs,
        counts=found.counts,
        totals=found.totals,
        page=page,
        has_next=page * PER_PAGE < max(found.totals.values() or [0]),
        args=args,
    )


@bp.route("/bodies/missing-email")
@moderator_required
def missing_email():
    found = queries.missing_email()
    return render_template(
        "directory/admin/missing.html", bodies=found.bodies, failing=found.failing, failing_people=found.failing_people
    )


@bp.route("/bodies.csv")
@moderator_required
def bodies_csv():
    return Response(
        export_bodies(), mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=bodies.csv"}
    )


# -- organisations ------------------------------------------------------------------------
@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@moderator_required
def organisation(org_id=None):
    org = queries.organisation(org_id)
    if org_id and org is None:
        abort(404)
    form = OrganisationForm(obj=org) if org else OrganisationForm()
    form.parent_id.choices = [c for c in _org_choices(_("None")) if not org or c[0] != org.id]
    if request.method == "GET" and org:
        form.names.data = _names_text(org)
        form.tags.data = ";".join(org.tags)
        form.area_codes.data = ";".join(a.code or f"plaza-area:{a.area_id}" for a in org.areas)
        form.parent_id.data = org.parent_id or 0
    if form.validate_on_submit():
        saved = operations.save_organisation(org, form, current_user.id)
        if saved is None:
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return _see("directory_admin.organisation", org_id=saved.id)
    status = 422 if request.method == "POST" else 200
    return render_template("directory/admin/organisation.html", form=form, org=org, contact_form=ContactForm()), status


# -- persons ---------------------------------------------------------------------------------
@bp.route("/people/new", methods=["GET", "POST"])
@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@moderator_required
def person(person_id=None):
    p = queries.person(person_id)
    if person_id and p is None:
        abort(404)
    form = PersonForm(obj=p) if p else PersonForm()
    if request.method == "GET" and p:
        form.names.data = _names_text(p)
    if form.validate_on_submit():
        saved = operations.save_person(p, form, current_user.id)
        db.session.commit()
        flash(_("Saved."), "success")
        return _see("directory_admin.person", person_id=saved.id)
    return render_template(
        "directory/admin/person.html",
        form=form,
        person=p,
        memberships=queries.memberships_of(p.id) if p else [],
        membership_form=_membership_form(),
        contact_form=ContactForm(),
    ), (422 if request.method == "POST" else 200)


# -- memberships ---------------------------------------------------------------------------
def _membership_form(m=None):
    form = MembershipForm(obj=m) if m else MembershipForm()
    orgs = _org_choices(_("None"))
    form.organisation_id.choices = orgs[1:]
    form.on_behalf_of_id.choices = orgs
    form.legislative_period_id.choices = [(0, _("None"))] + queries.period_choices()
    if m is not None and request.method == "GET":
        form.on_behalf_of_id.data = m.on_behalf_of_id or 0
        form.legislative_period_id.data = m.legislative_period_id or 0
        form.area_code.data = f"plaza-area:{m.area_id}" if m.area_id else ""
    return form


@bp.route("/people/<int:person_id>/memberships", methods=["POST"])
@bp.route("/memberships/<int:membership_id>", methods=["GET", "POST"])
@moderator_required
def membership(person_id=None, membership_id=None):
    m = queries.membership(membership_id)
    if membership_id and m is None:
        abort(404)
    p = m.person if m else queries.person(person_id)
    if p is None:
        abort(404)
    form = _membership_form(m)
    if form.validate_on_submit() and operations.save_membership(m, p.id, form, current_user.id) is not None:
        db.session.commit()
        flash(_("Saved."), "success")
        return _see("directory_admin.person", person_id=p.id)
    status = 422 if request.method == "POST" else 200
    return render_template("directory/admin/membership.html", form=form, membership=m, person=p), status


@bp.route("/memberships/<int:membership_id>/delete", methods=["POST"])
@moderator_required
def delete_membership(membership_id):
    m = queries.membership(membership_id) or abort(404)
    person_id = operations.delete_membership(m, current_user.id)
    db.session.commit()
    flash(_("Membership removed."), "success")
    return _see("directory_admin.person", person_id=person_id)


# -- contact details -------------------------------------------------------------------------
@bp.route("/<any(people, organisations):kind>/<int:owner_id>/contacts", methods=["POST"])
@moderator_required
def add_contact(kind, owner_id):
    owner = queries.contact_owner(kind, owner_id) or abort(404)
    form = ContactForm()
    if not form.validate_on_submit():
        for field in (form.type, form.value, form.label):
            for error in field.errors:
                # Translators: a form field's label and what is wrong with it
                flash(_("%(field)s: %(error)s", field=field.label.text, error=error), "error")
        return _owner_page(kind, owner_id)
    operations.add_contact(kind, owner, form, current_user.id)
    db.session.commit()
    flash(_("Contact detail added."), "success")
    return _owner_page(kind, owner_id)


@bp.route("/contacts/<int:contact_id>/delete", methods=["POST"])
@moderator_required
def delete_contact(contact_id):
    c = queries.contact(contact_id) or abort(404)
    person_id, org_id = operations.delete_contact(c, current_user.id)
    db.session.commit()
    flash(_("Contact detail removed."), "success")
    if person_id:
        return _see("directory_admin.person", person_id=person_id)
    return _see("directory_admin.organisation", org_id=org_id)


@bp.route("/organisations/untranslated/<locale>")
@moderator_required
def untranslated(locale):
    lang = current_app.extensions["plaza_profile"].language(locale)
    if lang is None:
        abort(404)
    rows, total = untranslated_orgs(lang.tag)
    return render_template("directory/admin/untranslated.html", orgs=rows, total=total, tlang=lang)
