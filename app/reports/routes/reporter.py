"""The reporter's own actions: questionnaire answers, edit before sending, hide name, ask removal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...extensions import csrf, db, limiter
from ..blueprint import bp
from ..forms import ReasonForm
from ..models import Report
from ..operations import ask_removal, edit_report, show_name, stop_reporter_emails
from ..queries import get_report, questionnaire_by_token, reporter_emails_stopped
from ..signing import unsign
from ..updates import answer_questionnaire
from .context import is_reporter, remember_reporter, report_or_404

ANSWERS = ("yes", "no", "unknown")


@bp.route("/questionnaire/<token>", methods=["GET", "POST"])
@limiter.limit("30/hour", methods=["POST"])
def questionnaire(token):
    q = questionnaire_by_token(token)
    if q is None:
        abort(404)
    report = get_report(q.report_id)
    if request.method == "GET" or q.answered_at is not None:
        return render_template(
            "reports/questionnaire.html",
            q=q,
            report=report,
            answer=request.args.get("answer") if request.args.get("answer") in ANSWERS else None,
        )
    answer = request.form.get("answer")
    if answer not in ANSWERS:
        return render_template(
            "reports/questionnaire.html", q=q, report=report, answer=None, error=_("Please choose an answer.")
        ), 422
    answer_questionnaire(q, report, answer, request.form.get("text") or "")
    db.session.commit()
    flash(_("Thank you for your answer."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


def _own(report_id) -> Report:
    report = report_or_404(report_id)
    if not is_reporter(report):
        abort(403)
    return report


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
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
            edit_report(report, title, request.form.get("detail") or "")
            db.session.commit()
            return redirect(url_for(".detail", report_id=report.id), 303)
    return render_template("reports/edit.html", report=report, error=error), 422 if error else 200


@bp.route("/<int:report_id>/name", methods=["POST"])
def toggle_name(report_id):
    report = _own(report_id)
    show_name(report, request.form.get("show_name") == "1")
    db.session.commit()
    flash(_("Your name is now shown.") if report.show_name else _("Your name is now hidden."), "success")
    return redirect(url_for(".detail", report_id=report.id), 303)


@bp.route("/<int:report_id>/removal", methods=["GET", "POST"])
def removal(report_id):
    report = _own(report_id)
    form = ReasonForm()
    if request.method == "POST":
        if form.validate():
            ask_removal(report, form.reason.data)
            db.session.commit()
            flash(_("Your request has been passed to the moderators."), "success")
            return redirect(url_for(".detail", report_id=report.id), 303)
        return render_template("reports/removal.html", report=report, form=form), 422
    return render_template("reports/removal.html", report=report, form=form)


@bp.route("/stop/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: mail programs POST with no form; the signed token is the proof
def reporter_stop(token):
    """ "Stop these emails" in the mails a reporter gets about updates on their report. A GET only
    asks (mail scanners follow links); the POST stops them."""
    data = unsign("reporter-stop", token)
    if not (isinstance(data, list) and len(data) == 2):
        abort(404)
    report = get_report(data[0])
    if report is None or report.email != data[1]:
        abort(404)
    if request.method == "POST" and stop_reporter_emails(report):
        db.session.commit()
    done = "unsubscribed" if reporter_emails_stopped(report) else "ask"
    what = _("updates on the report “%(title)s”", title=report.title)
    return render_template("reports/alert_done.html", what=what, done=done)


@bp.route("/manage/<token>")
def manage(token):
    """The link in the reporter's confirmation email: this browser may then act as the reporter
    (no account needed). It changes nothing by itself, so mail scanners may follow it."""
    data = unsign("manage", token)
    if not (isinstance(data, list) and len(data) == 2):
        abort(404)
    report = report_or_404(data[0])
    if report.email != data[1]:
        abort(404)
    remember_reporter(report)
    return redirect(url_for(".detail", report_id=report.id), 303)
