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

from ..core import audit
from ..core.auth import moderator_required
from ..directory import services as directory
from ..extensions import db
from . import services, states
from .labels import scope_label
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


def _scope_exists(scope: str, scope_id: int) -> bool:
    if scope == "request":
        return db.session.get(FoiRequest, scope_id) is not None
    if scope == "user":
        from ..accounts import services as accounts

        return accounts.get_info(scope_id) is not None
    if scope == "authority":
        return directory.get_body(scope_id) is not None
    return True


def _rule_form(form) -> tuple[dict, dict]:
    """(values, errors) of a redaction rule form."""
    errors = {}
    pattern = (form.get("pattern") or "").strip()
    is_regex = form.get("is_regex") == "1"
    scope = form.get("scope", "global")
    scope_id = (form.get("scope_id") or "").strip()
    if not pattern:
        errors["pattern"] = _("Please give the text or pattern to hide.")
    else:
        try:
            compile_rule(pattern, is_regex)
        except re.error as exc:
            errors["pattern"] = _("This regular expression is not valid: %(error)s", error=str(exc))
    number = int(scope_id) if scope_id.isdigit() and len(scope_id) < 10 else None
    if scope not in SCOPES:
        errors["scope"] = _("Please choose a scope.")
    elif scope != "global" and number is None:
        errors["scope_id"] = _("Please give the number of the request, user or authority.")
    elif scope != "global" and not _scope_exists(scope, number):
        errors["scope_id"] = _("There is no %(thing)s.", thing=scope_label(scope, number))
    if not (form.get("note") or "").strip():
        errors["note"] = _("Please say why (kept for the audit trail).")
    values = {"pattern": pattern, "is_regex": is_regex, "scope": scope,
              "scope_id": number if scope != "global" else None,
              "replacement": (form.get("replacement") or "").strip()[:200] or "[REDACTED]",
              "note": (form.get("note") or "").strip()}
    return values, errors


def _rule_detail(rule: FoiRedaction) -> dict:
    return {"pattern": rule.pattern, "regex": rule.is_regex, "scope": rule.scope, "scope_id": rule.scope_id,
            "replacement": rule.replacement}


@bp.route("/admin/foi/redactions", methods=["GET", "POST"])
@moderator_required
def redactions():
    """Add, change (?edit=<id>) and delete redaction rules; every change is in the audit log."""
    errors, form = {}, request.form
    editing = db.session.get(FoiRedaction, request.values.get("rule", type=int) or 0) \
        if (request.values.get("rule") or "").isdigit() and len(request.values.get("rule")) < 10 else None
    if request.method == "POST" and form.get("delete"):
        if editing is None:
            abort(404)
        audit.record(current_user.id, "foi.redaction.delete", "foi_redaction", editing.id, _rule_detail(editing))
        db.session.delete(editing)
        db.session.commit()
        forget_rules()
        flash(_("The redaction rule is deleted."), "success")
        return redirect(url_for("foi_admin.redactions"), 303)
    if request.method == "POST":
        values, errors = _rule_form(form)
        if not errors:
            if editing is None:
                editing = FoiRedaction(created_by=current_user.id)
                db.session.add(editing)
                action = "foi.redaction.create"
            else:
                action = "foi.redaction.update"
            # The requests the old scope reached are reindexed too (search.py notes the new one).
            old_scope = (editing.scope, editing.scope_id)
            for key, value in values.items():
                setattr(editing, key, value)
            db.session.flush()
            from .search import PENDING

            if old_scope[0]:
                db.session.info.setdefault(PENDING, set()).add(old_scope)
            audit.record(current_user.id, action, "foi_redaction", editing.id, _rule_detail(editing),
                         reason=values["note"])
            db.session.commit()
            forget_rules()
            flash(_("The redaction rule is saved and applies everywhere at once."), "success")
            return redirect(url_for("foi_admin.redactions"), 303)
    elif editing is not None:
        form = {"pattern": editing.pattern, "replacement": editing.replacement, "scope": editing.scope,
                "scope_id": editing.scope_id or "", "note": editing.note, "is_regex": "1" if editing.is_regex else ""}
    rules = db.session.scalars(select(FoiRedaction).order_by(FoiRedaction.id.desc())).all()
    return render_template("foi/admin_redactions.html", rules=rules, errors=errors, form=form, scopes=SCOPES,
                           editing=editing), (422 if errors else 200)


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
    audit.record(current_user.id, "foi.prominence", f"foi_{kind}", item.id, {"prominence": value},
                 reason=item.prominence_reason)
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
                audit.record(current_user.id, "foi.holiday.delete", "foi_holiday", row.id, {"day": row.day.isoformat()})
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
            holiday = FoiHoliday(day=day, name=(form.get("name") or "").strip()[:200])
            db.session.add(holiday)
            db.session.flush()
            audit.record(current_user.id, "foi.holiday.create", "foi_holiday", holiday.id,
                         {"day": day.isoformat(), "name": holiday.name})
            moved = services.recompute_due_dates(day)
            db.session.commit()
            flash(ngettext("Saved. The due date of %(num)s open request moved.",
                           "Saved. The due dates of %(num)s open requests moved.", moved), "success")
            return redirect(url_for("foi_admin.holidays"), 303)
    rows = db.session.scalars(select(FoiHoliday).order_by(FoiHoliday.day.desc())).all()
    return render_template("foi/admin_holidays.html", rows=rows, errors=errors, form=form), (422 if errors else 200)
