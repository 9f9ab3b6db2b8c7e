"""Getting reports and their updates to the bodies responsible. One backend per send method
(email, Open311) behind SendMethod; this dispatcher picks it by the contact's send method."""

from __future__ import annotations

import urllib.error

from sqlalchemy import or_, select

from ...core.models import utcnow
from ...extensions import db
from ..models import Contact, Report, Send, Update
from ..queries import contacts_for, covering_bodies
from .base import BASE_DELAY, SendMethod, body_language, body_name, fail, mark_sent, minutes_after
from .email import EmailSend, follow_outbox
from .open311 import Moot, NotYet, Open311Send, description, unsupported

__all__ = [
    "SendMethod",
    "body_language",
    "body_name",
    "description",
    "forward_update",
    "list_sends",
    "minutes_after",
    "problem_sends",
    "process_sends",
    "retry_send",
    "route",
]

# In this order: a public update is recorded for Open311 bodies, then mailed to email bodies.
BACKENDS: dict[str, SendMethod] = {"open311": Open311Send(), "email": EmailSend()}


def backend(method: str | None) -> SendMethod:
    return BACKENDS[method or "email"]


def route(report: Report, resend: bool = False) -> list[Send]:
    """Create a Send per body responsible for the report's category at its point, and hand it to
    its backend (emails are queued in the outbox at once, in the same transaction; Open311 sends
    wait for the job). With resend=True (category changed), bodies already sent to are not sent
    to again and pending sends to bodies no longer responsible are dropped."""
    bodies = {b.id: b for b in covering_bodies(report.lat, report.lon)}
    by_body: dict[int, Contact] = {}
    for c in contacts_for(list(bodies), report.category_id):
        by_body.setdefault(c.body_id, c)
    made = []
    live = ("sent", "pending", "queued")
    if resend:
        for s in report.sends:
            if s.status == "pending" and s.body_id not in by_body:
                s.status = "superseded"
    already = {s.body_id for s in report.sends if s.status in live}
    for body_id, contact in by_body.items():
        if body_id in already:
            continue
        body = bodies[body_id]
        send = Send(
            report_id=report.id,
            body_id=body_id,
            body_name=body_name(body),
            contact_id=contact.id,
            method=contact.send_method or "email",
            status="pending",
            attempts=0,
            next_attempt_at=utcnow(),
        )
        report.sends.append(send)
        db.session.add(send)
        made.append(send)
        backend(send.method).hand_over(report, body, contact, send)
    # The bodies responsible now (after a category change, the old body's staff no longer manage
    # it); a category nobody takes here keeps the bodies it had.
    report.body_ids = (sorted(by_body) or list(report.body_ids or [])) if resend else sorted(by_body)
    db.session.flush()
    return made


def forward_update(report: Report, upd: Update) -> None:
    """A public update goes on to every body the report was sent to, each by its own method."""
    for method in BACKENDS.values():
        method.forward_update(report, upd)


def process_sends(limit: int = 50) -> tuple[int, int]:
    """The registered job: try due sends (reports, then forwarded updates; failures back off and
    end up 'failed'), and record email sends the outbox has delivered or given up on."""
    now = utcnow()
    rows = list(
        db.session.scalars(
            select(Send)
            .where(Send.status == "pending", Send.method == "open311", Send.next_attempt_at <= now)
            .order_by(Send.update_id.is_not(None), Send.id)
            .limit(limit)
        )
    )
    ok = bad = 0
    for send in rows:
        report = db.session.get(Report, send.report_id)
        if report.state == "hidden":
            send.status = "superseded"
            db.session.commit()
            continue
        method = backend(send.method)
        try:
            if send.update_id is None:
                mark_sent(report, send, method.deliver(report, send))
            else:
                send.external_id = method.deliver_update(send)
                send.status, send.sent_at, send.last_error = "sent", utcnow(), None
            ok += 1
        except NotYet:
            send.next_attempt_at = utcnow() + BASE_DELAY
        except Moot as exc:
            send.status, send.last_error = "superseded", str(exc)
        except (OSError, ValueError, RuntimeError, urllib.error.URLError) as exc:
            if send.update_id is not None and unsupported(exc):
                send.status, send.last_error = "unsupported", f"{type(exc).__name__}: {exc}"[:2000]
            else:
                bad += 1
                fail(send, exc)
        db.session.commit()
    done, failed = follow_outbox()
    db.session.commit()
    return ok + done, bad + failed


def retry_send(send_id: int) -> bool:
    """Try a failed or waiting send again now (an email send: its outbox mail). The caller commits."""
    send = db.session.get(Send, send_id)
    if send is None or send.status in ("sent", "superseded"):
        return False
    return backend(send.method).retry(send)


# -- for admins ----------------------------------------------------------------------------
def list_sends(report_id: int) -> list[Send]:
    """Every send of a report, its forwarded updates included, oldest first."""
    return list(db.session.scalars(select(Send).where(Send.report_id == report_id).order_by(Send.id)))


def problem_sends(limit: int = 200) -> list[Send]:
    """Failed sends and sends that are being retried, newest first."""
    return list(
        db.session.scalars(
            select(Send)
            .where(or_(Send.status == "failed", Send.status.in_(("pending", "queued")) & (Send.attempts > 0)))
            .order_by(Send.id.desc())
            .limit(limit)
        )
    )
