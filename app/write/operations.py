"""Changes to messages: create, confirm, send, moderate, hide. They flush, never commit: the view,
CLI command or inbox dispatcher owns the transaction."""

from __future__ import annotations

import secrets
from email.utils import formataddr

from flask import current_app, has_request_context

from ..core import audit
from ..core.i18n import force_language
from ..core.mail import external_url as _external_url
from ..core.mail import queue_email, reply_address
from ..core.models import utcnow
from ..core.profile import current_profile
from ..directory import services as directory
from ..extensions import db
from . import queries
from .models import Answer, Message, Recipient

SUBJECT_MAX = 200
BODY_MAX = 10_000


def external_url(endpoint: str, **values) -> str:
    """An absolute link for emails, also from the CLI or the worker (no request there)."""
    if has_request_context():
        return _external_url(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["SERVER_BASE_URL"]):
        return _external_url(endpoint, **values)


def create_message(*, person_ids, subject, body, name, email, language, user=None, ip=None) -> Message:
    """A new message. A confirmed signed-in user's is confirmed at once; others wait for the link."""
    msg = Message(
        subject=subject.strip()[:SUBJECT_MAX],
        body=body.strip()[:BODY_MAX],
        writer_name=name.strip()[:200],
        writer_email=email.strip().lower(),
        writer_user_id=user.id if user else None,
        writer_ip=(ip or "")[:64] or None,
        language=language,
        status="unconfirmed",
        token=secrets.token_urlsafe(24),
    )
    for pid in dict.fromkeys(person_ids):
        msg.recipients.append(Recipient(person_id=pid, delivery_status="waiting"))
    db.session.add(msg)
    db.session.flush()
    if user is not None and getattr(user, "is_confirmed", False):
        confirm(msg)
    else:
        queue_email(
            msg.writer_email,
            "write/email/confirm.txt",
            {
                "message": msg,
                "url": external_url("write.confirm", token=msg.token, lang=msg.language),
                "manage_url": external_url("write.manage", token=msg.token, lang=msg.language),
            },
            language=msg.language,
        )
    return msg


def confirm(msg: Message) -> bool:
    """The writer proved their address: send, or queue for moderation. False if nothing changed
    (already confirmed, or the address has used up today's limit: the link works tomorrow)."""
    if msg.status != "unconfirmed":
        return False
    if queries.sent_today(msg.writer_email) >= queries.per_email_daily_limit():
        return False
    msg.confirmed_at = utcnow()
    if current_profile().write_moderation:
        msg.status = "pending_moderation"
    else:
        send(msg)
    return True


def recipient_language(person_id: int) -> str:
    """The language of mail to a representative. I18N.md: mail to a person is in that person's
    language, not the writer's. The directory records no language for people, so this is the
    profile's default language (the writer's own text is sent as written)."""
    return current_profile().default_language


def send(msg: Message) -> None:
    """Queue one email per recipient from the message's own reply address; publish the message."""
    from_addr = formataddr((msg.writer_name, reply_address("write", msg.id)))
    dirs = directory
    names: dict[str, dict[int, str]] = {}  # language -> person id -> name in that language
    for rec in msg.recipients:
        email = dirs.person_email(rec.person_id)
        if not email:
            rec.delivery_status = "no_email"
            continue
        lang = recipient_language(rec.person_id)
        if lang not in names:
            with force_language(lang):
                names[lang] = {p.id: p.name for p in dirs.persons(msg.person_ids)}
        row = queue_email(
            email,
            "write/email/message.txt",
            {
                "message": msg,
                "person_name": names[lang].get(rec.person_id, ""),
                "url": external_url("write.detail", message_id=msg.id, lang=lang),
            },
            language=lang,
            from_addr=from_addr,
            headers={"X-Plaza-Write": str(msg.id)},
            automatic=False,  # the writer's own message: a representative's auto-reply is wanted
        )
        db.session.flush()
        rec.delivery_status, rec.outbox_id = "queued", row.id
    msg.status, msg.sent_at = "sent", utcnow()


def approve(msg: Message, moderator=None) -> bool:
    if msg.status != "pending_moderation":
        return False
    send(msg)
    if moderator is not None:
        audit.record(moderator.id, "write.approve", "write_message", msg.id)
    return True


def reject(msg: Message, reason: str, moderator=None) -> bool:
    if msg.status != "pending_moderation":
        return False
    msg.status, msg.hidden_reason = "rejected", reason
    if moderator is not None:
        audit.record(moderator.id, "write.reject", "write_message", msg.id, reason=reason)
    queue_email(msg.writer_email, "write/email/rejected.txt", {"message": msg, "reason": reason}, language=msg.language)
    return True


def hide(msg: Message, reason: str, by_writer: bool = False, moderator=None) -> bool:
    """Hide a public message (its answers go with it); the reason is shown in its place. What a
    moderator does is in the audit log."""
    if msg.status != "sent":
        return False
    msg.status, msg.hidden_reason, msg.hidden_by_writer = "hidden", reason, by_writer
    if moderator is not None:
        audit.record(moderator.id, "write.hide", "write_message", msg.id, reason=reason)
    return True


def hide_answer(answer: Answer, reason: str, moderator) -> None:
    answer.hidden, answer.hidden_reason = True, reason
    audit.record(moderator.id, "write.hide_answer", "write_answer", answer.id, reason=reason)
