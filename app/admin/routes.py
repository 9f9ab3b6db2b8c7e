"""Admin pages: dashboard and users (list, search, CSV, role, ban, translator locales).

Mail pages (outbox, holding pen) and the audit log are in routes_mail.py, on the same blueprint.
Every write is recorded in the audit log in the same transaction.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ..accounts import services as accounts
from ..config import rate_limit_warning
from ..core import audit, registry
from ..core.auth import admin_required, moderator_required
from ..core.exports import csv_response
from ..core.pagination import current_page
from ..core.profile import current_profile
from ..directory import services as directory
from ..extensions import db
from . import labels
from .blueprint import bp
from .forms import BanForm, ReasonForm, RoleForm, StaffForm, TranslatorForm
from .panels import week_ago

ROLES = accounts.ROLES


role_label = labels.role_name


@bp.app_context_processor
def _admin_helpers():
    return {
        "role_label": role_label,
        "audit_label": labels.audit_label,
        "inbox_note": labels.inbox_note,
        "inbox_status": labels.inbox_status,
        "audit_details": labels.audit_details,
    }


@bp.route("/")
@moderator_required
def home():
    panels = []
    for func in registry.dashboard_panels():
        try:
            result = func()
        except Exception:  # noqa: BLE001 - one broken panel must not hide the others
            current_app.logger.exception("dashboard panel %r failed", func)
            db.session.rollback()
            continue
        if not result:
            continue
        template, ctx = result
        ctx = dict(ctx or {})
        # Panels may read their values as top-level names or as ctx.<name>: both work.
        try:
            panels.append(Markup(render_template(template, **{**ctx, "ctx": ctx})))
        except Exception:  # noqa: BLE001
            current_app.logger.exception("dashboard panel template %s failed", template)
    # Production counting rate limits per process (no REDIS_URL): say so where an admin looks.
    memory_limits = current_user.is_admin and rate_limit_warning(current_app.config) is not None
    return render_template("admin/home.html", panels=panels, memory_limits=memory_limits)


def _user_filters():
    q = (request.args.get("q") or "").strip()[:200]
    role = request.args.get("role") if request.args.get("role") in ROLES else None
    new = request.args.get("new") == "week"
    banned = {"1": True, "0": False}.get(request.args.get("banned", ""))
    return q, role, new, banned


@bp.route("/users/")
@moderator_required
def users():
    q, role, new, banned = _user_filters()
    page = current_page()
    items, total = accounts.search_users(
        q=q or None, role=role, since=week_ago() if new else None, banned=banned, limit=page.limit, offset=page.offset
    )
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "admin/users.html",
        items=items,
        total=total,
        page=page.number,
        q=q,
        role=role,
        new=new,
        roles=ROLES,
        has_next=page.has_next(total),
        args=args,
    )


@bp.route("/users.csv")
@moderator_required
def users_csv():
    q, role, new, banned = _user_filters()
    items, _total = accounts.search_users(
        q=q or None, role=role, since=week_ago() if new else None, banned=banned, limit=1_000_000
    )
    header = [
        "id",
        "name",
        "email",
        "role",
        "language",
        "created_at",
        "confirmed",
        "banned",
        "ban_reason",
        "translator_locales",
    ]
    return csv_response(
        "users.csv",
        header,
        (
            (
                u.id,
                u.name,
                u.email,
                u.role,
                u.language or "",
                u.created_at.isoformat(),
                int(u.confirmed),
                int(u.banned),
                u.ban_reason or "",
                " ".join(u.translator_locales),
            )
            for u in items
        ),
    )


def _user_or_404(user_id: int):
    user = accounts.get_info(user_id)
    if user is None:
        abort(404)
    return user


def _forms(user, role_form=None, ban_form=None, translator_form=None):
    prof = current_profile()
    role_form = role_form or RoleForm(formdata=None, role=user.role)
    role_form.role.choices = [(r, role_label(r)) for r in ROLES]
    translator_form = translator_form or TranslatorForm(formdata=None, locales=list(user.translator_locales))
    translator_form.locales.choices = [(lang.tag, lang.name) for lang in prof.languages]
    return {
        "role_form": role_form,
        "ban_form": ban_form or BanForm(formdata=None),
        "unban_form": ReasonForm(formdata=None),
        "translator_form": translator_form,
    }


def _staff_context(user, staff_form=None) -> dict:
    """The bodies the user works for, and (for admins) the bodies matching ?body_q= to add."""
    named = {b.id: b for b in directory.bodies(user.staff_org_ids)}
    # A membership whose body left the directory is still listed (by number) so it can be removed.
    staff_bodies = [(i, named[i].name if i in named else None) for i in user.staff_org_ids]
    body_q = (request.args.get("body_q") or "").strip()[:200]
    results = []
    if body_q and current_user.is_admin:
        found, _total = directory.search_bodies(q=body_q, limit=20)
        results = [b for b in found if b.id not in named]
    return {
        "staff_bodies": staff_bodies,
        "body_q": body_q,
        "body_results": results,
        "staff_form": staff_form or StaffForm(formdata=None),
    }


def _user_page(user, status=200, staff_form=None, **forms):
    entries, _total = audit.entries(object_type="user", object_id=user.id, limit=20)
    actors = {u.id: u for u in accounts.users_info({e.actor_id for e in entries if e.actor_id})}
    return render_template(
        "admin/user.html",
        user=user,
        entries=entries,
        actors=actors,
        **_staff_context(user, staff_form),
        **_forms(user, **forms),
    ), status


@bp.route("/users/<int:user_id>")
@moderator_required
def user(user_id):
    return _user_page(_user_or_404(user_id))


def _back(user_id):
    return redirect(url_for("admin.user", user_id=user_id), 303)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@admin_required
def set_role(user_id):
    user = _user_or_404(user_id)
    form = RoleForm()
    form.role.choices = [(r, role_label(r)) for r in ROLES]
    if not form.validate_on_submit():
        return _user_page(user, 422, role_form=form)
    if user.id == current_user.id:
        form.role.errors = [_("You cannot change your own role.")]
        return _user_page(user, 422, role_form=form)
    try:
        changed = accounts.set_role(user.id, form.role.data)
    except accounts.AccountError as exc:
        form.role.errors = [exc.message]
        return _user_page(user, 422, role_form=form)
    if changed:
        audit.record(current_user.id, "user.role", "user", user.id, changed)
        db.session.commit()
        flash(_("The role is now: %(role)s.", role=role_label(form.role.data)), "success")
    return _back(user.id)


def _may_ban(user) -> bool:
    if user.id == current_user.id:
        return False
    return current_user.is_admin or user.role in ("citizen", "staff")


@bp.route("/users/<int:user_id>/ban", methods=["POST"])
@moderator_required
def ban(user_id):
    user = _user_or_404(user_id)
    if not _may_ban(user):
        abort(403)
    form = BanForm()
    if not form.validate_on_submit():
        return _user_page(user, 422, ban_form=form)
    reason = form.reason.data.strip()
    if accounts.ban(user.id, reason):
        audit.record(current_user.id, "user.ban", "user", user.id, reason=reason)
        db.session.commit()
        flash(_("The account is suspended."), "success")
    return _back(user.id)


@bp.route("/users/<int:user_id>/unban", methods=["POST"])
@moderator_required
def unban(user_id):
    user = _user_or_404(user_id)
    if not _may_ban(user):
        abort(403)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _user_page(user, 422)
    if accounts.unban(user.id):
        audit.record(current_user.id, "user.unban", "user", user.id, reason=(form.reason.data or "").strip())
        db.session.commit()
        flash(_("The account can be used again."), "success")
    return _back(user.id)


@bp.route("/users/<int:user_id>/translator", methods=["POST"])
@admin_required
def set_translator(user_id):
    user = _user_or_404(user_id)
    prof = current_profile()
    form = TranslatorForm()
    form.locales.choices = [(lang.tag, lang.name) for lang in prof.languages]
    if not form.validate_on_submit():
        return _user_page(user, 422, translator_form=form)
    old, new = accounts.set_translator_locales(user.id, form.locales.data or [])
    if old != new:
        audit.record(current_user.id, "user.translator", "user", user.id, {"from": old, "to": new})
        db.session.commit()
        flash(_("Translation rights are saved."), "success")
    return _back(user.id)


@bp.route("/users/<int:user_id>/staff", methods=["POST"])
@admin_required
def set_staff(user_id):
    """Add (or, with remove=1, take away) one organisation the user is staff of."""
    user = _user_or_404(user_id)
    form = StaffForm()
    remove = request.form.get("remove") == "1"
    body = directory.get_body(form.body_id.data) if form.validate_on_submit() else None
    if body is None and not (remove and form.body_id.data in user.staff_org_ids):
        if not form.body_id.errors:
            form.body_id.errors = [_("Choose a public body.")]
        return _user_page(user, 422, staff_form=form)
    org_id = body.id if body else form.body_id.data
    detail = accounts.set_staff(user.id, org_id, member=not remove)
    if detail:
        if body:
            detail["name"] = body.name
        audit.record(current_user.id, "user.staff_remove" if remove else "user.staff_add", "user", user.id, detail)
        db.session.commit()
        name = body.name if body else str(org_id)
        if remove:
            flash(_("%(name)s is no longer staff of %(body)s.", name=user.name, body=name), "success")
        else:
            flash(_("%(name)s is now staff of %(body)s.", name=user.name, body=name), "success")
    return _back(user.id)
