"""Admin pages under /<lang>/admin/foi/: requests needing attention, authorities missing an email,
redaction rules, prominence, holidays."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.auth import moderator_required
from ..directory import services as directory
from ..extensions import db
from . import moderation, queries
from .blueprint import admin_bp as bp
from .forms import SCOPES, HolidayForm, ProminenceForm, RedactionRuleForm, typed
from .models import PROMINENCES
from .redaction import forget_rules


@bp.route("/")
@moderator_required
def home():
    missing, _total = directory.search_bodies(has_foi_email=False, limit=200)
    return render_template("foi/admin_home.html", attention=queries.needing_attention(), missing=missing)


def _rule_id() -> int | None:
    raw = request.values.get("rule") or ""
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


@bp.route("/redactions", methods=["GET", "POST"])
@moderator_required
def redactions():
    """Add, change (?rule=<id>) and delete redaction rules; every change is in the audit log."""
    errors, form = {}, RedactionRuleForm()
    editing = queries.redaction_rule(_rule_id())
    shown = typed(form)  # what was typed comes back with the errors
    if request.method == "POST" and form.delete.data:
        if editing is None:
            abort(404)
        moderation.delete_rule(current_user, editing)
        db.session.commit()
        forget_rules()
        flash(_("The redaction rule is deleted."), "success")
        return redirect(url_for("foi_admin.redactions"), 303)
    if request.method == "POST":
        values, errors = form.check()
        if not errors:
            moderation.save_rule(current_user, editing, values)
            db.session.commit()
            forget_rules()
            flash(_("The redaction rule is saved and applies everywhere at once."), "success")
            return redirect(url_for("foi_admin.redactions"), 303)
    elif editing is not None:
        shown = {
            "pattern": editing.pattern,
            "replacement": editing.replacement,
            "scope": editing.scope,
            "scope_id": editing.scope_id or "",
            "note": editing.note,
            "is_regex": "1" if editing.is_regex else "",
        }
    return render_template(
        "foi/admin_redactions.html",
        rules=queries.redaction_rules(),
        errors=errors,
        form=shown,
        scopes=SCOPES,
        editing=editing,
    ), (422 if errors else 200)


@bp.route("/prominence/<kind>/<int:item_id>", methods=["POST"])
@moderator_required
def prominence(kind, item_id):
    item = queries.get_item(kind, item_id)
    if item is None:
        abort(404)
    form = ProminenceForm()
    if form.prominence.data not in PROMINENCES:
        abort(400)
    req = moderation.set_prominence(current_user, kind, item, form.prominence.data, (form.reason.data or "").strip())
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("foi.request_page", request_id=req.id), 303)


@bp.route("/holidays", methods=["GET", "POST"])
@moderator_required
def holidays():
    """Non-working days added by admins (on top of the profile's): due dates of open requests move."""
    errors, form = {}, HolidayForm()
    if request.method == "POST":
        if form.delete.data:
            row = queries.holiday(int(form.delete.data) if form.delete.data.isdigit() else None)
            if row is not None:
                moderation.delete_holiday(current_user, row)
                db.session.commit()
            return redirect(url_for("foi_admin.holidays"), 303)
        day, errors = form.check()
        if not errors:
            moved = moderation.add_holiday(current_user, day, (form.name.data or "").strip())
            db.session.commit()
            flash(
                ngettext(
                    "Saved. The due date of %(num)s open request moved.",
                    "Saved. The due dates of %(num)s open requests moved.",
                    moved,
                ),
                "success",
            )
            return redirect(url_for("foi_admin.holidays"), 303)
    return render_template("foi/admin_holidays.html", rows=queries.holidays(), errors=errors, form=typed(form)), (
        422 if errors else 200
    )
