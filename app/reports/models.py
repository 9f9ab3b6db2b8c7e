"""Reports tables: categories, per-body contacts, reports, sends, updates, photos, supporters,
alerts, Open311 API keys, response templates, questionnaires and the moderation log.

Bodies and areas belong to other components: their ids are plain integers here (no foreign keys
across a component border).
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, has_app_context
from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime, utcnow
from ..core.profile import current_profile
from ..extensions import db


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Category(db.Model):
    """A kind of problem ("Potholes"); its code is the Open311 service_code."""

    __tablename__ = "reports_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # default-language name
    names: Mapped[dict] = mapped_column(JSON, default=dict)  # lang -> name
    hints: Mapped[dict] = mapped_column(JSON, default=dict)  # lang -> hint
    notices: Mapped[dict] = mapped_column(JSON, default=dict)  # lang -> notice
    group: Mapped[str | None] = mapped_column(String(200))
    # Extra questions (Open311 attributes): [{"code", "datatype", "required", "description",
    # "values": [{"key", "name"}]}]
    attributes: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    contacts: Mapped[list[Contact]] = relationship(back_populates="category", cascade="all, delete-orphan")

    def label(self, tag: str | None) -> str:
        names = self.names or {}
        if tag and names.get(tag):
            return names[tag]
        if tag and "-" in tag and names.get(tag.split("-")[0]):
            return names[tag.split("-")[0]]
        return self.name

    def text(self, field: str, tag: str | None) -> str | None:
        """A per-language text (hints, notices): this language, its base, then the default language."""
        values = getattr(self, field) or {}
        found = values.get(tag or "") or values.get((tag or "").split("-")[0]) or values.get("")
        if not found and has_app_context() and "plaza_profile" in current_app.extensions:
            found = values.get(current_profile().default_language)
        return found or None


class Contact(db.Model):
    """What one body receives for one category, and how (email or Open311)."""

    __tablename__ = "reports_contact"
    __table_args__ = (UniqueConstraint("body_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(Integer, index=True)  # directory organisation id
    category_id: Mapped[int] = mapped_column(ForeignKey("reports_category.id", ondelete="CASCADE"))
    email: Mapped[str | None] = mapped_column(String(254))
    send_method: Mapped[str] = mapped_column(String(20), default="email")
    endpoint: Mapped[str | None] = mapped_column(String(500))
    jurisdiction_id: Mapped[str | None] = mapped_column(String(200))
    api_key: Mapped[str | None] = mapped_column(String(200))
    # The body's own Open311 service_code for this category (its service list may differ from
    # Plaza's codes); empty: the category's code is sent.
    service_code: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)

    category: Mapped[Category] = relationship(back_populates="contacts", lazy="joined")


class Report(db.Model):
    __tablename__ = "reports_report"
    __table_args__ = (Index("ix_reports_report_state_created", "state", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("reports_category.id"))
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(30), default="unconfirmed", index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("accounts_user.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(50))
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(35))
    source: Mapped[str] = mapped_column(String(20), default="web")  # web | open311
    api_key_id: Mapped[int | None] = mapped_column(Integer)
    attributes: Mapped[dict] = mapped_column(JSON, default=dict)  # Open311 attribute answers
    address: Mapped[str | None] = mapped_column(String(300))
    # An Open311 client's link to its own photo: kept and shown to staff, never fetched.
    media_url: Mapped[str | None] = mapped_column(String(500))
    area_ids: Mapped[list] = mapped_column(JSON, default=list)  # areas at the point, when made
    body_ids: Mapped[list] = mapped_column(JSON, default=list)  # bodies it is routed to
    token: Mapped[str] = mapped_column(String(40), default=new_token, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # first send done
    lastupdate_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    fixed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    state_before_hiding: Mapped[str | None] = mapped_column(String(30))
    removal_requested_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    removal_reason: Mapped[str | None] = mapped_column(Text)
    questionnaire_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    support_count: Mapped[int] = mapped_column(Integer, default=0)

    category: Mapped[Category] = relationship(lazy="joined")
    photos: Mapped[list[Photo]] = relationship(
        order_by="Photo.position",
        viewonly=True,
        primaryjoin="and_(Photo.report_id == Report.id, Photo.update_id.is_(None), Photo.hidden_at.is_(None))",
    )
    # The report's own sends; forwards of its updates (Send.update_id set) are kept apart.
    sends: Mapped[list[Send]] = relationship(
        cascade="all, delete-orphan",
        order_by="Send.id",
        overlaps="report",
        primaryjoin="and_(Send.report_id == Report.id, Send.update_id.is_(None))",
    )

    @property
    def is_public(self) -> bool:
        return self.state not in ("unconfirmed", "hidden")

    @property
    def public_name(self) -> str | None:
        return self.name if self.show_name and self.name else None


class Send(db.Model):
    """One delivery of a report to one body (email or Open311), retried until done.

    With update_id set, it forwards that update to a body reached by Open311 instead. An email
    send stays "queued" until the outbox has delivered its mail (outbox_id), then is "sent".
    """

    __tablename__ = "reports_send"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports_report.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(Integer)
    body_name: Mapped[str] = mapped_column(String(300), default="")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("reports_contact.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(String(20), default="email")
    # pending | queued (email in the outbox) | sent | failed | superseded | unsupported
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("reports_update.id", ondelete="CASCADE"), index=True)
    outbox_id: Mapped[int | None] = mapped_column(Integer)  # core_outbox row of an email send

    report: Mapped[Report] = relationship(foreign_keys=[report_id], overlaps="sends")


class Update(db.Model):
    __tablename__ = "reports_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports_report.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("accounts_user.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text, default="")
    new_state: Mapped[str | None] = mapped_column(String(30))
    old_state: Mapped[str | None] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(20), default="public")  # public | staff | note | body | questionnaire
    body_id: Mapped[int | None] = mapped_column(Integer)  # staff/body updates: on behalf of
    language: Mapped[str | None] = mapped_column(String(35))
    token: Mapped[str] = mapped_column(String(40), default=new_token, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    external_id: Mapped[str | None] = mapped_column(String(200))

    photos: Mapped[list[Photo]] = relationship(
        order_by="Photo.position",
        viewonly=True,
        primaryjoin="and_(Photo.update_id == Update.id, Photo.hidden_at.is_(None))",
    )

    @property
    def is_public(self) -> bool:
        return self.confirmed_at is not None and self.hidden_at is None and self.kind != "note"

    def category_change(self, tag: str | None) -> tuple[str, str] | None:
        """(old, new) category names in this language when this update records a category change
        (external_id "category:<old id>:<new id>"), else None."""
        ext = self.external_id or ""
        if not ext.startswith("category:"):
            return None
        try:
            old_id, new_id = (int(x) for x in ext.split(":")[1:3])
        except ValueError:
            return None
        old, new = db.session.get(Category, old_id), db.session.get(Category, new_id)
        return (old.label(tag) if old else "?", new.label(tag) if new else "?")


class Photo(db.Model):
    """A re-encoded photo: files <key>.jpg (display) and <key>-t.jpg (thumbnail) in UPLOAD_FOLDER."""

    __tablename__ = "reports_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports_report.id", ondelete="CASCADE"), index=True)
    update_id: Mapped[int | None] = mapped_column(ForeignKey("reports_update.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    hidden_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Supporter(db.Model):
    """'Me too': one row per person (user or email) per report."""

    __tablename__ = "reports_supporter"
    __table_args__ = (UniqueConstraint("report_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports_report.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("accounts_user.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Alert(db.Model):
    """An email subscription: kind report | area | body | nearby (lat/lon/radius_m)."""

    __tablename__ = "reports_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("accounts_user.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(35))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports_report.id", ondelete="CASCADE"))
    area_id: Mapped[int | None] = mapped_column(Integer)
    body_id: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    radius_m: Mapped[int | None] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(40), default=new_token, unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Items created after this are news for the alert (set on confirmation).
    since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AlertSent(db.Model):
    __tablename__ = "reports_alert_sent"
    __table_args__ = (UniqueConstraint("alert_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("reports_alert.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(40))  # "r123" or "u456"
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApiKey(db.Model):
    """An Open311 client's key: only its SHA-256 is stored; the key is shown once."""

    __tablename__ = "reports_api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Suspended keys are refused until an admin restores them (revoking is for good).
    suspended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A body's back-end key (directory organisation id): it may push updates to that body's
    # reports. Without a body, a key may only post new reports.
    body_id: Mapped[int | None] = mapped_column(Integer, index=True)


class ResponseTemplate(db.Model):
    __tablename__ = "reports_response_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int | None] = mapped_column(Integer, index=True)  # None: every body
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str | None] = mapped_column(String(30))


class Questionnaire(db.Model):
    __tablename__ = "reports_questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports_report.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(40), default=new_token, unique=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str | None] = mapped_column(String(20))  # yes | no | unknown


class ModerationLog(db.Model):
    """Who did what to which report or update, when and why."""

    __tablename__ = "reports_moderation_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("accounts_user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    report_id: Mapped[int | None] = mapped_column(Integer, index=True)
    update_id: Mapped[int | None] = mapped_column(Integer)
    target_user_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class StateName(db.Model):
    """An admin's own display name for a report state in one language (default: the gettext name)."""

    __tablename__ = "reports_state_name"
    __table_args__ = (UniqueConstraint("state", "lang", name="uq_reports_state_name_state_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(35))
    name: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
