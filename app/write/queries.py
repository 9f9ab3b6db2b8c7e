"""Reads for write's pages: the public archive, a message's delivery, moderation lists, limits."""

from __future__ import annotations

import datetime as dt

from babel.lists import format_list
from flask import current_app
from flask_babel import get_locale
from sqlalchemy import func, select

from ..core.ids import MAX_ID
from ..core.mail import OutboxMessage
from ..core.models import utcnow
from ..core.profile import current_profile
from ..directory import services as directory
from ..extensions import db
from .models import Answer, Message, Recipient

PER_PAGE = 20


def max_recipients() -> int:
    return max(1, int(current_profile().write_max_recipients))


def per_email_daily_limit() -> int:
    return int(current_app.config.get("WRITE_MAX_PER_EMAIL_PER_DAY", 5))


def sent_today(email: str) -> int:
    """Messages from this address confirmed in the last 24 hours. Unconfirmed ones do not count:
    anyone can type someone else's address, and must not use up that person's limit."""
    since = utcnow() - dt.timedelta(days=1)
    return (
        db.session.scalar(
            select(func.count(Message.id)).where(
                func.lower(Message.writer_email) == email.strip().lower(),
                Message.confirmed_at.is_not(None),
                Message.confirmed_at >= since,
            )
        )
        or 0
    )


def unconfirmed_today(email: str) -> int:
    """Messages from this address created in the last 24 hours and still waiting for their link
    (each sent a confirmation email to it: a cap keeps strangers from flooding that mailbox)."""
    since = utcnow() - dt.timedelta(days=1)
    return (
        db.session.scalar(
            select(func.count(Message.id)).where(
                func.lower(Message.writer_email) == email.strip().lower(),
                Message.status == "unconfirmed",
                Message.created_at >= since,
            )
        )
        or 0
    )


def can_manage(msg: Message, user) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and msg.writer_user_id is not None
        and msg.writer_user_id == user.id
    )


# -- the public archive ---------------------------------------------------------------------
def get_message(message_id) -> Message | None:
    try:
        return db.session.get(Message, int(message_id))
    except (TypeError, ValueError, OverflowError):
        return None


def get_answer(answer_id: int) -> Answer | None:
    return db.session.get(Answer, answer_id) if 0 < answer_id <= MAX_ID else None


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
    rows = db.session.scalars(
        stmt.order_by(Message.sent_at.desc(), Message.id.desc()).offset((page - 1) * per_page).limit(per_page + 1)
    ).all()
    return rows[:per_page], len(rows) > per_page


def published_answers(message_ids, person_id=None, limit=50) -> list[Answer]:
    """The newest answers shown on these messages' pages (only one person's, if given), for feeds."""
    ids = list(message_ids)
    if not ids:
        return []
    stmt = select(Answer).where(
        Answer.message_id.in_(ids),
        Answer.hidden.is_(False),
        Answer.is_bounce.is_(False),
        Answer.is_auto_reply.is_(False),
    )
    if person_id is not None:
        stmt = stmt.where(Answer.person_id == person_id)
    return db.session.scalars(stmt.order_by(Answer.received_at.desc(), Answer.id.desc()).limit(limit)).all()


def answer_counts(message_ids) -> dict[int, int]:
    ids = list(message_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(Answer.message_id, func.count(Answer.id))
            .where(
                Answer.message_id.in_(ids),
                Answer.hidden.is_(False),
                Answer.is_bounce.is_(False),
                Answer.is_auto_reply.is_(False),
            )
            .group_by(Answer.message_id)
        ).all()
    )


def recipient_names(messages) -> dict[int, str]:
    ids = {r.person_id for m in messages for r in m.recipients}
    return {p.id: p.name for p in directory.persons(sorted(ids))}


def recipient_lists(messages) -> dict[int, str]:
    """message id -> "A, B and C" in the current language (one query for all the names)."""
    names = recipient_names(messages)
    out = {}
    for m in messages:
        found = [names[r.person_id] for r in m.recipients if r.person_id in names]
        try:
            out[m.id] = format_list(found, locale=get_locale()) if found else ""
        except Exception:  # noqa: BLE001 - a locale without list patterns
            out[m.id] = ", ".join(found)
    return out


def delivery_statuses(msg: Message) -> dict[int, str]:
    """Recipient id -> waiting | queued | sent | failed | bounced | no_email, read from the outbox
    row at the time of asking (the outbox worker knows nothing of messages)."""
    outbox_ids = [r.outbox_id for r in msg.recipients if r.outbox_id]
    sent = (
        dict(
            db.session.execute(
                select(OutboxMessage.id, OutboxMessage.status).where(OutboxMessage.id.in_(outbox_ids))
            ).all()
        )
        if outbox_ids
        else {}
    )
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
    return db.session.scalars(
        select(Message)
        .where(Message.status == "pending_moderation")
        .order_by(Message.confirmed_at, Message.id)
        .limit(limit)
    ).all()


def _unanswered_this_week():
    since = utcnow() - dt.timedelta(days=7)
    answered = select(Answer.message_id).where(Answer.is_bounce.is_(False), Answer.is_auto_reply.is_(False))
    return (Message.status == "sent", Message.sent_at >= since, Message.id.not_in(answered))


def unanswered_this_week() -> int:
    return db.session.scalar(select(func.count(Message.id)).where(*_unanswered_this_week())) or 0


def unanswered_this_week_list(limit=200) -> list[Message]:
    """The messages the dashboard counts, oldest first (they have waited longest)."""
    return db.session.scalars(
        select(Message).where(*_unanswered_this_week()).order_by(Message.sent_at, Message.id).limit(limit)
    ).all()
