"""What every send method shares: the interface a backend implements, and the bookkeeping of a
send (handed over, sent, failed and backed off)."""

from __future__ import annotations

import datetime as dt
import logging

from ...core.i18n import force_language
from ...core.models import utcnow
from ...core.profile import current_profile
from ...directory import services as directory
from ..models import Contact, Report, Send, Update

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BASE_DELAY = dt.timedelta(minutes=2)


class SendMethod:
    """One way of getting a report to a body (as FixMyStreet's SendReport). The dispatcher picks
    the backend by the contact's send method."""

    name = ""

    def hand_over(self, report: Report, body, contact: Contact, send: Send) -> None:
        """Called when the report is routed, in the same transaction (nothing by default: the
        send job delivers it later)."""

    def deliver(self, report: Report, send: Send) -> str | None:
        """Called by the send job for a pending send; returns the body's id for it."""
        raise NotImplementedError

    def deliver_update(self, send: Send) -> str | None:
        """Called by the send job for a pending forwarded update; returns the body's id for it."""
        raise NotImplementedError

    def forward_update(self, report: Report, upd: Update) -> None:
        """A public update was published: pass it on to the bodies this method reaches."""

    def retry(self, send: Send) -> bool:
        """Try a failed or waiting send again now; False when it cannot be."""
        send.status, send.next_attempt_at = "pending", utcnow()
        send.attempts = min(send.attempts, MAX_ATTEMPTS - 1)
        return True


def body_language(body) -> str:
    prof = current_profile()
    tag = getattr(body, "language", None)
    return tag if tag and prof.language(tag) else prof.default_language


def body_name(body) -> str:
    """The body's name in its own language: how it is addressed and how its sends are stored,
    whatever language the reporter used."""
    with force_language(body_language(body)):
        found = directory.get_body(body.id)
    return found.name if found is not None else body.name


def handed_over(report: Report, now) -> None:
    if report.sent_at is None:
        report.sent_at = now
        report.questionnaire_due_at = now + dt.timedelta(weeks=4)


def mark_sent(report: Report, send: Send, external_id: str | None = None, at=None) -> None:
    now = at or utcnow()
    send.status, send.sent_at, send.last_error = "sent", now, None
    if external_id:
        send.external_id = external_id
    handed_over(report, now)


def fail(send: Send, exc: Exception) -> None:
    send.attempts += 1
    send.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if send.attempts >= MAX_ATTEMPTS or getattr(exc, "permanent", False):  # a 400 stays a 400
        send.status = "failed"
    else:
        send.next_attempt_at = utcnow() + BASE_DELAY * (2 ** (send.attempts - 1))
    log.warning("Open311 send %s failed: %s", send.id, exc)


def minutes_after(report: Report, send: Send) -> int:
    if not send.sent_at:
        return 0
    return max(0, int((send.sent_at - report.created_at).total_seconds() // 60))
