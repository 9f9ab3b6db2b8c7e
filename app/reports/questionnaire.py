"""Four weeks after sending: "has it been fixed?" (yes / no / don't know, optional update)."""

from __future__ import annotations

from sqlalchemy import select

from ..core.mail import list_unsubscribe, queue_email
from ..core.models import utcnow
from ..extensions import db
from . import states as S
from .models import Questionnaire, Report
from .queries import reporter_emails_stopped
from .settings import link as _link
from .settings import mail_language
from .signing import sign


def send_due(limit: int = 200) -> int:
    """The registered job: ask reporters of reports sent four weeks ago (commits)."""
    now = utcnow()
    rows = list(
        db.session.scalars(
            select(Report)
            .where(
                Report.questionnaire_due_at.is_not(None),
                Report.questionnaire_due_at <= now,
                Report.state.in_(S.OPEN_STATES + S.FIXED_STATES),
            )
            .limit(limit)
        )
    )
    sent = 0
    for report in rows:
        report.questionnaire_due_at = None
        if not report.email:  # e.g. an Open311 report made without one: nobody to ask
            continue
        if reporter_emails_stopped(report):  # the reporter chose "stop these emails"
            continue
        sent += 1
        q = Questionnaire(report_id=report.id)
        db.session.add(q)
        db.session.flush()
        lang = mail_language(report.language)  # links in the reporter's language, not the job's
        stop = _link("reports.reporter_stop", token=sign("reporter-stop", [report.id, report.email]), lang=lang)
        queue_email(
            report.email,
            "reports/email/questionnaire.txt",
            {
                "report": report,
                "yes": _link("reports.questionnaire", token=q.token, answer="yes", lang=lang),
                "no": _link("reports.questionnaire", token=q.token, answer="no", lang=lang),
                "unknown": _link("reports.questionnaire", token=q.token, answer="unknown", lang=lang),
                "url": _link("reports.questionnaire", token=q.token, lang=lang),
                "unsubscribe": stop,
            },
            language=report.language,
            headers=list_unsubscribe(stop),
        )
    db.session.commit()
    return sent
