"""FOI tables: requests, the messages of their thread, attachments, state history, follows,
admin-added holidays and redaction rules. Authorities are directory organisations (ids only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime, utcnow
from ..extensions import db

PROMINENCES = ("normal", "backpage", "requester_only", "hidden")


class FoiRequest(db.Model):
    __tablename__ = "foi_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_key: Mapped[str] = mapped_column(String(300), index=True)  # normalised, for duplicates
    authority_id: Mapped[int] = mapped_column(Integer, index=True)  # directory organisation
    user_id: Mapped[int] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True)
    law_code: Mapped[str] = mapped_column(String(60))
    language: Mapped[str | None] = mapped_column(String(35))
    state: Mapped[str] = mapped_column(String(40), default="waiting_response", index=True)
    awaiting_description: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_on: Mapped[dt.date | None] = mapped_column(Date)  # the day the clock starts (day 0)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    very_overdue_on: Mapped[dt.date | None] = mapped_column(Date)
    last_event_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    overdue_mailed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    very_overdue_mailed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    classify_reminders: Mapped[int] = mapped_column(Integer, default=0)
    classify_reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    prominence: Mapped[str] = mapped_column(String(20), default="normal")
    prominence_reason: Mapped[str | None] = mapped_column(Text)
    attention_reason: Mapped[str | None] = mapped_column(Text)

    messages: Mapped[list[FoiMessage]] = relationship(
        back_populates="request", order_by="FoiMessage.id", cascade="all, delete-orphan"
    )


class FoiMessage(db.Model):
    __tablename__ = "foi_message"
    __table_args__ = (UniqueConstraint("request_id", "inbox_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("foi_request.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # out | in
    kind: Mapped[str] = mapped_column(String(20))  # initial | followup | review | reply
    from_name: Mapped[str | None] = mapped_column(String(300))
    from_addr: Mapped[str | None] = mapped_column(String(320))  # private: never shown
    to_addr: Mapped[str | None] = mapped_column(String(320))  # private
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    folded: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    message_id: Mapped[str | None] = mapped_column(String(500), index=True)
    inbox_id: Mapped[int | None] = mapped_column(Integer, index=True)
    is_bounce: Mapped[bool] = mapped_column(Boolean, default=False)
    is_auto_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[list] = mapped_column(JSON, default=list)
    prominence: Mapped[str] = mapped_column(String(20), default="normal")
    prominence_reason: Mapped[str | None] = mapped_column(Text)

    request: Mapped[FoiRequest] = relationship(back_populates="messages")
    attachments: Mapped[list[FoiAttachment]] = relationship(
        back_populates="message", order_by="FoiAttachment.position", cascade="all, delete-orphan"
    )


class FoiAttachment(db.Model):
    __tablename__ = "foi_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("foi_message.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    text: Mapped[str | None] = mapped_column(Text)  # extracted text (PDF, Word, plain text)
    prominence: Mapped[str] = mapped_column(String(20), default="normal")
    prominence_reason: Mapped[str | None] = mapped_column(Text)

    message: Mapped[FoiMessage] = relationship(back_populates="attachments")


class FoiStateChange(db.Model):
    __tablename__ = "foi_state_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("foi_request.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FoiFollow(db.Model):
    __tablename__ = "foi_follow"
    __table_args__ = (UniqueConstraint("user_id", "request_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("foi_request.id", ondelete="CASCADE"), index=True)


class FoiHoliday(db.Model):
    """A non-working day added by an admin (on top of the profile's and the holidays package's)."""

    __tablename__ = "foi_holiday"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")


class FoiDraft(db.Model):
    """A letter composed before signing in, kept on the server (a session cookie holds only its
    token: a 20,000-character letter would not fit in a cookie). Old drafts are purged daily."""

    __tablename__ = "foi_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    authority_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300), default="")
    letter: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class FoiRedaction(db.Model):
    __tablename__ = "foi_redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    pattern: Mapped[str] = mapped_column(Text)
    is_regex: Mapped[bool] = mapped_column(Boolean, default=False)
    scope: Mapped[str] = mapped_column(String(20), default="global")  # request|user|authority|global
    scope_id: Mapped[int | None] = mapped_column(Integer)
    replacement: Mapped[str] = mapped_column(String(200), default="[REDACTED]")
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FoiSearchDoc(db.Model):
    """The searchable text of one listed request: title, letters, replies and attachment text, all
    redacted and folded to lower case without accents (app/foi/search.py keeps it up to date).

    SQLite searches it through an FTS5 table kept in step by triggers; PostgreSQL through a GIN
    index on to_tsvector('simple', body). Both are created with the table (see search.py).
    """

    __tablename__ = "foi_search_doc"
    __table_args__ = (
        Index(
            "ix_foi_search_doc_tsv",
            func.to_tsvector(literal_column("'simple'"), literal_column("body")),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    request_id: Mapped[int] = mapped_column(
        ForeignKey("foi_request.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    body: Mapped[str] = mapped_column(Text, default="")
