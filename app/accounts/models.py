"""Accounts: users and their roles."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime, utcnow
from ..extensions import db

ROLES = ("citizen", "staff", "moderator", "admin")


class User(UserMixin, db.Model):
    __tablename__ = "accounts_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))  # one field, any script
    password_hash: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(35))  # BCP 47 tag
    role: Mapped[str] = mapped_column(String(20), default="citizen")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    banned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    ban_reason: Mapped[str | None] = mapped_column(Text)
    # Locales this user may translate (issue: partners translate in the browser)
    translator_locales: Mapped[list] = mapped_column(JSON, default=list)

    staff_of: Mapped[list[StaffMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def session_stamp(self) -> str:
        """Changes whenever the password does, so a new password ends every other session."""
        key = current_app.config["SECRET_KEY"].encode()
        return hmac.new(key, (self.password_hash or "").encode(), hashlib.sha256).hexdigest()[:16]

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the user, the
        password stamp and this sign-in's server-side key. login_user() asks for it first, so a
        sign-in starts its server-side session here; signing out ends that row, and with it both
        cookies, wherever they are replayed."""
        if not getattr(self, "session_key", None):
            self.session_key = secrets.token_urlsafe(18)
            db.session.add(SignIn(key=self.session_key, user_id=self.id))
            db.session.flush()
        return f"{self.id}.{self.session_stamp}.{self.session_key}"

    @property
    def is_active(self) -> bool:  # Flask-Login: banned users cannot sign in
        return self.banned_at is None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def can_moderate(self) -> bool:
        return self.role in ("moderator", "admin")

    @property
    def is_staff(self) -> bool:
        # A citizen is never staff, whatever memberships are left (the role is the last word).
        return self.role == "staff" or (self.role != "citizen" and bool(self.staff_of))

    @property
    def staff_org_ids(self) -> set[int]:
        return {m.organisation_id for m in self.staff_of}

    def can_translate(self, locale: str) -> bool:
        return self.is_admin or locale in (self.translator_locales or [])


class StaffMembership(db.Model):
    """A user who works for an organisation (a directory organisation id; no cross-component FK)."""

    __tablename__ = "accounts_staff"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    user: Mapped[User] = relationship(back_populates="staff_of")


class SignIn(db.Model):
    """One signed-in browser (its session and remember-me cookies); ended at sign-out, by "sign
    out everywhere", a password change or a ban."""

    __tablename__ = "accounts_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("accounts_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
