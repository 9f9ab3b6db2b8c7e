"""Addresses: per-thread reply addresses (<kind>-<id>-<hash>@INCOMING_EMAIL_DOMAIN, matched
tolerantly), a sender read from a malformed From header, addresses hidden in published text."""

from __future__ import annotations

import hashlib
import hmac
import re
from email import message_from_bytes, policy
from email.utils import getaddresses

from flask import current_app

from ..privacy import EMAIL_RE
from .charsets import decode_header_value


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


_ADDRESS = re.compile(r"^[^@\s<>()\[\]\\,;:\"]+@[^@\s<>()\[\]\\,;:\"]+$")
# Run on one token at a time (see _addresses_in): a `[chars]+@` regex over a whole header takes the
# square of a long word without "@"; a token longer than an address can be is skipped.
_ADDRESS_IN = re.compile(r"[\w.+'=-]+@[\w-]+(?:\.[\w-]+)*")
_TOKEN = re.compile(r"[^\s<>()\[\]\\,;:\"]+")


def _addresses_in(value: str) -> list[str]:
    found = []
    for token in _TOKEN.findall(value):
        if "@" in token and len(token) <= 320:
            found.extend(_ADDRESS_IN.findall(token))
    return found


def valid_address(addr: str | None) -> bool:
    """An address one can send mail to: one @, no spaces, quotes, brackets or commas."""
    return bool(addr) and len(addr) <= 320 and bool(_ADDRESS.match(addr))


def read_sender(value: str | None) -> tuple[str, str]:
    """(display name, address) of a From header as it came, before its encoded words are decoded (a
    decoded name may hold a comma, as in "Coordenação de Relacionamento, Pesquisa …"), and an
    address salvaged from a malformed header ('"A Person" email@example.com>'). The address is
    empty when there is none that mail could be sent to."""
    value = re.sub(r"\s+", " ", value or "").strip()
    for name, addr in getaddresses([value]):
        if valid_address(addr):
            return decode_header_value(name).strip(), addr.lower()
    found = _addresses_in(value)
    if len(found) == 1 and valid_address(found[0]):
        name = decode_header_value(value.split(found[0], 1)[0]).strip(" \"<'")
        return name, found[0].lower()
    return decode_header_value(value).strip(" \"<>'") if "@" not in value else "", ""


def sender(raw: bytes) -> tuple[str, str]:
    """(display name, address) of the From header of a raw message (see `read_sender`)."""
    try:
        value = message_from_bytes(raw, policy=policy.compat32).get("From")
        value = str(value) if value is not None else ""
    except Exception:  # noqa: BLE001 - a header that cannot be read has no sender
        return "", ""
    return read_sender(value)


def hide_addresses(text: str, addresses) -> str:
    """Blank out the given email addresses (a writer's, our reply addresses), whatever their case."""
    wanted = {a.lower() for a in addresses if a}
    if not wanted:
        return text
    return EMAIL_RE.sub(lambda m: "[…]" if m.group(0).lower() in wanted else m.group(0), text)
