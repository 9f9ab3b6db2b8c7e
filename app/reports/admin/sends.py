"""Admins see failed and retrying sends (report and update deliveries) and try them again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...core.auth import admin_required
from ...extensions import db
from .. import states as S
from ..blueprint import admin_bp
from ..models import Send
from ..sending import list_sends, problem_sends
from . import queries as AQ
from .operations import retry

SEND_STATUSES = {
    # Translators: state of one delivery of a report to a body
    "pending": _l("waiting"),
    # Translators: state of one delivery of a report to a body: the email is waiting in the outbox
    "queued": _l("in the outbox"),
    # Translators: state of one delivery of a report to a body
    "sent": _l("sent"),
    # Translators: state of one delivery of a report to a body: it will not be tried again by itself
    "failed": _l("failed"),
    # Translators: state of one delivery of a report to a body: no longer needed
    "superseded": _l("cancelled"),
    # Translators: state of one delivery of an update to a body whose Open311 server does not take updates
    "unsupported": _l("not accepted by the body's server"),
}


@admin_bp.app_template_global("send_status_label")
def send_status_label(status: str) -> str:
    return str(SEND_STATUSES.get(status, status))


@admin_bp.app_template_global("send_method_label")
def send_method_label(method: str) -> str:
    return str(S.SEND_METHODS.get(method, method))


# The admin report page includes reports/_sends.html, which reads a report's sends through this.
admin_bp.add_app_template_global(list_sends, "report_sends")


@admin_bp.route("/sends/")
@admin_required
def sends():
    return render_template("reports/admin_sends.html", rows=problem_sends())


@admin_bp.route("/sends/<int:send_id>/retry", methods=["POST"])
@admin_required
def send_retry(send_id):
    send = AQ.get(Send, send_id)
    if send is None:
        abort(404)
    if retry(current_user, send):
        db.session.commit()
        flash(_("The send will be tried again in a minute."), "success")
    else:
        flash(_("This send cannot be tried again."), "error")
    if request.form.get("back") == "report":
        return redirect(url_for(".report", report_id=send.report_id), 303)
    return redirect(url_for(".sends"), 303)
