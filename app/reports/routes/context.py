"""What the report views share: the report a URL names, whether this browser is its reporter,
and the report page's context."""

from __future__ import annotations

from flask import abort, session
from flask_login import current_user

from ...core.i18n import current_language
from .. import questions as Q
from .. import states as S
from ..forms import AlertForm, SupportForm, UpdateForm
from ..geometry import report_map
from ..models import Report
from ..queries import get_report, public_updates
from ..sending import minutes_after


def report_or_404(report_id) -> Report:
    report = get_report(report_id)  # ids too big for the database are simply unknown
    if report is None:
        abort(404)
    if not report.is_public and not (current_user.is_authenticated and current_user.can_moderate):
        abort(404 if report.state == "unconfirmed" else 410)
    return report


def is_reporter(report) -> bool:
    """The signed-in reporter, or a browser that followed the report's emailed manage link."""
    if report.id in session.get("managed_reports", []):
        return True
    return current_user.is_authenticated and (
        report.user_id == current_user.id or (report.email and report.email == current_user.email)
    )


def remember_reporter(report) -> None:
    """This browser holds the reporter's emailed link: let it edit, hide the name, ask removal."""
    kept = [i for i in session.get("managed_reports", []) if i != report.id][-19:]
    session["managed_reports"] = kept + [report.id]


def report_context(report, **extra):
    tag = current_language().tag
    sends = [(s, minutes_after(report, s)) for s in report.sends if s.status == "sent"]
    ctx = dict(
        report=report,
        tag=tag,
        updates=public_updates(report),
        sends=sends,
        S=S,
        map=report_map(report),
        is_reporter=is_reporter(report),
        update_form=UpdateForm(formdata=None),
        answers=Q.answer_rows(report.category.attributes, report.attributes, tag),
        support_form=SupportForm(formdata=None),
        alert_form=AlertForm(formdata=None),
    )
    ctx.update(extra)
    for key in ("support_form", "update_form", "alert_form"):  # three forms, one page: unique ids
        _prefix_ids(ctx[key], key.split("_")[0])
    return ctx


def _prefix_ids(form, prefix: str) -> None:
    """Give a form's inputs (and their labels) page-unique ids; the posted names stay the same."""
    for f in form:
        if not f.id.startswith(prefix + "-"):
            f.id = f"{prefix}-{f.id}"
            f.label.field_id = f.id
