"""Sending by email: the report is queued in the outbox when it is routed; its send counts as
sent once the outbox has delivered the mail. Public updates are mailed on to the body."""

from __future__ import annotations

from sqlalchemy import or_, select

from ...areas import services as areas
from ...core.i18n import force_language
from ...core.mail import OutboxMessage, outbox, queue_email, reply_address
from ...core.models import utcnow
from ...directory import services as directory
from ...extensions import db
from ..models import Contact, Report, Send, Update
from ..settings import link, mail_language
from .base import SendMethod, body_language, handed_over, mark_sent


def _area_names(report: Report) -> list[str]:
    found = areas.areas(report.area_ids or [])
    return [a.name for a in sorted(found, key=lambda a: a.level)]


class EmailSend(SendMethod):
    name = "email"

    def hand_over(self, report: Report, body, contact: Contact, send: Send) -> None:
        lang = body_language(body)
        with force_language(lang):
            context = {
                "report": report,
                "body_name": send.body_name,
                "category": report.category.label(lang),
                "areas": _area_names(report),
                "photos": [link("reports.photo", key=p.key, size="full", lang=lang) for p in report.photos],
                "url": link("reports.detail", report_id=report.id, lang=lang),
            }
        mail = queue_email(
            contact.email or body.email,
            "reports/email/to_body.txt",
            context,
            language=lang,
            reply_to=reply_address("report", report.id),
            headers={"X-Plaza-Report": str(report.id)},
            automatic=False,  # the reporter's own report: the body's acknowledgement is wanted
        )
        db.session.flush()
        # The send is "sent" once the outbox has delivered the mail (see follow_outbox); the report
        # counts as sent now, as its text is fixed in that mail (no more edits).
        send.status, send.outbox_id = "queued", mail.id
        handed_over(report, utcnow())

    def forward_update(self, report: Report, upd: Update) -> None:
        for send in report.sends:
            if send.status not in ("sent", "queued") or send.method != "email" or not send.contact_id:
                continue
            contact = db.session.get(Contact, send.contact_id)
            body = directory.get_body(send.body_id)
            to = (contact.email if contact else None) or (body.email if body else None)
            if not to or (upd.body_id and upd.body_id == send.body_id):
                continue
            queue_email(
                to,
                "reports/email/update_body.txt",
                {
                    "report": report,
                    "update": upd,
                    "url": link("reports.detail", report_id=report.id, lang=mail_language(body_language(body))),
                },
                language=body_language(body),
                reply_to=reply_address("report", report.id),
                automatic=False,  # a person's update, relayed
            )

    def retry(self, send: Send) -> bool:
        if not send.outbox_id or not outbox.retry(send.outbox_id):
            return False
        send.status = "queued"
        return True


def follow_outbox(limit: int = 500) -> tuple[int, int]:
    """Email sends follow their outbox mail: delivered -> sent, given up -> failed, retrying ->
    its attempts and error. The caller commits."""
    rows = db.session.execute(
        select(Send, OutboxMessage)
        .outerjoin(OutboxMessage, OutboxMessage.id == Send.outbox_id)
        .where(
            Send.status == "queued",
            or_(OutboxMessage.id.is_(None), OutboxMessage.status != "pending", OutboxMessage.attempts != Send.attempts),
        )
        .order_by(Send.id)
        .limit(limit)
    ).all()
    done = failed = 0
    for send, mail in rows:
        report = db.session.get(Report, send.report_id)
        if mail is None or mail.status == "sent":  # (a removed outbox row was handed over)
            mark_sent(report, send, at=mail.sent_at if mail is not None else None)
            done += 1
            continue
        send.attempts, send.last_error = mail.attempts, mail.last_error
        if mail.status == "failed":
            send.status = "failed"
            failed += 1
    return done, failed
