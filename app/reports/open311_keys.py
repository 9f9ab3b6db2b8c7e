"""Open311 API keys at the door: a per-key rate limit (Flask-Limiter, keyed by the key itself)
and the check that answers 403 for a missing, revoked or suspended key."""

from __future__ import annotations

import hashlib

from flask import current_app, request

from ..extensions import limiter
from .georeport import arg, errors
from .queries import any_api_key

DEFAULT_RATE_LIMIT = "100/hour"


def _rate_key() -> str:
    # The limiter's store sees a digest of the key, never the key.
    given = (request.values.get("api_key") or "").strip()
    return "open311:" + hashlib.sha256(given.encode("utf-8", "replace")).hexdigest()[:32]


def _rate() -> str:
    return current_app.config.get("OPEN311_KEY_RATE_LIMIT") or DEFAULT_RATE_LIMIT


# One count per key over every view that needs a key; a request without one is refused (403)
# without counting.
key_rate_limit = limiter.shared_limit(
    _rate, scope="open311-key", key_func=_rate_key, exempt_when=lambda: not arg("api_key")
)


def client_key(fmt):
    """(the ApiKey, None) for a usable key, else (None, the spec's 403 answer)."""
    row = any_api_key(arg("api_key"))
    if row is None or row.revoked_at is not None:
        return None, errors(fmt, 403, "a valid api_key is required")
    if row.suspended_at is not None:
        return None, errors(fmt, 403, "this api_key is suspended")
    return row, None
