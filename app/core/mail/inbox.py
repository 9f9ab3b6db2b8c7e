"""Incoming email: store the raw bytes first, then let the components claim it."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses

from sqlalchemy import func, select

from ...extensions import db
from .. import registry
from ..models import utcnow
from . import limits
from .charsets import decode_header_value
from .models import InboxMessage

log = logging.getLogger(__name__)

ADDRESS_HEADERS = ("To", "Cc", "Bcc", "Envelope-to", "X-Original-To", "Delivered-To", "X-Envelope-To")
# No "@" in the local part: a run of "a@a@a@…" would otherwise be rescanned from every "@".
_RECEIVED_FOR = re.compile(r"\bfor\s+<?([^\s<>;@]+@[^\s<>;]+?)>?\s*;", re.I)


def parse_bytes(raw: bytes) -> EmailMessage:
    """The message with its headers capped; only its headers when it must not be fully parsed
    (see limits.unreadable_reason), so that reading it never raises RecursionError."""
    raw = limits.cap_headers(raw)
    if limits.unreadable_reason(raw):
        return BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    return message_from_bytes(raw, policy=policy.default)


def _header_text(msg, name) -> list[str]:
    out = []
    for value in msg.get_all(name, []) or []:
        try:
            out.append(str(value))
        except Exception:  # noqa: BLE001 - broken headers must not stop delivery
            continue
    return out


def recipients_of(msg, extra: list[str] | None = None) -> list[str]:
    found: list[str] = []
    for name in ADDRESS_HEADERS:
        try:
            pairs = getaddresses(_header_text(msg, name))
        except Exception:  # noqa: BLE001
            pairs = []
        found.extend(addr for _, addr in pairs if "@" in addr)
    for received in _header_text(msg, "Received"):
        found.extend(_RECEIVED_FOR.findall(received))
    found.extend(extra or [])
    seen, out = set(), []
    for addr in found:
        addr = addr.strip().strip("<>").lower()
        if addr and addr not in seen:
            seen.add(addr)
            out.append(addr)
    return out


# Stored as a code, so that admin pages show it in the reader's language.
UNCLAIMED_NOTE = "core:unclaimed"


class Incoming:
    """What an inbox handler gets: the stored row, the parsed message, its recipients."""

    def __init__(self, row: InboxMessage):
        self.row = row
        self.id = row.id
        self.raw = row.raw
        self.message = parse_bytes(row.raw)
        self.recipients = recipients_of(self.message, row.envelope_to)
        self.local_parts = [a.split("@", 1)[0] for a in self.recipients]
        self.message_id = row.message_id
        self.subject = row.subject
        self.from_addr = row.from_addr

    def hold(self, reason: str, suggestion: str | None = None) -> None:
        self.row.status = "holding"
        self.row.note = reason
        self.row.suggestion = suggestion


# Headers that mail servers add on the way (and again on each redelivery or for each recipient):
# they say how a copy travelled, not what the message is, so they never make a copy "new".
TRACE_HEADERS = frozenset(
    {
        "received",
        "x-received",
        "received-spf",
        "delivered-to",
        "envelope-to",
        "x-envelope-to",
        "x-envelope-from",
        "return-path",
        "x-original-to",
        "x-original-from",
        "x-forwarded-to",
        "x-forwarded-for",
        "dkim-signature",
        "x-google-dkim-signature",
        "domainkey-signature",
        "authentication-results",
        "x-authentication-results",
        "x-ms-exchange-organization-authas",
        "x-greylist",
        "x-virus-scanned",
        "x-virus-status",
        "x-gm-message-state",
        "x-google-smtp-source",
    }
)
TRACE_PREFIXES = ("arc-", "x-spam", "x-rspamd", "x-ham", "x-ms-exchange-")
# With a Message-ID, these and the body tell one message from another that reuses its id.
IDENTITY_HEADERS = ("from", "date", "subject", "content-type")


def _split_raw(raw: bytes) -> tuple[list[tuple[str, str]], bytes]:
    """(header name lower-cased, unfolded value) pairs and the body, read from the raw bytes."""
    text = raw.replace(b"\r\n", b"\n")
    head, sep, body = text.partition(b"\n\n")
    if not sep:
        head, body = text, b""
    headers: list[tuple[str, str]] = []
    for line in head.decode("utf-8", "replace").split("\n"):
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + " " + line.strip())
        elif ":" in line:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
    headers = [(n, " ".join(v.split())) for n, v in headers]
    return headers, body.rstrip()


def _is_trace(name: str) -> bool:
    return name in TRACE_HEADERS or name.startswith(TRACE_PREFIXES)


def content_key(raw: bytes, message_id: str | None) -> str:
    """The key that makes a redelivered copy the same row.

    With a Message-ID: the id plus a hash of From, Date, Subject, Content-Type and the body, so a
    copy with more Received:/Delivered-To: lines is known, and a different message that reuses the
    id (some senders do) is still new. Without one: a hash of the whole message less its trace
    headers. Line endings and trailing space do not count."""
    headers, body = _split_raw(raw)
    if message_id:
        kept = [(n, v) for n, v in headers if n in IDENTITY_HEADERS]
    else:
        kept = [(n, v) for n, v in headers if not _is_trace(n)]
    digest = hashlib.sha256()
    digest.update(b"mid:" + (message_id or "").encode("utf-8", "replace") + b"\n")
    for name, value in kept:
        digest.update(f"{name}:{value}\n".encode("utf-8", "replace"))
    digest.update(b"\n" + body)
    return digest.hexdigest()


def _legacy_key(raw: bytes, message_id: str | None) -> str:
    """The key rows stored before content_key had (Message-ID + sha256 of the raw bytes)."""
    source = (message_id or "").encode("utf-8", "replace") + b"\n" + hashlib.sha256(raw).digest()
    return hashlib.sha256(source).hexdigest()


def _first(headers: list[tuple[str, str]], name: str, decode: bool = True) -> str | None:
    """The first `name` header from the scanned header lines, decoded, without NUL, cut short."""
    value = next((v for n, v in headers if n == name), None)
    if value is None:
        return None
    if decode:
        value = decode_header_value(value[:MAX_STORED_HEADER])
    return limits.without_nul(value)[:MAX_STORED_HEADER].strip() or None


MAX_STORED_HEADER = 2000


def store_raw(raw: bytes, envelope_to: list[str] | None = None) -> tuple[InboxMessage, bool]:
    """Store the message unless a copy of it is known. Returns (row, created). Caller commits.

    A copy is the same message delivered again, whatever trace headers the mail servers added on
    the way (see content_key); a different message under a reused Message-ID is a new row. Nothing
    here parses the message as a whole (a scan of its header lines, linear in its size, is all), so
    whatever the bytes are, they are stored; dispatch parses them, within limits."""
    headers, _body = _split_raw(raw)
    message_id = _first(headers, "message-id", decode=False)
    key = content_key(raw, message_id)
    existing = db.session.scalar(
        select(InboxMessage)
        .where(InboxMessage.message_key.in_((key, _legacy_key(raw, message_id))))
        .order_by(InboxMessage.id)
        .limit(1)
    )
    if existing is not None:
        return existing, False
    row = InboxMessage(
        message_key=key,
        message_id=message_id,
        raw=raw,
        envelope_to=[limits.without_nul(e.lower()) for e in (envelope_to or [])],
        subject=_first(headers, "subject") or "",
        from_addr=_first(headers, "from") or "",
        status="new",
    )
    db.session.add(row)
    db.session.flush()
    return row, True


def dispatch(row: InboxMessage) -> str:
    """Offer a stored message to every handler; commit the outcome. Returns the new status."""
    reason = limits.unreadable_reason(row.raw)
    if reason:  # kept as it came, for an admin to look at; no handler could read it
        row.status, row.note = "holding", reason
        db.session.commit()
        return row.status
    try:
        item = Incoming(row)
        for handler in registry.inbox_handlers():
            claimed = handler(item)
            if claimed:
                row.status, row.handled_by, row.processed_at, row.error = "processed", claimed, utcnow(), None
                break
            if row.status == "holding":
                break
        else:
            row.status = "holding"
            row.note = row.note or UNCLAIMED_NOTE
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - the raw message is safe; park it for an admin
        db.session.rollback()
        log.exception("processing incoming mail %s failed", row.id)
        row = db.session.get(InboxMessage, row.id)
        row.status = "holding"
        row.error = f"{type(exc).__name__}: {exc}"[:2000]
        db.session.commit()
    return row.status


def redeliver(inbox_id: int, address: str | None = None) -> str | None:
    """Process a held message again, optionally as if sent to `address` (commits)."""
    row = db.session.get(InboxMessage, inbox_id)
    if row is None:
        return None
    if address:
        row.envelope_to = [address.lower()] + [a for a in (row.envelope_to or []) if a != address.lower()]
    row.status, row.note, row.error = "new", None, None
    db.session.flush()
    return dispatch(row)


WAITING_AFTER = dt.timedelta(minutes=5)


def process_waiting(limit: int = 100) -> int:
    """Process stored mail still `new` some minutes after it came: its `flask mail receive` (or
    LMTP session) was interrupted after storing it. The jobs worker runs this. Returns how many."""
    before = utcnow() - WAITING_AFTER
    ids = db.session.scalars(
        select(InboxMessage.id)
        .where(InboxMessage.status == "new", InboxMessage.received_at < before)
        .order_by(InboxMessage.id)
        .limit(limit)
    ).all()
    for inbox_id in ids:
        row = db.session.get(InboxMessage, inbox_id)
        if row is not None and row.status == "new":
            dispatch(row)
    return len(ids)


def holding_count() -> int:
    return db.session.scalar(select(func.count()).where(InboxMessage.status == "holding")) or 0
