"""Queue email in the caller's transaction; send it later with retries and backoff."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
import smtplib
import uuid
from contextlib import nullcontext
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime as rfc_date
from urllib.parse import urljoin

from flask import current_app, has_request_context, url_for
from jinja2_fragments.flask import render_block
from sqlalchemy import case, func, select, update

from ...extensions import db
from ..i18n import force_language
from ..models import utcnow
from .headers import encode_unstructured, raw_ascii
from .models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BASE_DELAY = dt.timedelta(minutes=1)
# Temporary failures back off up to MAX_DELAY, and a message is given up only after MAX_ATTEMPTS
# *and* GIVE_UP_AFTER, so an SMTP outage of a day does not fail every queued mail for good
# (mail servers keep trying for days too). Permanent refusals (5xx) fail at once.
MAX_DELAY = dt.timedelta(hours=1)
GIVE_UP_AFTER = dt.timedelta(days=2)

# Line breaks and other control characters in a header value would start a new header (or make
# the email library refuse the whole message): a name is never worth that.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def clean_header(value) -> str:
    """A header value on one line, without control characters."""
    return " ".join(_CONTROL.sub(" ", str(value or "")).split())


def new_message_id() -> str:
    return f"<{uuid.uuid4().hex}@{current_app.config['INCOMING_EMAIL_DOMAIN']}>"


def external_url(endpoint: str, **values) -> str:
    """An absolute URL for emails, built on SERVER_BASE_URL (no request needed)."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context(base_url=current_app.config["SERVER_BASE_URL"]):
            path = url_for(endpoint, **values)
    return urljoin(current_app.config["SERVER_BASE_URL"].rstrip("/") + "/", path.lstrip("/"))


def render_email(template: str, context: dict | None = None, language: str | None = None):
    """(subject, body) of a template with {% block subject %} and {% block body %}."""
    context = dict(context or {})
    # Mail is often rendered with no request (CLI, worker): give url_for one on the site's base URL.
    request_ctx = (
        nullcontext()
        if has_request_context()
        else current_app.test_request_context(base_url=current_app.config["SERVER_BASE_URL"])
    )
    with request_ctx, force_language(language) as lang:
        context.setdefault("lang", lang)
        # site_name comes from the context processors, as on pages (admin-written name first).
        subject = " ".join(render_block(template, "subject", **context).split())
        body = render_block(template, "body", **context).strip() + "\n"
    return subject, body, lang.tag


def queue_email(
    to: str,
    template: str,
    context: dict | None = None,
    *,
    language: str | None = None,
    from_addr: str | None = None,
    reply_to: str | None = None,
    headers: dict | None = None,
    message_id: str | None = None,
    attachments: list | None = None,
    automatic: bool = True,
) -> OutboxMessage:
    """Add an email to the outbox in the current transaction (the caller commits).

    Mail the site writes is `automatic` (RFC 3834 Auto-Submitted, so auto-responders do not
    answer it and loop); mail that carries a person's own words to someone (an FOI request, a
    message to a representative, a report to a body) is not: its recipient's acknowledgement
    is wanted."""
    subject, body, tag = render_email(template, context, language)
    headers = dict(headers or {})
    if automatic:
        headers.setdefault("Auto-Submitted", "auto-generated")
    row = OutboxMessage(
        to_addr=clean_header(to),
        from_addr=clean_header(from_addr or current_app.config["MAIL_DEFAULT_SENDER"]),
        reply_to=clean_header(reply_to) or None,
        subject=clean_header(subject),
        body_text=body,
        headers={clean_header(k): clean_header(v) for k, v in headers.items()},
        attachments=[
            {"filename": n, "content_type": c, "data": base64.b64encode(d).decode("ascii")}
            for n, c, d in (attachments or [])
        ],
        message_id=message_id or new_message_id(),
        language=tag,
        template=template,
        status="pending",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(row)
    return row


# Values set with set_raw (see headers.py) go out exactly as stored, never refolded.
_POLICY = policy.default.clone(refold_source="none")


def build_message(row: OutboxMessage) -> EmailMessage:
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = clean_header(row.from_addr)
    msg["To"] = clean_header(row.to_addr)
    if row.reply_to:
        msg["Reply-To"] = clean_header(row.reply_to)
    msg.set_raw("Subject", encode_unstructured("Subject", clean_header(row.subject)))
    msg["Message-ID"] = clean_header(row.message_id)
    msg["Date"] = rfc_date(row.created_at)
    for key, value in (row.headers or {}).items():
        key = clean_header(key).replace(" ", "").replace(":", "")
        value = clean_header(value)
        if not key:
            continue
        if raw_ascii(value):  # e.g. List-Unsubscribe's <URL>: as it is, never an encoded word
            msg.set_raw(key, value)
        else:
            msg[key] = value
    msg.set_content(row.body_text)  # (clears Content-* headers, so set those after it)
    if row.language:
        msg["Content-Language"] = row.language
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    for att in row.attachments or []:
        maintype, _, subtype = (att.get("content_type") or "application/octet-stream").partition("/")
        msg.add_attachment(
            base64.b64decode(att["data"]),
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=att.get("filename") or "attachment",
        )
    return msg


def _connect():
    cfg = current_app.config
    smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20)
    if cfg.get("MAIL_USE_TLS"):
        smtp.starttls()
    if cfg.get("MAIL_USERNAME"):
        smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD") or "")
    return smtp


class _ConnectionFailed(Exception):
    """The SMTP server could not be reached (or refused our login): nothing is wrong with the mail."""


def _is_permanent(exc: Exception) -> bool:
    """Will trying this message again never help? (A 5xx answer, or a message we cannot build.)"""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return True  # e.g. an internationalised address and a server without SMTPUTF8
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return not isinstance(exc, (OSError, smtplib.SMTPException))


def _delay(attempts: int) -> dt.timedelta:
    return min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


def _record_failure(row: OutboxMessage, exc: Exception, *, permanent: bool) -> None:
    now = utcnow()
    row.attempts += 1
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    created = row.created_at or now
    if permanent or (row.attempts >= MAX_ATTEMPTS and now - created >= GIVE_UP_AFTER):
        row.status = "failed"
    else:
        row.next_attempt_at = now + _delay(row.attempts)


CLAIM_LEASE = dt.timedelta(minutes=15)


def claim(message_id: int, now: dt.datetime) -> bool:
    """Take one due message for this worker, atomically and committed, before sending it: a
    second worker (two `jobs run`, or `make run`'s thread beside a manual `outbox run`) finds it
    not due and leaves it. Should this worker die while sending, the lease runs out and the
    message is sent on a later pass: at least once, never lost."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=utcnow() + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount)


def send_pending(limit: int = 100) -> tuple[int, int]:
    """One pass over due mail. Returns (sent, failed attempts). Claims and commits per message.

    One bad message fails alone (status failed, last_error) and never stops the pass. When the
    server cannot be reached, the pass stops at once: the next pass tries again, and the messages
    not tried keep their attempts."""
    now = utcnow()
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    rows = db.session.scalars(query).all()
    sent = failed = 0
    smtp = None
    for row in rows:
        if not claim(row.id, now):
            continue  # another worker took it since we listed it
        stop = False
        try:
            message = build_message(row)
            if smtp is None:
                try:
                    smtp = _connect()
                except (OSError, smtplib.SMTPException) as exc:
                    raise _ConnectionFailed(f"{type(exc).__name__}: {exc}") from exc
            smtp.send_message(message)
            row.status, row.sent_at, row.last_error = "sent", utcnow(), None
            sent += 1
        except _ConnectionFailed as exc:
            failed += 1
            _record_failure(row, exc, permanent=False)
            stop = True
            log.warning("mail server unreachable (mail %s waits): %s", row.id, exc)
        except Exception as exc:  # noqa: BLE001 - one bad message must never stop the others
            failed += 1
            _record_failure(row, exc, permanent=_is_permanent(exc))
            if smtp is not None and isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)):
                smtp = None
            log.warning("mail %s to %s failed: %s", row.id, row.to_addr, exc)
        try:
            db.session.commit()
        except Exception:  # noqa: BLE001 - e.g. the row vanished; the others still go
            db.session.rollback()
            log.exception("saving the outcome of mail %s failed", row.id)
        if stop:
            break
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return sent, failed


CANCELLED = "cancelled"


def cancel(message_id: int, reason: str) -> bool:
    """Call off a message not sent yet (e.g. a report hidden before it went): no pass sends it
    and "send all failed again" skips it; an admin may still send it by hand. The caller commits.
    False when it has gone already (or does not exist)."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.status == "sent":
        return False
    row.status, row.last_error = CANCELLED, reason[:2000]
    return True


def retry(message_id: int) -> bool:
    """Put a failed (or pending) message back in the queue now. The caller commits."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.status == "sent":
        return False
    row.status, row.next_attempt_at = "pending", utcnow()
    if row.attempts >= MAX_ATTEMPTS:
        row.attempts = MAX_ATTEMPTS - 1
    return True


def retry_all(status: str = "failed") -> int:
    """Put every failed message (or every retrying one: status "retrying") back in the queue now.
    Returns how many. The caller commits."""
    if status == "retrying":
        where = (OutboxMessage.status == "pending", OutboxMessage.attempts > 0)
    else:
        where = (OutboxMessage.status == "failed",)
    result = db.session.execute(
        update(OutboxMessage)
        .where(*where)
        .values(
            status="pending",
            next_attempt_at=utcnow(),
            attempts=case((OutboxMessage.attempts > MAX_ATTEMPTS - 1, MAX_ATTEMPTS - 1), else_=OutboxMessage.attempts),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def stats() -> dict:
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    retrying = db.session.scalar(
        select(func.count()).where(OutboxMessage.status == "pending", OutboxMessage.attempts > 0)
    )
    return {
        "pending": counts.get("pending", 0),
        "sent": counts.get("sent", 0),
        "failed": counts.get("failed", 0),
        "retrying": retrying or 0,
        CANCELLED: counts.get(CANCELLED, 0),
    }
