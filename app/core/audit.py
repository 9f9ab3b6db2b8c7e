"""The audit log: who did what to which object, when and why (every admin write lands here).

Components call `record(...)` inside the transaction of the action itself; the caller commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .models import UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "core_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # No foreign key: core sits below accounts, and the log must outlive deleted users.
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)  # e.g. "user.role", "outbox.retry"
    object_type: Mapped[str | None] = mapped_column(String(40), index=True)
    object_id: Mapped[str | None] = mapped_column(String(80), index=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)


def record(
    actor_id, action: str, object_type: str | None, object_id, detail: dict | None = None, reason: str | None = None
) -> AuditEntry:
    """Add an audit entry to the current session (no commit: it belongs to the action's transaction)."""
    entry = AuditEntry(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=dict(detail or {}),
        reason=(reason or None),
    )
    db.session.add(entry)
    return entry


def entries(
    action: str | None = None,
    object_type: str | None = None,
    object_id=None,
    actor_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """Newest first, with the total count for paging."""
    query = select(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == str(object_id))
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)).all()
    return list(rows), total
