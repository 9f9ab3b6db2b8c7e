"""Who may see what: prominence of requests, messages and attachments."""

from __future__ import annotations

from flask_login import current_user


def is_moderator() -> bool:
    return bool(current_user.is_authenticated and current_user.can_moderate)


def is_owner(req) -> bool:
    return bool(current_user.is_authenticated and current_user.id == req.user_id)


def can_see(item, req) -> bool:
    """item: a request, message or attachment (each has prominence)."""
    if item.prominence in ("normal", "backpage"):
        return True
    if item.prominence == "requester_only":
        return is_owner(req) or is_moderator()
    return is_moderator()
