"""Stop the "tell us what the reply said" reminders of one request: a signed link in each
reminder (and its List-Unsubscribe header), so no token is stored."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from .models import FoiRequest

# classify_reminders counts the reminders sent since the last reply; this value means "never
# again for this request" (a new reply does not reset it, see mail/receiving.py).
STOPPED = 1000


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="foi.reminders.stop")


def stop_token(req: FoiRequest) -> str:
    return _serializer().dumps([req.id, req.user_id])


def token_matches(req: FoiRequest, token: str) -> bool:
    try:
        return _serializer().loads(token) == [req.id, req.user_id]
    except BadSignature:
        return False


def stopped(req: FoiRequest) -> bool:
    return req.classify_reminders >= STOPPED


def stop(req: FoiRequest) -> bool:
    """Flush-free: the caller commits. False when they were stopped already."""
    if stopped(req):
        return False
    req.classify_reminders = STOPPED
    return True


def restart_count(req: FoiRequest) -> None:
    """A new reply or a classification starts the reminder count again, unless they were stopped."""
    if not stopped(req):
        req.classify_reminders = 0
