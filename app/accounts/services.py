"""Accounts' business logic and its public face to other components (no commits here).

Passwords are hashed with argon2. Sign-in answers the same way, on the same code path, for an
unknown email and a wrong password. Tokens in emailed links are signed and timed (itsdangerous).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from blinker import Namespace
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, inspect, or_, select

from ..core.mail import external_url, queue_email
from ..core.models import utcnow
from ..extensions import db, unicode_lower
from . import signins
from .models import ROLES, StaffMembership, User

_hasher = PasswordHasher()
_dummy_hash: str | None = None

CONFIRM_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 2 * 3600
MIN_PASSWORD = 8
MAX_PASSWORD = 1024

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
        id=user.id, name=user.name, email=user.email, role=user.role, language=user.language,
        created_at=user.created_at, confirmed=user.is_confirmed, banned=user.banned_at is not None,
        ban_reason=user.ban_reason, translator_locales=tuple(user.translator_locales or ()),
        staff_org_ids=tuple(sorted(user.staff_org_ids)),
    )


class AccountError(ValueError):
    """A user-facing problem; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


# -- names, passwords and emails -------------------------------------------------------
# Control characters (C0, C1, line and paragraph separators) have no place in a name: a line
# break in a name would end up in the From line of the mail sent on the person's behalf.
_NAME_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def clean_name(raw: str | None) -> str:
    """A person's name on one line: control characters become spaces, runs of spaces one."""
    return " ".join(_NAME_CONTROL.sub(" ", raw or "").split())


def normalise_email(raw: str) -> str:
    """Validated, in the ASCII form mail servers take (an internationalised domain IDNA-encoded),
    lower-cased; raises EmailNotValidError (no DNS lookups). Letters beyond ASCII before the @
    need SMTPUTF8, which most mail servers on the way do not offer: such an address is refused
    here, when the person can still give another, rather than never receiving our mail."""
    result = validate_email((raw or "").strip(), check_deliverability=False, allow_smtputf8=False)
    return (result.ascii_email or result.normalized).lower()


def needs_smtputf8(raw: str) -> bool:
    """An address whose part before the @ is not ASCII (our mail cannot reach it)."""
    local = (raw or "").strip().rpartition("@")[0]
    return bool(local) and not local.isascii()


def is_valid_email(raw: str) -> bool:
    try:
        normalise_email(raw)
    except EmailNotValidError:
        return False
    return True


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not a real password: equalises sign-in timing")
    return _dummy_hash


def check_password(user: User | None, password: str) -> bool:
    """Always runs one argon2 verification, whether or not the user exists."""
    stored = user.password_hash if user is not None and user.password_hash else None
    try:
        _hasher.verify(stored or _dummy(), password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if _hasher.check_needs_rehash(stored):
        user.password_hash = hash_password(password)
    return True


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


# -- lookups ----------------------------------------------------------------------
def get(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def by_email(email: str) -> User | None:
    try:
        ascii_form = normalise_email(email)
    except EmailNotValidError:
        return None
    # Accounts made before addresses were stored in ASCII may hold the Unicode domain.
    forms = {ascii_form}
    try:
        forms.add(validate_email((email or "").strip(), check_deliverability=False).normalized.lower())
    except EmailNotValidError:
        pass
    return db.session.scalar(select(User).where(User.email.in_(forms)).order_by(User.id).limit(1))


def get_info(user_id: int) -> UserInfo | None:
    user = get(user_id)
    return info(user) if user else None


def users_info(ids) -> list[UserInfo]:
    ids = list(ids)
    if not ids:
        return []
    return [info(u) for u in db.session.scalars(select(User).where(User.id.in_(ids))).all()]


def moderators_info() -> list[UserInfo]:
    """Admins and moderators, e.g. to tell them that something was reported."""
    query = select(User).where(User.role.in_(("admin", "moderator"))).order_by(User.id)
    return [info(u) for u in db.session.scalars(query).all()]


def has_users() -> bool:
    """Whether any account exists (False too when the tables were never created)."""
    if not inspect(db.engine).has_table(User.__tablename__):
        return False
    return db.session.scalar(select(User.id).limit(1)) is not None


# -- tokens -------------------------------------------------------------------------
def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"accounts-{purpose}")


def confirm_token(user: User) -> str:
    return _serializer("confirm").dumps({"u": user.id, "e": user.email})


def reset_token(user: User) -> str:
    # Bound to the current password hash: the link stops working once it has been used.
    return _serializer("reset").dumps({"u": user.id, "h": (user.password_hash or "")[-16:]})


def user_from_confirm_token(token: str) -> User | None:
    try:
        data = _serializer("confirm").loads(token, max_age=CONFIRM_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = get(int(data.get("u", 0))) if isinstance(data, dict) else None
    if user is None or user.email != data.get("e"):
        return None
    return user


def user_from_reset_token(token: str) -> User | None:
    try:
        data = _serializer("reset").loads(token, max_age=RESET_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = get(int(data.get("u", 0))) if isinstance(data, dict) else None
    if user is None or (user.password_hash or "")[-16:] != data.get("h"):
        return None
    return user


# -- actions (the caller commits) ----------------------------------------------------
def send_confirmation(user: User) -> None:
    queue_email(
        user.email, "accounts/email/confirm.txt",
        {"name": user.name, "url": external_url("accounts.confirm", token=confirm_token(user), lang=_lang(user))},
        language=user.language,
    )


def _lang(user: User) -> str:
    prof = current_app.extensions["plaza_profile"]
    return user.language if user.language in prof.language_tags else prof.default_language


def register(name: str, email: str, password: str, language: str | None) -> User | None:
    """Create an unconfirmed account and email its confirmation link.

    When the email already has an account, nothing is created and the owner is emailed instead
    (a fresh link when still unconfirmed); the caller shows the same page either way.
    """
    existing = by_email(email)
    email = normalise_email(email)
    password_hash = hash_password(password)  # hashed in both branches: same timing
    if existing is not None:
        if not existing.is_confirmed:
            send_confirmation(existing)
        else:
            queue_email(
                existing.email, "accounts/email/already_registered.txt",
                {"name": existing.name, "signin_url": external_url("accounts.signin", lang=_lang(existing)),
                 "reset_url": external_url("accounts.reset_request", lang=_lang(existing))},
                language=existing.language,
            )
        return None
    user = User(name=clean_name(name), email=email, password_hash=password_hash, language=language,
                role="citizen", translator_locales=[])
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def authenticate(email: str, password: str) -> tuple[str, User | None]:
    """("ok", user) | ("unconfirmed", user) | ("banned", user) | ("invalid", None)."""
    user = by_email(email)
    if not check_password(user, password):
        return "invalid", None
    if user.banned_at is not None:
        return "banned", user
    if not user.is_confirmed:
        return "unconfirmed", user
    return "ok", user


def confirm(user: User) -> bool:
    """Mark the email confirmed; False when it already was (following a link twice is harmless)."""
    if user.is_confirmed:
        return False
    user.confirmed_at = utcnow()
    return True


def resend_confirmation(email: str) -> None:
    user = by_email(email)
    if user is not None and not user.is_confirmed and user.banned_at is None:
        send_confirmation(user)


def request_reset(email: str) -> None:
    """Email a reset link when the account exists; silently nothing otherwise."""
    user = by_email(email)
    if user is None or user.banned_at is not None:
        return
    queue_email(
        user.email, "accounts/email/reset.txt",
        {"name": user.name, "url": external_url("accounts.reset", token=reset_token(user), lang=_lang(user)),
         "hours": RESET_MAX_AGE // 3600},
        language=user.language,
    )


def complete_reset(user: User, password: str) -> None:
    set_password(user, password)
    signins.end_all(user)  # whoever knew the old password is signed out everywhere
    # A working reset link proves the owner reads that mailbox.
    if not user.is_confirmed:
        user.confirmed_at = utcnow()


def create_admin(email: str, password: str, name: str | None = None) -> User:
    if by_email(email) is not None:
        raise AccountError(_("An account with this email already exists."), "email")
    email = normalise_email(email)
    user = User(email=email, name=clean_name(name or email.split("@", 1)[0]), role="admin",
                password_hash=hash_password(password), confirmed_at=utcnow(), translator_locales=[])
    db.session.add(user)
    db.session.flush()
    return user


# -- administration (the admin component calls these; the caller audits and commits) -----
def search_users(q: str | None = None, role: str | None = None, since: dt.datetime | None = None,
                 banned: bool | None = None, limit: int = 50, offset: int = 0) -> tuple[list[UserInfo], int]:
    query = select(User)
    if q:
        # Wildcards typed in the box (% and _) are plain characters; case folds in every script.
        needle = q.strip().lower()
        query = query.where(or_(unicode_lower(User.name).contains(needle, autoescape=True),
                                User.email.contains(needle, autoescape=True)))
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


def is_banned(user_id: int | None = None, email: str | None = None) -> bool:
    """For other components (e.g. reports hide a banned reporter's work)."""
    user = get(user_id) if user_id else (by_email(email) if email else None)
    return user is not None and user.banned_at is not None
