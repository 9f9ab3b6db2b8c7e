"""Accounts' business logic and its public face to other components (no commits here).

Passwords are hashed with argon2. Sign-in answers the same way, on the same code path, for an
unknown email and a wrong password. Tokens in emailed links are signed and timed (itsdangerous).
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import inspect, select

from ..core.mail import external_url, queue_email
from ..core.models import utcnow
from ..extensions import db
from . import signins
from .administration import (  # noqa: F401 - part of the door
    ban,
    count_users,
    search_users,
    set_role,
    set_staff,
    set_translator_locales,
    unban,
)
from .models import ROLES, User  # noqa: F401 - ROLES is part of the door
from .records import AccountError, UserInfo, get, info, user_banned  # noqa: F401 - part of the door

_hasher = PasswordHasher()
_dummy_hash: str | None = None

CONFIRM_MAX_AGE = 7 * 24 * 3600
RESET_MAX_AGE = 2 * 3600
MIN_PASSWORD = 8
MAX_PASSWORD = 1024


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
        user.email,
        "accounts/email/confirm.txt",
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
                existing.email,
                "accounts/email/already_registered.txt",
                {
                    "name": existing.name,
                    "signin_url": external_url("accounts.signin", lang=_lang(existing)),
                    "reset_url": external_url("accounts.reset_request", lang=_lang(existing)),
                },
                language=existing.language,
            )
        return None
    user = User(
        name=clean_name(name),
        email=email,
        password_hash=password_hash,
        language=language,
        role="citizen",
        translator_locales=[],
    )
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
        user.email,
        "accounts/email/reset.txt",
        {
            "name": user.name,
            "url": external_url("accounts.reset", token=reset_token(user), lang=_lang(user)),
            "hours": RESET_MAX_AGE // 3600,
        },
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
    user = User(
        email=email,
        name=clean_name(name or email.split("@", 1)[0]),
        role="admin",
        password_hash=hash_password(password),
        confirmed_at=utcnow(),
        translator_locales=[],
    )
    db.session.add(user)
    db.session.flush()
    return user


def is_banned(user_id: int | None = None, email: str | None = None) -> bool:
    """For other components (e.g. reports hide a banned reporter's work)."""
    user = get(user_id) if user_id else (by_email(email) if email else None)
    return user is not None and user.banned_at is not None
