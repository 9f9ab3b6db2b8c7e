"""Server-side sign-ins: each signed-in browser is a row, so ending it ends its cookies for good.

A cookie alone cannot be taken back: a copy of the session or remember-me cookie replayed after
sign-out would still open the account. The user loader therefore accepts a cookie only while its
row is open. These operations flush and never commit: the caller's action commits."""

from __future__ import annotations

from sqlalchemy import select, update

from ..core.models import utcnow
from ..extensions import db
from .models import SignIn, User


def load(cookie_id: str) -> User | None:
    """The user a session or remember-me cookie names, if its sign-in is still open (one query)."""
    user_id, _, rest = (cookie_id or "").partition(".")
    stamp, _, key = rest.partition(".")
    if not (user_id.isdigit() and stamp and key):
        return None
    user = db.session.scalar(
        select(User)
        .join(SignIn, SignIn.user_id == User.id)
        .where(User.id == int(user_id), SignIn.key == key, SignIn.ended_at.is_(None))
    )
    if user is None:
        return None
    user.session_key = key
    return user


def end(user: User) -> None:
    """Sign-out: this browser's sign-in ends (the others go on)."""
    key = getattr(user, "session_key", None)
    if key:
        db.session.execute(update(SignIn).where(SignIn.key == key, SignIn.ended_at.is_(None)).values(ended_at=utcnow()))


def end_all(user: User, keep_current: bool = False) -> int:
    """Every sign-in of this user ends (all but this browser's with keep_current); how many."""
    query = update(SignIn).where(SignIn.user_id == user.id, SignIn.ended_at.is_(None))
    key = getattr(user, "session_key", None)
    if keep_current and key:
        query = query.where(SignIn.key != key)
    return db.session.execute(query.values(ended_at=utcnow())).rowcount
