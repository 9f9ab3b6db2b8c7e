"""Moderation of one report (moderators and admins): hide or show it, edit out personal data,
hide a photo or an update, redact an update, resolve a removal request, ban the reporter.
Every action needs a reason and is logged (who, when, why)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts import services as accounts
from ...core.auth import moderator_required
from ...core.models import utcnow
from ...extensions import db
from ..blueprint import admin_bp
from ..forms import ReasonForm
from ..models import Photo, Report, Update
from ..operations import cancel_unsent, hide_reports_of, log
from ..queries import email_banned, valid_id
from ..text import DETAIL_MAX, TITLE_MAX, xml_safe
from .reports import report_or_404

ACTIONS = ("hide", "unhide", "redact", "ban", "unban", "hide_update", "redact_update", "hide_photo", "resolve_removal")


def _update_of(report: Report) -> Update:
    upd = db.session.get(Update, valid_id(request.form.get("update_id")) or 0)
    if upd is None or upd.report_id != report.id:
        abort(404)
    return upd


@admin_bp.route("/<int:report_id>/moderate", methods=["POST"])
@moderator_required
def moderate(report_id):
    report = report_or_404(report_id)
    form = ReasonForm()
    action = request.form.get("action")
    if action not in ACTIONS:
        abort(400)
    if not form.validate():
        flash(_("Please give a reason."), "error")
        return redirect(url_for(".report", report_id=report.id), 303)
    reason = form.reason.data.strip()
    update_id = photo_id = target = None
    if action == "hide" and report.state != "hidden":
        report.state_before_hiding, report.state, report.hidden_reason = report.state, "hidden", reason
        cancel_unsent(report)  # a hidden report is never sent
    elif action == "unhide" and report.state == "hidden":
        report.state = report.state_before_hiding or "confirmed"
        if report.confirmed_at is not None and report.is_public:
            from ..sending import route

            route(report, resend=True)  # sends called off when it was hidden are made now
    elif action == "redact":
        report.title = xml_safe(request.form.get("title") or report.title).strip()[: TITLE_MAX] \
            or report.title
        report.detail = xml_safe(request.form.get("detail") or "").strip()[: DETAIL_MAX]
        if request.form.get("hide_name") == "1":
            report.show_name = False
    elif action in ("hide_update", "redact_update"):
        upd = _update_of(report)
        update_id = upd.id
        if action == "hide_update":
            upd.hidden_at = utcnow()
        else:
            upd.text = xml_safe(request.form.get("text") or "").strip()[: DETAIL_MAX]
    elif action == "hide_photo":
        photo = db.session.get(Photo, valid_id(request.form.get("photo_id")) or 0)
        if photo is None or photo.report_id != report.id:
            abort(404)
        photo.hidden_at, photo_id = utcnow(), photo.id
    elif action == "resolve_removal":
        report.removal_requested_at = None
    elif action == "ban":
        target = ban_reporter(report, reason)
    elif action == "unban" and not email_banned(report.email):
        # Only an email ban is lifted here; accounts are unbanned in Admin › Users.
        flash(_("This email address is not banned."), "error")
        return redirect(url_for(".report", report_id=report.id), 303)
    if action == "hide":  # hiding answers a removal request too
        report.removal_requested_at = None
    logged = f"{reason} (photo {photo_id})" if photo_id else reason
    log(current_user, action, logged, report_id=report.id, update_id=update_id,
            target_user_id=target)
    db.session.commit()
    flash(_("Done."), "success")
    return redirect(url_for(".report", report_id=report.id), 303)


def ban_reporter(report: Report, reason: str) -> int | None:
    """Ban the reporter (through accounts' services, whose signal hides their reports); a reporter
    without an account is banned by the report's email alone: the logged ban without a target
    account is that ban (see services.email_banned). Returns the banned account's id."""
    user_id = report.user_id
    if user_id is None:
        found = accounts.by_email(report.email)
        user_id = found.id if found is not None else None
    if user_id is not None and not accounts.is_banned(user_id=user_id):
        accounts.ban(user_id, reason)
    hide_reports_of(user_id, report.email, reason)
    return user_id
