"""What accounts hands out about a user (a frozen UserInfo), and the signal a ban sends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from blinker import Namespace

from ..extensions import db
from .models import User

# Sent (sender: the app) after a ban, inside the banning transaction, with user_id, email and
# reason: other components hide the banned person's content without accounts knowing them.
user_banned = Namespace().signal("accounts.user-banned")


@dataclass(frozen=True)
class UserInfo:
    """What other components (and admin) see of a user."""

    id: int
    name: str
    email: str
    role: str
    language: str | None
    created_at: dt.datetime
    confirmed: bool
    banned: bool
    ban_reason: str | None
    translator_locales: tuple[str, ...]
    staff_org_ids: tuple[int, ...]


def info(user: User) -> UserInfo:
    return UserInfo(
        id=user.id,
        name=user.name,
        email=user.email,
        role=user.role,
        language=user.language,
        created_at=user.created_at,
        confirmed=user.is_confirmed,
        banned=user.banned_at is not None,
        ban_reason=user.ban_reason,
        translator_locales=tuple(user.translator_locales or ()),
        staff_org_ids=tuple(sorted(user.staff_org_ids)),
    )


def get(user_id: int) -> User | None:
    return db.session.get(User, user_id)


class AccountError(ValueError):
    """A user-facing problem; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field
