"""Account administration: search, counts, roles, bans, translator locales, staff of bodies.

The admin component reaches these through services.py (the door); the caller audits and
commits.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ..core.models import utcnow
from ..extensions import db, unicode_lower
from .models import ROLES, StaffMembership, User
from .records import AccountError, UserInfo, get, info, user_banned


def search_users(
    q: str | None = None,
    role: str | None = None,
    since: dt.datetime | None = None,
    banned: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[UserInfo], int]:
    query = select(User)
    if q:
        # Wildcards typed in the box (% and _) are plain characters; case folds in every script.
        needle = q.strip().lower()
        query = query.where(
            or_(
                unicode_lower(User.name).contains(needle, autoescape=True), User.email.contains(needle, autoescape=True)
            )
        )
    if role in ROLES:
        query = query.where(User.role == role)
    if since is not None:
        query = query.where(User.created_at >= since)
    if banned is not None:
        query = query.where(User.banned_at.is_not(None) if banned else User.banned_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.order_by(User.id.desc()).limit(limit).offset(offset)).all()
    return [info(u) for u in rows], total


def count_users(since: dt.datetime | None = None) -> int:
    query = select(func.count(User.id))
    if since is not None:
        query = query.where(User.created_at >= since)
    return db.session.scalar(query) or 0


def set_role(user_id: int, role: str) -> dict | None:
    """Returns audit details ({"from", "to"}, plus "organisations" when staff memberships ended),
    or None when nothing changed.

    A citizen works for no public body: making someone a citizen ends their staff memberships, so
    the role shown is what they can do. "Staff" is given by adding a public body (set_staff), never
    on its own."""
    if role not in ROLES:
        raise AccountError(_("Unknown role."), "role")
    user = get(user_id)
    if user is None:
        raise AccountError(_("No such user."))
    if role == "staff" and not user.staff_of:
        raise AccountError(_("Staff work for a public body: add one below, and the role becomes Staff."), "role")
    detail: dict = {}
    if user.role != role:
        detail = {"from": user.role, "to": role}
        user.role = role
    if role == "citizen" and user.staff_of:
        detail["organisations"] = sorted(m.organisation_id for m in user.staff_of)
        user.staff_of.clear()
    return detail or None


def ban(user_id: int, reason: str) -> bool:
    user = get(user_id)
    if user is None:
        raise AccountError(_("No such user."))
    if user.banned_at is not None:
        return False
    user.banned_at, user.ban_reason = utcnow(), reason
    user_banned.send(current_app._get_current_object(), user_id=user.id, email=user.email, reason=reason)
    return True


def unban(user_id: int) -> bool:
    user = get(user_id)
    if user is None:
        raise AccountError(_("No such user."))
    if user.banned_at is None:
        return False
    user.banned_at, user.ban_reason = None, None
    return True


def set_translator_locales(user_id: int, locales) -> tuple[list, list]:
    user = get(user_id)
    if user is None:
        raise AccountError(_("No such user."))
    old = list(user.translator_locales or [])
    user.translator_locales = sorted(set(locales))
    return old, user.translator_locales


def set_staff(user_id: int, organisation_id: int, member: bool = True) -> dict | None:
    """Make a user staff of an organisation (or stop); returns audit details, or None if unchanged.

    The caller checks that the organisation exists (a directory body) and audits. A citizen
    becomes "staff" with the first membership and a "staff" user without any goes back to
    "citizen", so the role shown in the users list matches what they can do.
    """
    user = get(user_id)
    if user is None:
        raise AccountError(_("No such user."))
    current = {m.organisation_id: m for m in user.staff_of}
    if member == (organisation_id in current):
        return None
    if member:
        user.staff_of.append(StaffMembership(organisation_id=organisation_id))
    else:
        user.staff_of.remove(current[organisation_id])
    detail: dict = {"organisation": organisation_id}
    old = user.role
    if member and old == "citizen":
        user.role = "staff"
    elif not member and old == "staff" and not user.staff_of:
        user.role = "citizen"
    if user.role != old:
        detail["role"] = {"from": old, "to": user.role}
    return detail
