"""Moderation of one report (moderators and admins): hide or show it, edit out personal data,
hide a photo or an update, redact an update, resolve a removal request, ban the reporter.
Every action needs a reason and is logged (who, when, why)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...core.auth import moderator_required
from ...extensions import db
from ..blueprint import admin_bp
from ..forms import ReasonForm
from ..queries import valid_id
from .operations import ACTIONS, NotBanned, NotFound
from .operations import moderate as moderate_report
from .reports import report_or_404


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
    values = dict(request.form.items())
    values["update_id"], values["photo_id"] = valid_id(values.get("update_id")), valid_id(values.get("photo_id"))
    try:
        moderate_report(report, current_user, action, form.reason.data.strip(), values)
    except NotFound:
        abort(404)
    except NotBanned:
        flash(_("This email address is not banned."), "error")
        return redirect(url_for(".report", report_id=report.id), 303)
    db.session.commit()
    flash(_("Done."), "success")
    return redirect(url_for(".report", report_id=report.id), 303)
