"""Queue email in the caller's transaction; send it later with retries and backoff."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import smtplib
import uuid
from contextlib import nullcontext
from email.message import EmailMessage
from email.utils import format_datetime as rfc_date
from urllib.parse import urljoin

from flask import current_app, has_request_context, url_for
from jinja2_fragments.flask import render_block
from sqlalchemy import func, select

from ...extensions import db
from ..i18n import force_language
from ..models import utcnow
from .models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BASE_DELAY = dt.timedelta(minutes=1)


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
        nullcontext() if has_request_context()
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
) -> OutboxMessage:
    """Add an email to the outbox in the current transaction (the caller commits)."""
    subject, body, tag = render_email(template, context, language)
    row = OutboxMessage(
        to_addr=to,
        from_addr=from_addr or current_app.config["MAIL_DEFAULT_SENDER"],
        reply_to=reply_to,
        subject=subject,
        body_text=body,
        headers=dict(headers or {}),
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


def build_message(row: OutboxMessage) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = row.from_addr
    msg["To"] = row.to_addr
    if row.reply_to:
        msg["Reply-To"] = row.reply_to
    msg["Subject"] = row.subject
    msg["Message-ID"] = row.message_id
    msg["Date"] = rfc_date(row.created_at)
    for key, value in (row.headers or {}).items():
        msg[key] = value
    msg.set_content(row.body_text)  # (clears Content-* headers, so set those after it)
    if row.language:
        msg["Content-Language"] = row.language
    if row.body_html:
        msg.add_alternative(row.body_html, subtype="html")
    for att in row.attachments or []:
        maintype, _, subtype = (att.get("content_type") or "application/octet-stream").partition("/")
        msg.add_attachment(
            base64.b64decode(att["data"]), maintype=maintype, subtype=subtype or "octet-stream",
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


def send_pending(limit: int = 100) -> tuple[int, int]:
    """One pass over due mail. Returns (sent, failed attempts). Commits per message."""
    now = utcnow()
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = db.session.scalars(query).all()
    sent = failed = 0
    smtp = None
    for row in rows:
        try:
            if smtp is None:
                smtp = _connect()
            smtp.send_message(build_message(row))
            row.status, row.sent_at, row.last_error = "sent", utcnow(), None
            sent += 1
        except (OSError, smtplib.SMTPException) as exc:
            failed += 1
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            else:
                row.next_attempt_at = utcnow() + BASE_DELAY * (2 ** (row.attempts - 1))
            if smtp is not None and isinstance(exc, (smtplib.SMTPServerDisconnected, OSError)):
                smtp = None
            log.warning("mail %s to %s failed: %s", row.id, row.to_addr, exc)
        db.session.commit()
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return sent, failed


def retry(message_id: int) -> bool:
    """Put a failed (or pending) message back in the queue now. The caller commits."""
    row = db.session.get(OutboxMessage, message_id)
    if row is None or row.status == "sent":
        return False
    row.status, row.next_attempt_at = "pending", utcnow()
    if row.attempts >= MAX_ATTEMPTS:
        row.attempts = MAX_ATTEMPTS - 1
    return True


def stats() -> dict:
    counts = dict(
        db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    )
    retrying = db.session.scalar(
        select(func.count()).where(OutboxMessage.status == "pending", OutboxMessage.attempts > 0)
    )
    return {"pending": counts.get("pending", 0), "sent": counts.get("sent", 0),
            "failed": counts.get("failed", 0), "retrying": retrying or 0}
