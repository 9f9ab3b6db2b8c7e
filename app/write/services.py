"""Writing to representatives: create, confirm, moderate, send, hide; the public archive's queries.

Services never commit: the view, CLI command or inbox dispatcher owns the transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from email.utils import formataddr

from flask import current_app
from sqlalchemy import and_, distinct, exists, func, or_, select

from ..core.mail import OutboxMessage, queue_email, reply_address
from ..core.mail import external_url as _external_url
from ..core.models import utcnow
from ..extensions import db
from .models import Answer, Message, Recipient

SUBJECT_MAX = 200
BODY_MAX = 10_000
PER_PAGE = 20


def directory():
    from ..directory import services

    return services


def profile():
    return current_app.extensions["plaza_profile"]


def max_recipients() -> int:
    return max(1, int(profile().write_max_recipients))


def per_email_daily_limit() -> int:
    return int(current_app.config.get("WRITE_MAX_PER_EMAIL_PER_DAY", 5))


def sent_today(email: str) -> int:
    """Messages from this address confirmed in the last 24 hours. Unconfirmed ones do not count:
    anyone can type someone else's address, and must not use up that person's limit."""
    since = utcnow() - dt.timedelta(days=1)
    return db.session.scalar(select(func.count(Message.id)).where(
        func.lower(Message.writer_email) == email.strip().lower(), Message.confirmed_at.is_not(None),
        Message.confirmed_at >= since)) or 0


def unconfirmed_today(email: str) -> int:
    """Messages from this address created in the last 24 hours and still waiting for their link
    (each sent a confirmation email to it: a cap keeps strangers from flooding that mailbox)."""
    since = utcnow() - dt.timedelta(days=1)
    return db.session.scalar(select(func.count(Message.id)).where(
        func.lower(Message.writer_email) == email.strip().lower(), Message.status == "unconfirmed",
        Message.created_at >= since)) or 0


def external_url(endpoint: str, **values) -> str:
    """An absolute link for emails, also from the CLI or the worker (no request there)."""
    from flask import has_request_context

    if has_request_context():
        return _external_url(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["SERVER_BASE_URL"]):
        return _external_url(endpoint, **values)


# -- creating and sending -------------------------------------------------------------------
def create_message(*, person_ids, subject, body, name, email, language, user=None, ip=None) -> Message:
    """A new message. A confirmed signed-in user's is confirmed at once; others wait for the link."""
    msg = Message(subject=subject.strip()[:SUBJECT_MAX], body=body.strip()[:BODY_MAX], writer_name=name.strip()[:200],
                  writer_email=email.strip().lower(), writer_user_id=user.id if user else None,
                  writer_ip=(ip or "")[:64] or None, language=language, status="unconfirmed",
                  token=secrets.token_urlsafe(24))
    for pid in dict.fromkeys(person_ids):
        msg.recipients.append(Recipient(person_id=pid, delivery_status="waiting"))
    db.session.add(msg)
    db.session.flush()
    if user is not None and getattr(user, "is_confirmed", False):
        confirm(msg)
    else:
        queue_email(msg.writer_email, "write/email/confirm.txt", {
            "message": msg, "url": external_url("write.confirm", token=msg.token, lang=msg.language),
            "manage_url": external_url("write.manage", token=msg.token, lang=msg.language),
        }, language=msg.language)
    return msg


def confirm(msg: Message) -> bool:
    """The writer proved their address: send, or queue for moderation. False if nothing changed
    (already confirmed, or the address has used up today's limit: the link works tomorrow)."""
    if msg.status != "unconfirmed":
        return False
    if sent_today(msg.writer_email) >= per_email_daily_limit():
        return False
    msg.confirmed_at = utcnow()
    if profile().write_moderation:
        msg.status = "pending_moderation"
    else:
        send(msg)
    return True


def recipient_language(person_id: int) -> str:
    """The language of mail to a representative. I18N.md: mail to a person is in that person's
    language, not the writer's. The directory records no language for people, so this is the
    profile's default language (the writer's own text is sent as written)."""
    return profile().default_language


def send(msg: Message) -> None:
    """Queue one email per recipient from the message's own reply address; publish the message."""
    from ..core.i18n import force_language

    from_addr = formataddr((msg.writer_name, reply_address("write", msg.id)))
    dirs = directory()
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
        row = queue_email(email, "write/email/message.txt", {
            "message": msg, "person_name": names[lang].get(rec.person_id, ""),
            "url": external_url("write.detail", message_id=msg.id, lang=lang),
        }, language=lang, from_addr=from_addr, headers={"X-Plaza-Write": str(msg.id)})
        db.session.flush()
        rec.delivery_status, rec.outbox_id = "queued", row.id
    msg.status, msg.sent_at = "sent", utcnow()


def approve(msg: Message) -> bool:
    if msg.status != "pending_moderation":
        return False
    send(msg)
    return True


def reject(msg: Message, reason: str) -> bool:
    if msg.status != "pending_moderation":
        return False
    msg.status, msg.hidden_reason = "rejected", reason
    queue_email(msg.writer_email, "write/email/rejected.txt", {"message": msg, "reason": reason},
                language=msg.language)
    return True


def hide(msg: Message, reason: str, by_writer: bool = False) -> bool:
    """Hide a public message (its answers go with it); the reason is shown in its place."""
    if msg.status != "sent":
        return False
    msg.status, msg.hidden_reason, msg.hidden_by_writer = "hidden", reason, by_writer
    return True


def hide_answer(answer: Answer, reason: str) -> None:
    answer.hidden, answer.hidden_reason = True, reason


def can_manage(msg: Message, user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and msg.writer_user_id is not None and msg.writer_user_id == user.id)


# -- the public archive ---------------------------------------------------------------------
def get_message(message_id) -> Message | None:
    try:
        return db.session.get(Message, int(message_id))
    except (TypeError, ValueError, OverflowError):
        return None


def by_token(token: str) -> Message | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Message).where(Message.token == token))


def public_answers(msg: Message) -> list[Answer]:
    return [a for a in msg.answers if not (a.is_bounce or a.is_auto_reply)]


def listing(person_id=None, page=1, per_page=PER_PAGE) -> tuple[list[Message], bool]:
    """Sent messages, newest first (to one person if given), and whether there is a next page."""
    stmt = select(Message).where(Message.status == "sent")
    if person_id is not None:
        stmt = stmt.where(Message.id.in_(select(Recipient.message_id).where(Recipient.person_id == person_id)))
    rows = db.session.scalars(stmt.order_by(Message.sent_at.desc(), Message.id.desc())
                              .offset((page - 1) * per_page).limit(per_page + 1)).all()
    return rows[:per_page], len(rows) > per_page


def published_answers(message_ids, person_id=None, limit=50) -> list[Answer]:
    """The newest answers shown on these messages' pages (only one person's, if given), for feeds."""
    ids = list(message_ids)
    if not ids:
        return []
    stmt = select(Answer).where(Answer.message_id.in_(ids), Answer.hidden.is_(False), Answer.is_bounce.is_(False),
                                Answer.is_auto_reply.is_(False))
    if person_id is not None:
        stmt = stmt.where(Answer.person_id == person_id)
    return db.session.scalars(stmt.order_by(Answer.received_at.desc(), Answer.id.desc()).limit(limit)).all()


def answer_counts(message_ids) -> dict[int, int]:
    ids = list(message_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        select(Answer.message_id, func.count(Answer.id)).where(
            Answer.message_id.in_(ids), Answer.hidden.is_(False), Answer.is_bounce.is_(False),
            Answer.is_auto_reply.is_(False)).group_by(Answer.message_id)).all())


def recipient_names(messages) -> dict[int, str]:
    ids = {r.person_id for m in messages for r in m.recipients}
    return {p.id: p.name for p in directory().persons(sorted(ids))}


def recipient_lists(messages) -> dict[int, str]:
    """message id -> "A, B and C" in the current language (one query for all the names)."""
    from babel.lists import format_list
    from flask_babel import get_locale

    names = recipient_names(messages)
    out = {}
    for m in messages:
        found = [names[r.person_id] for r in m.recipients if r.person_id in names]
        try:
            out[m.id] = format_list(found, locale=get_locale()) if found else ""
        except Exception:  # noqa: BLE001 - a locale without list patterns
            out[m.id] = ", ".join(found)
    return out


@dataclass(frozen=True)
class PersonStats:
    messages: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.messages if self.messages else None


def _reached():
    """SQL: the Recipient row's mail may have reached the person (not bounced, an address was
    known, and the outbox did not give up on it)."""
    gave_up = exists().where(OutboxMessage.id == Recipient.outbox_id, OutboxMessage.status == "failed")
    return and_(Recipient.failing.is_(False), Recipient.delivery_status.not_in(("no_email", "bounced")), ~gave_up)


def person_stats(person_id: int) -> PersonStats:
    """Messages that reached the person, and how many of them they answered (a published answer).
    A message that bounced or had no address to go to is no unanswered message."""
    # A published answer from the person proves the message reached them, whatever a bounce said.
    answered_by = select(Answer.message_id).where(
        Answer.person_id == person_id, Answer.hidden.is_(False), Answer.is_bounce.is_(False),
        Answer.is_auto_reply.is_(False))
    reached = select(Recipient.message_id).where(
        Recipient.person_id == person_id, or_(_reached(), Recipient.message_id.in_(answered_by)))
    total = db.session.scalar(select(func.count(Message.id)).where(
        Message.status == "sent", Message.id.in_(reached))) or 0
    answered = db.session.scalar(select(func.count(distinct(Answer.message_id))).join(
        Message, Message.id == Answer.message_id).where(and_(
            Message.status == "sent", Message.id.in_(reached), Answer.person_id == person_id,
            Answer.hidden.is_(False), Answer.is_bounce.is_(False), Answer.is_auto_reply.is_(False)))) or 0
    return PersonStats(total, answered)


def delivery_statuses(msg: Message) -> dict[int, str]:
    """Recipient id -> waiting | queued | sent | failed | bounced | no_email, read from the outbox
    row at the time of asking (the outbox worker knows nothing of messages)."""
    outbox_ids = [r.outbox_id for r in msg.recipients if r.outbox_id]
    sent = dict(db.session.execute(select(OutboxMessage.id, OutboxMessage.status)
                                   .where(OutboxMessage.id.in_(outbox_ids))).all()) if outbox_ids else {}
    out = {}
    for r in msg.recipients:
        if r.failing or r.delivery_status == "bounced":
            out[r.id] = "bounced"
        elif r.delivery_status == "queued" and sent.get(r.outbox_id) in ("sent", "failed"):
            out[r.id] = sent[r.outbox_id]
        else:
            out[r.id] = r.delivery_status
    return out


def awaiting_moderation(limit=100) -> list[Message]:
    return db.session.scalars(select(Message).where(Message.status == "pending_moderation")
                              .order_by(Message.confirmed_at, Message.id).limit(limit)).all()


def _unanswered_this_week():
    since = utcnow() - dt.timedelta(days=7)
    answered = select(Answer.message_id).where(Answer.is_bounce.is_(False), Answer.is_auto_reply.is_(False))
    return (Message.status == "sent", Message.sent_at >= since, Message.id.not_in(answered))


def unanswered_this_week() -> int:
    return db.session.scalar(select(func.count(Message.id)).where(*_unanswered_this_week())) or 0


def unanswered_this_week_list(limit=200) -> list[Message]:
    """The messages the dashboard counts, oldest first (they have waited longest)."""
    return db.session.scalars(select(Message).where(*_unanswered_this_week())
                              .order_by(Message.sent_at, Message.id).limit(limit)).all()
