"""Per-thread reply addresses: <kind>-<id>-<hash>@INCOMING_EMAIL_DOMAIN, matched tolerantly."""

from __future__ import annotations

import hashlib
import hmac
import re

from flask import current_app


def address_hash(object_id: int, kind: str = "request") -> str:
    """First 8 hex characters of an HMAC of the id with the secret key.

    FOI requests hash the bare id (as the FOI issue specifies); other kinds hash "kind-id" so
    that a message and a request with the same id get different addresses.
    """
    key = current_app.config["SECRET_KEY"].encode("utf-8")
    msg = str(object_id) if kind == "request" else f"{kind}-{object_id}"
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).hexdigest()[:8]


def reply_address(kind: str, object_id: int) -> str:
    domain = current_app.config["INCOMING_EMAIL_DOMAIN"]
    return f"{kind}-{object_id}-{address_hash(object_id, kind)}@{domain}"


def _fold(text: str) -> str:
    # Mistyped by people copying addresses by hand: l/1/I and o/0/O.
    return text.lower().replace("l", "1").replace("i", "1").replace("o", "0")


def hashes_match(expected: str, given: str) -> bool:
    return hmac.compare_digest(_fold(expected), _fold(given))


def parse_reply_address(address: str, kind: str) -> tuple[int, str] | None:
    """'request-12-ab12cd34@any.domain' -> (12, 'ab12cd34'); prefix and domain ignored."""
    local = address.split("@", 1)[0].lower()
    m = re.search(rf"(?:^|[^a-z]){re.escape(kind)}-(\d+)-([0-9a-z]{{6,12}})$", local)
    if not m:
        return None
    return int(m.group(1)), m.group(2)
