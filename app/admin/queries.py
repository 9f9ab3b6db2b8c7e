"""Admin's reads of the mail tables (outbox, holding pen), for its list pages and CSV files."""

from __future__ import annotations

from sqlalchemy import func, select

from ..core.mail import InboxMessage, OutboxMessage
from ..extensions import db

OUTBOX_FILTERS = ("pending", "failed", "retrying", "sent", "cancelled")


def _outbox(status: str):
    query = select(OutboxMessage)
    if status == "retrying":
        return query.where(OutboxMessage.status == "pending", OutboxMessage.attempts > 0)
    return query.where(OutboxMessage.status == status)


def _page(query, order, limit: int, offset: int, count: bool):
    total = (db.session.scalar(select(func.count()).select_from(query.subquery())) or 0) if count else 0
    rows = db.session.scalars(query.order_by(order).limit(limit).offset(offset)).all()
    return list(rows), total


def outbox_rows(status: str, limit: int, offset: int = 0, count: bool = True) -> tuple[list[OutboxMessage], int]:
    """Newest first, with the total count (0 when not asked for); `status` is one of OUTBOX_FILTERS."""
    return _page(_outbox(status), OutboxMessage.id.desc(), limit, offset, count)


def inbox_rows(status: str, limit: int, offset: int = 0, count: bool = True) -> tuple[list[InboxMessage], int]:
    query = select(InboxMessage).where(InboxMessage.status == status)
    return _page(query, InboxMessage.id.desc(), limit, offset, count)


def outbox_message(message_id: int) -> OutboxMessage | None:
    return db.session.get(OutboxMessage, message_id)


def inbox_message(inbox_id: int) -> InboxMessage | None:
    return db.session.get(InboxMessage, inbox_id)
