"""Authorisation helpers every component uses on its views (checked on every write)."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def role_required(*roles: str):
    """Allow signed-in users with one of `roles` (admin always passes); others get 403.

    Signed-out visitors are sent to sign in (Flask-Login's unauthorized handler).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not (current_user.is_admin or current_user.role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def moderator_required(view):
    return role_required("moderator")(view)


def admin_required(view):
    return role_required()(view)


def staff_required(view):
    """Staff of at least one organisation, moderators and admins."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not (current_user.is_staff or current_user.can_moderate):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def in_audience(audience: str) -> bool:
    """Whether the signed-in user belongs to an admin link's audience (see registry.add_admin_nav)."""
    if not current_user.is_authenticated:
        return False
    if current_user.is_admin:
        return True
    return {
        "moderator": current_user.can_moderate,
        "staff": current_user.is_staff or current_user.can_moderate,
        "translator": bool(current_user.translator_locales),
    }.get(audience, False)
