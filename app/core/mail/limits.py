"""Limits on incoming mail, checked on the raw bytes before any full parse.

The raw message is always stored as it came; these decide what the parsers are given: headers cut
to a few kilobytes (a 2 MB Subject is not a subject), and no full parse at all of a message too
large or with too many nested parts (Python's email parser recurses once per level: 2,000 levels
raise RecursionError). Such a message goes to the holding pen with the reason as its note."""

from __future__ import annotations

import re

MAX_HEADER_CHARS = 8_000  # one header, folded lines included
MAX_MULTIPARTS = 100  # multipart containers in one message; real mail has a handful
MAX_BYTES = 50 * 1024 * 1024

# Reasons, stored as the note of a held message (labels in app/admin/labels.py).
TOO_LARGE = "core:too_large"
TOO_COMPLEX = "core:too_complex"

_MULTIPART = re.compile(rb"content-type:\s*multipart/", re.I)


def unreadable_reason(raw: bytes) -> str | None:
    """Why the message must not be fully parsed, or None."""
    if len(raw) > MAX_BYTES:
        return TOO_LARGE
    if len(_MULTIPART.findall(raw, 0, len(raw))) > MAX_MULTIPARTS:
        return TOO_COMPLEX
    return None


def cap_headers(raw: bytes) -> bytes:
    """The message with each header (continuation lines included) cut to MAX_HEADER_CHARS."""
    end = raw.find(b"\n\n")
    crlf = raw.find(b"\r\n\r\n")
    if crlf != -1 and (end == -1 or crlf < end):
        end = crlf
    head, body = (raw, b"") if end == -1 else (raw[:end], raw[end:])
    if len(head) <= MAX_HEADER_CHARS:
        return raw
    out, current = [], 0  # current: bytes of the header being read
    for line in head.splitlines(keepends=True):
        current = current + len(line) if line[:1] in (b" ", b"\t") else len(line)
        if current <= MAX_HEADER_CHARS:
            out.append(line)
        elif current - len(line) < MAX_HEADER_CHARS:  # the line that crosses the limit, cut
            keep = MAX_HEADER_CHARS - (current - len(line))
            ending = b"\r\n" if line.endswith(b"\r\n") else (b"\n" if line.endswith(b"\n") else b"")
            out.append(line[:keep].rstrip(b"\r\n") + ending)
    return b"".join(out) + body


def without_nul(text: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL characters; mail sometimes has them."""
    return text.replace("\x00", "") if text and "\x00" in text else text
