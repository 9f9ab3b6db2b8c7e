"""Messages to representatives, one row per recipient, and the answers that come back by email."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime, utcnow
from ..extensions import db

# unconfirmed -> (pending_moderation ->) sent ; a moderator may reject instead; anyone public may be hidden
STATUSES = ("unconfirmed", "pending_moderation", "sent", "rejected", "hidden")


class Message(db.Model):
    __tablename__ = "write_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    writer_name: Mapped[str] = mapped_column(String(200))
    writer_email: Mapped[str] = mapped_column(String(254), index=True)  # private: never shown
    writer_user_id: Mapped[int | None] = mapped_column(Integer, index=True)  # accounts user, no cross-component FK
    writer_ip: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(35))
    status: Mapped[str] = mapped_column(String(20), default="unconfirmed", index=True)
    hidden_reason: Mapped[str | None] = mapped_column(Text)  # public
    hidden_by_writer: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # emailed secret: confirm and manage

    recipients: Mapped[list[Recipient]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="Recipient.id", lazy="selectin"
    )
    answers: Mapped[list[Answer]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="Answer.received_at"
    )

    @property
    def is_public(self) -> bool:
        return self.status == "sent"

    @property
    def person_ids(self) -> list[int]:
        return [r.person_id for r in self.recipients]


class Recipient(db.Model):
    __tablename__ = "write_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("write_message.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(Integer, index=True)  # directory person, no cross-component FK
    # waiting (not sent yet) | queued (in the outbox) | no_email (nothing to send to) | bounced
    delivery_status: Mapped[str] = mapped_column(String(20), default="waiting")
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    failing: Mapped[bool] = mapped_column(Boolean, default=False)

    message: Mapped[Message] = relationship(back_populates="recipients")


class Answer(db.Model):
    """A reply received by email (bounces and auto-replies are kept here too but never shown)."""

    __tablename__ = "write_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("write_message.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    quoted: Mapped[str] = mapped_column(Text, default="")  # folded away on the page
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # [{filename, content_type, size}]
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    inbox_id: Mapped[int] = mapped_column(Integer, unique=True)  # core_inbox row: one answer per email
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    is_bounce: Mapped[bool] = mapped_column(Boolean, default=False)
    is_auto_reply: Mapped[bool] = mapped_column(Boolean, default=False)

    message: Mapped[Message] = relationship(back_populates="answers")

    @property
    def is_public(self) -> bool:
        return not (self.hidden or self.is_bounce or self.is_auto_reply)
