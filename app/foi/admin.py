"""Admin pages under /<lang>/admin/foi/: requests needing attention, authorities missing an email,
redaction rules, prominence."""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..core.auth import moderator_required
from ..directory import services as directory
from ..extensions import db
from . import services, states
from .models import PROMINENCES, FoiAttachment, FoiHoliday, FoiMessage, FoiRedaction, FoiRequest
from .redaction import compile_rule, forget_rules

bp = Blueprint("foi_admin", __name__, template_folder="templates")
SCOPES = ("global", "request", "user", "authority")


@bp.route("/admin/foi/")
@moderator_required
def home():
    attention = db.session.scalars(select(FoiRequest).where(FoiRequest.state.in_(states.ATTENTION))
                                   .order_by(FoiRequest.last_event_at.desc())).all()
    missing, _total = directory.search_bodies(has_foi_email=False, limit=200)
    return render_template("foi/admin_home.html", attention=attention, missing=missing)


@bp.route("/admin/foi/redactions", methods=["GET", "POST"])
@moderator_required
def redactions():
    errors, form = {}, request.form
    if request.method == "POST":
        pattern = (form.get("pattern") or "").strip()
        is_regex = form.get("is_regex") == "1"
        scope = form.get("scope", "global")
        scope_id = form.get("scope_id", "").strip()
        if not pattern:
            errors["pattern"] = _("Please give the text or pattern to hide.")
        else:
            try:
                compile_rule(pattern, is_regex)
            except re.error as exc:
                errors["pattern"] = _("This regular expression is not valid: %(error)s", error=str(exc))
        if scope not in SCOPES:
            errors["scope"] = _("Please choose a scope.")
        elif scope != "global" and not scope_id.isdigit():
            errors["scope_id"] = _("Please give the number of the request, user or authority.")
        if not (form.get("note") or "").strip():
            errors["note"] = _("Please say why (kept for the audit trail).")
        if not errors:
            db.session.add(FoiRedaction(
                pattern=pattern, is_regex=is_regex, scope=scope, scope_id=int(scope_id) if scope != "global" else None,
                replacement=(form.get("replacement") or "").strip() or "[REDACTED]",
                note=form.get("note").strip(), created_by=current_user.id))
            db.session.commit()
            forget_rules()
            flash(_("The redaction rule is saved and applies everywhere at once."), "success")
            return redirect(url_for("foi_admin.redactions"), 303)
    rules = db.session.scalars(select(FoiRedaction).order_by(FoiRedaction.id.desc())).all()
    return render_template("foi/admin_redactions.html", rules=rules, errors=errors, form=form, scopes=SCOPES), (
        422 if errors else 200)


@bp.route("/admin/foi/prominence/<kind>/<int:item_id>", methods=["POST"])
@moderator_required
def prominence(kind, item_id):
    model = {"request": FoiRequest, "message": FoiMessage, "attachment": FoiAttachment}.get(kind)
    item = db.session.get(model, item_id) if model else None
    if item is None:
        abort(404)
    value = request.form.get("prominence")
    if value not in PROMINENCES:
        abort(400)
    item.prominence = value
    item.prominence_reason = (request.form.get("reason") or "").strip() or None
    db.session.commit()
    req = item if kind == "request" else (item.request if kind == "message" else item.message.request)
    flash(_("Saved."), "success")
    return redirect(url_for("foi.request_page", request_id=req.id), 303)


@bp.route("/admin/foi/holidays", methods=["GET", "POST"])
@moderator_required
def holidays():
    """Non-working days added by admins (on top of the profile's): due dates of open requests move."""
    errors, form = {}, request.form
    if request.method == "POST":
        if form.get("delete"):
            row = db.session.get(FoiHoliday, form.get("delete", type=int))
            if row is not None:
                db.session.delete(row)
                db.session.flush()
                services.recompute_due_dates(row.day)
                db.session.commit()
            return redirect(url_for("foi_admin.holidays"), 303)
        try:
            day = dt.date.fromisoformat((form.get("day") or "").strip())
        except ValueError:
            errors["day"] = _("Please give a date like 2025-03-31.")
        else:
            if db.session.scalar(select(FoiHoliday).where(FoiHoliday.day == day)):
                errors["day"] = _("This day is already in the list.")
        if not errors:
            db.session.add(FoiHoliday(day=day, name=(form.get("name") or "").strip()[:200]))
            db.session.flush()
            moved = services.recompute_due_dates(day)
            db.session.commit()
            flash(ngettext("Saved. The due date of %(num)s open request moved.",
                           "Saved. The due dates of %(num)s open requests moved.", moved), "success")
            return redirect(url_for("foi_admin.holidays"), 303)
    rows = db.session.scalars(select(FoiHoliday).order_by(FoiHoliday.day.desc())).all()
    return render_template("foi/admin_holidays.html", rows=rows, errors=errors, form=form), (422 if errors else 200)
