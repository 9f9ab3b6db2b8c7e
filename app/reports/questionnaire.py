"""Four weeks after sending: "has it been fixed?" (yes / no / don't know, optional update)."""

from __future__ import annotations

from sqlalchemy import select

from ..core.mail import queue_email
from ..core.models import utcnow
from ..extensions import db
from . import states as S
from .models import Questionnaire, Report
from .services import link as _link


def send_due(limit: int = 200) -> int:
    """The registered job: ask reporters of reports sent four weeks ago (commits)."""
    now = utcnow()
    rows = list(db.session.scalars(
        select(Report).where(Report.questionnaire_due_at.is_not(None), Report.questionnaire_due_at <= now,
                             Report.state.in_(S.OPEN_STATES + S.FIXED_STATES)).limit(limit)
    ))
    sent = 0
    for report in rows:
        report.questionnaire_due_at = None
        if not report.email:  # e.g. an Open311 report made without one: nobody to ask
            continue
        sent += 1
        q = Questionnaire(report_id=report.id)
        db.session.add(q)
        db.session.flush()
        queue_email(report.email, "reports/email/questionnaire.txt", {
            "report": report,
            "yes": _link("reports.questionnaire", token=q.token, answer="yes"),
            "no": _link("reports.questionnaire", token=q.token, answer="no"),
            "unknown": _link("reports.questionnaire", token=q.token, answer="unknown"),
            "url": _link("reports.questionnaire", token=q.token),
        }, language=report.language)
    db.session.commit()
    return sent
