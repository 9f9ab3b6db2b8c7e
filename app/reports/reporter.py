"""The reporter's own actions: questionnaire answers, edit before sending, hide name, ask removal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..core.models import utcnow
from ..extensions import db, limiter
from . import services as svc
from . import states as S
from .forms import ReasonForm
from .models import Questionnaire, Report, Update
from .routes import bp
from .routes_view import _is_reporter, _report_or_404, apply_update, remember_reporter

ANSWERS = ("yes", "no", "unknown")


@bp.route("/reports/questionnaire/<token>", methods=["GET", "POST"])
@limiter.limit("30/hour", methods=["POST"])
def questionnaire(token):
    q = db.session.scalar(select(Questionnaire).where(Questionnaire.token == token))
    if q is None:
        abort(404)
    report = db.session.get(Report, q.report_id)
    if request.method == "GET" or q.answered_at is not None:
        return render_template("reports/questionnaire.html", q=q, report=report,
                               answer=request.args.get("answer") if request.args.get("answer") in ANSWERS else None)
    answer = request.form.get("answer")
    if answer not in ANSWERS:
        return render_template("reports/questionnaire.html", q=q, report=report, answer=None,
                               error=_("Please choose an answer.")), 422
    q.answer, q.answered_at = answer, utcnow()
    text = (request.form.get("text") or "").strip()[:4000]
    upd = Update(report_id=report.id, kind="questionnaire", text=text, name=report.name, email=report.email,
                 user_id=report.user_id, show_name=report.show_name, language=report.language)
    if answer == "yes" and report.state in S.OPEN_STATES:
        upd.new_state = "fixed - user"
    elif answer == "no" and report.state in S.FIXED_STATES + S.CLOSED_STATES:
        upd.new_state = "confirmed"
    if text or upd.new_state:
        db.session.add(upd)
        db.session.flush()
        apply_update(report, upd)  # forwards it to the body once (a reopening tells the body)
    db.session.commit()
    flash(_("Thank you for your answer."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


def _own(report_id) -> Report:
    report = _report_or_404(report_id)
    if not _is_reporter(report):
        abort(403)
    return report


@bp.route("/reports/<int:report_id>/edit", methods=["GET", "POST"])
def edit(report_id):
    report = _own(report_id)
    if report.sent_at is not None:
        flash(_("This report has been sent, so it can no longer be edited."), "error")
        return redirect(url_for(".detail", report_id=report.id), 303)
    error = None
    if request.method == "POST":
        title = (request.form.get("title") or "").strip()
        if not title:
            error = _("Please give the problem a short summary.")
        else:
            report.title = title[: svc.TITLE_MAX]
            report.detail = (request.form.get("detail") or "").strip()[: svc.DETAIL_MAX]
            db.session.commit()
            return redirect(url_for(".detail", report_id=report.id), 303)
    return render_template("reports/edit.html", report=report, error=error), 422 if error else 200


@bp.route("/reports/<int:report_id>/name", methods=["POST"])
def toggle_name(report_id):
    report = _own(report_id)
    report.show_name = request.form.get("show_name") == "1"
    db.session.commit()
    flash(_("Your name is now shown.") if report.show_name else _("Your name is now hidden."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


@bp.route("/reports/<int:report_id>/removal", methods=["GET", "POST"])
def removal(report_id):
    report = _own(report_id)
    form = ReasonForm()
    if request.method == "POST":
        if form.validate():
            report.removal_requested_at = utcnow()
            report.removal_reason = form.reason.data.strip()
            db.session.commit()
            flash(_("Your request has been passed to the moderators."), "success")
            return redirect(url_for(".detail", report_id=report.id), 303)
        return render_template("reports/removal.html", report=report, form=form), 422
    return render_template("reports/removal.html", report=report, form=form)


@bp.route("/reports/stop/<token>", methods=["GET", "POST"])
def reporter_stop(token):
    """"Stop these emails" in the mails a reporter gets about updates on their report. A GET only
    asks (mail scanners follow links); the POST stops them."""
    data = svc.unsign("reporter-stop", token)
    if not (isinstance(data, list) and len(data) == 2):
        abort(404)
    report = db.session.get(Report, svc.valid_id(data[0]) or 0)
    if report is None or report.email != data[1]:
        abort(404)
    if request.method == "POST" and svc.stop_reporter_emails(report):
        db.session.commit()
    done = "unsubscribed" if svc.reporter_emails_stopped(report) else "ask"
    what = _("updates on the report “%(title)s”", title=report.title)
    return render_template("reports/alert_done.html", what=what, done=done)


@bp.route("/reports/manage/<token>")
def manage(token):
    """The link in the reporter's confirmation email: this browser may then act as the reporter
    (no account needed). It changes nothing by itself, so mail scanners may follow it."""
    data = svc.unsign("manage", token)
    if not (isinstance(data, list) and len(data) == 2):
        abort(404)
    report = _report_or_404(data[0])
    if report.email != data[1]:
        abort(404)
    remember_reporter(report)
    return redirect(url_for(".detail", report_id=report.id), 303)
