"""Tables of the deployment's own translation layer and of translated site content."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.models import UTCDateTime, utcnow
from ..extensions import db


class TranslationState(db.Model):
    """One row: a counter bumped on every change (each worker compares it per request)."""

    __tablename__ = "translations_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    layer_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(Integer)  # accounts user id


class TranslationCatalog(db.Model):
    """A catalog added from the admin for a profile language the code base does not ship."""

    __tablename__ = "translations_catalog"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(35), unique=True)  # gettext catalog code, e.g. "tum"
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[int | None] = mapped_column(Integer)


class TranslationEntry(db.Model):
    """A translation saved in the browser (or uploaded), layered over the shipped catalog."""

    __tablename__ = "translations_entry"
    __table_args__ = (UniqueConstraint("catalog", "key", name="uq_translations_entry_catalog_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog: Mapped[str] = mapped_column(String(35), index=True)
    key: Mapped[str] = mapped_column(String(40))  # sha1 of msgctxt \x04 msgid
    msgctxt: Mapped[str] = mapped_column(Text, default="")
    msgid: Mapped[str] = mapped_column(Text)
    msgid_plural: Mapped[str | None] = mapped_column(Text)
    forms: Mapped[list] = mapped_column(JSON, default=list)  # one text, or one per plural form
    fuzzy: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)  # state version when last changed
    updated_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class TranslationLog(db.Model):
    """Every save: who, when, the text before and after."""

    __tablename__ = "translations_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog: Mapped[str] = mapped_column(String(35), index=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    msgid: Mapped[str] = mapped_column(Text)
    old: Mapped[list] = mapped_column(JSON, default=list)
    new: Mapped[list] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(20), default="editor")  # editor, upload, content
    user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ContentText(db.Model):
    """Admin-written content in one language: the site name, a static page's title or body."""

    __tablename__ = "translations_content"
    __table_args__ = (UniqueConstraint("key", "lang", name="uq_translations_content_key_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))  # "site_name", "page:about:title", ...
    lang: Mapped[str] = mapped_column(String(35))  # BCP 47 tag
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
