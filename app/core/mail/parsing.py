"""Robust parsing of incoming email: body text, attachments, bounces and auto-replies.

`parse(raw_bytes_or_message) -> ParsedMail` never raises on bad input: broken MIME, unknown or
mislabelled charsets, bad base64/uuencode and TNEF all degrade to something readable, with a
note code in `ParsedMail.notes` (see `note_text(code)` for the translated sentence to show).
`fold_quoted(text) -> (main, folded)` splits off quoted text and long signature/disclaimer blocks;
`html_links_text(text, html)` keeps the addresses of an HTML message's links in its text. This is
the one mail parser: every component reads incoming mail through it.
"""

from __future__ import annotations

import binascii
import mimetypes
import re
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from email.message import Message
from email.parser import BytesParser

from flask_babel import lazy_gettext as _l
from tnefparse import TNEF

from .addresses import read_sender
from .charsets import decode_bytes, decode_header_value, html_to_text, repair_mojibake
from .classify import classify, is_delay_notice
from .limits import cap_headers, unreadable_reason, without_nul
from .quoting import fold_quoted, html_links_text
from .sniffing import sniff_content_type

__all__ = [
    "Attachment",
    "ParsedMail",
    "decode_bytes",
    "decode_header_value",
    "fold_quoted",
    "html_links_text",
    "html_to_text",
    "note_text",
    "parse",
    "repair_mojibake",
    "sniff_content_type",
]

NOTES = {
    "undecodable": _l("Some characters could not be decoded and are shown as \ufffd."),
    "bad_attachment": _l("An attachment could not be decoded completely."),
    "bad_tnef": _l("A Microsoft Outlook (winmail.dat) attachment could not be unpacked."),
    "bad_structure": _l("This message was not well formed; its text may be incomplete."),
}


def note_text(code: str) -> str:
    return str(NOTES.get(code, code))


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    size: int


@dataclass(frozen=True)
class ParsedMail:
    subject: str
    from_name: str
    from_addr: str
    text: str
    attachments: tuple[Attachment, ...]
    is_bounce: bool
    is_auto_reply: bool
    bounced_recipients: tuple[str, ...]
    notes: tuple[str, ...]
    html: str | None = None
    # A "delivery delayed, still trying" notice: neither a bounce nor an answer (it counts as an
    # automatic reply).
    is_delay: bool = False


@dataclass
class _State:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    bounced: list[str] = field(default_factory=list)
    report: bool = False

    def note(self, code):
        if code not in self.notes:
            self.notes.append(code)


# ---------------------------------------------------------------- content types


def _clean_filename(name: str | None, ctype: str, index: int) -> str:
    name = decode_header_value(name) if name else ""
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).replace("\\", "/").rsplit("/", 1)[-1].strip(" .")
    if not name:
        ext = {"text/plain": ".txt", "message/rfc822": ".eml"}.get(ctype) or mimetypes.guess_extension(ctype) or ".bin"
        name = f"attachment-{index}{ext}"
    return name[:200]


def _add_attachment(state: _State, data: bytes, declared: str | None, filename: str | None) -> None:
    ctype = sniff_content_type(data, declared, filename)
    name = _clean_filename(filename, ctype, len(state.attachments) + 1)
    state.attachments.append(Attachment(name, ctype, data, len(data)))


# ---------------------------------------------------------------- uuencode and TNEF

_UU_BLOCK = re.compile(r"^begin [0-7]{3,4} ([^\r\n]+)\r?\n(.*?)^end[ \t]*$\n?", re.M | re.S)
_UU_END = re.compile(r"^end[ \t]*$\n?", re.M)


def _uudecode(body: str) -> bytes:
    out = bytearray()
    for line in body.splitlines():
        if not line or line == "`":
            continue
        try:
            out += binascii.a2b_uu(line)
        except binascii.Error:
            nbytes = (((ord(line[0]) - 32) & 63) * 4 + 5) // 3
            out += binascii.a2b_uu(line[:nbytes])
    return bytes(out)


def _extract_uuencoded(text: str, state: _State) -> str:
    def repl(m):
        try:
            data = _uudecode(m.group(2))
        except (binascii.Error, ValueError, IndexError):
            state.note("bad_attachment")
            return m.group(0)
        _add_attachment(state, data, None, m.group(1).strip())
        return ""

    if "begin " not in text:
        return text
    # Only up to the last "end" line: a "begin" with no "end" after it would be scanned to the end
    # of the text once per "begin" line (the square of the text).
    last_end = None
    for match in _UU_END.finditer(text):
        last_end = match
    if last_end is None:
        return text
    return _UU_BLOCK.sub(repl, text[: last_end.end()]) + text[last_end.end() :]


def _unpack_tnef(data: bytes, state: _State) -> bool:
    try:
        tnef = TNEF(data, do_checksum=False)
        found = False
        for att in tnef.attachments:
            name = att.long_filename() or att.name
            if isinstance(name, bytes):
                name = decode_bytes(name, None)
            _add_attachment(state, bytes(att.data or b""), None, str(name or ""))
            found = True
        body = tnef.body
        if isinstance(body, bytes):
            body = decode_bytes(body, None, state)
        if body and body.strip():
            state.texts.append(body.replace("\r\n", "\n"))
            found = True
        return found
    except Exception:  # noqa: BLE001 - keep the original winmail.dat instead
        state.note("bad_tnef")
        return False


# ---------------------------------------------------------------- MIME walk


def _payload_bytes(part: Message, state: _State) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        data = None
    if data is None:
        raw = part.get_payload()
        if isinstance(raw, str):
            return raw.encode("utf-8", "surrogateescape")
        return b""
    defects = getattr(part, "defects", [])
    if any("Base64" in type(d).__name__ for d in defects):
        state.note("bad_attachment")
    return data


def _part_text(part: Message, state: _State) -> str:
    data = _payload_bytes(part, state)
    try:
        charset = part.get_content_charset()
    except Exception:  # noqa: BLE001
        charset = None
    text = decode_bytes(data, charset, state).replace("\r\n", "\n").replace("\r", "\n")
    return repair_mojibake(text)


def _nested_message(inner: Message, state: _State, depth: int) -> None:
    sub = _State(notes=state.notes, bounced=state.bounced)
    _walk(inner, sub, depth + 1)
    headers = []
    for name in ("From", "To", "Date", "Subject"):
        value = decode_header_value(inner.get(name))
        if value:
            headers.append(f"{name}: {value}")
    body = "\n".join(sub.texts).strip() or html_to_text("\n".join(sub.htmls))
    quoted = "\n".join("> " + line if line else ">" for line in ("\n".join(headers) + "\n\n" + body).split("\n"))
    state.texts.append(quoted)
    state.attachments.extend(sub.attachments)


def _walk(part: Message, state: _State, depth: int = 0) -> None:
    if depth > 20:
        state.note("bad_structure")
        return
    ctype = part.get_content_type()
    if ctype in ("message/delivery-status", "message/feedback-report"):
        payload = part.get_payload()
        if isinstance(payload, list):
            text = "\n".join(m.as_string() if isinstance(m, Message) else str(m) for m in payload)
        else:
            text = _part_text(part, state)
        state.report = True
        state.bounced.extend(
            re.findall(r"^(?:Final|Original)-Recipient:\s*rfc822;\s*<?([^\s>@]+@[^\s>]+?)>?\s*$", text, re.M | re.I)
        )
        return
    if ctype == "message/rfc822" or (part.is_multipart() and ctype.startswith("message/")):
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        if isinstance(inner, Message):
            _nested_message(inner, state, depth)
        return
    if part.is_multipart():
        children = [c for c in part.get_payload() if isinstance(c, Message)]
        if ctype == "multipart/report":
            state.report = True
        if ctype == "multipart/alternative" and children:
            chosen = _choose_alternative(children, state)
            _walk(chosen, state, depth + 1)
            return
        for child in children:
            _walk(child, state, depth + 1)
        return
    try:
        disposition = part.get_content_disposition()
    except Exception:  # noqa: BLE001
        disposition = None
    try:
        filename = part.get_filename()
    except Exception:  # noqa: BLE001
        filename = None
    if ctype in ("application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"):
        return
    if filename is None and disposition != "attachment" and ctype in ("text/plain", "text/html", "text/enriched"):
        text = _part_text(part, state)
        if ctype == "text/html":
            state.htmls.append(text)
            state.texts.append(html_to_text(text))
        else:
            state.texts.append(_extract_uuencoded(text, state))
        return
    data = _payload_bytes(part, state)
    if ctype == "application/ms-tnef" or (filename or "").lower() == "winmail.dat" or data[:4] == b'x\x9f>"':
        if _unpack_tnef(data, state):
            return
    _add_attachment(state, data, ctype if part.get("Content-Type") else None, filename)


def _choose_alternative(children: list[Message], state: _State) -> Message:
    for child in children:
        if child.get_content_type() == "text/plain":
            if _part_text(child, _State()).strip():
                return child
    for child in children:
        if child.get_content_type() == "text/html" or child.is_multipart():
            return child
    return children[-1]


# ---------------------------------------------------------------- entry points


def parse(source) -> ParsedMail:
    """Parse raw bytes (or an email.message.Message) into text, attachments and flags."""
    if isinstance(source, str):
        source = source.encode("utf-8", "surrogateescape")
    state = _State()
    if isinstance(source, (bytes, bytearray)):
        raw = cap_headers(bytes(source))
        if unreadable_reason(raw):  # too large or too deeply nested: headers only, body as it came
            state.note("bad_structure")
            msg = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
        else:
            msg = message_from_bytes(raw, policy=policy.compat32)
    else:
        msg = source
    try:
        _walk(msg, state)
    except Exception:  # noqa: BLE001 - fall back to the undecoded body rather than lose it
        state.note("bad_structure")
        raw = msg.get_payload() if not msg.is_multipart() else ""
        state.texts.append(raw if isinstance(raw, str) else "")
    if any(
        type(d).__name__
        in ("StartBoundaryNotFoundDefect", "CloseBoundaryNotFoundDefect", "MultipartInvariantViolationDefect")
        for d in getattr(msg, "defects", [])
    ):
        if not "".join(state.texts).strip():
            state.note("bad_structure")
    text = "\n\n".join(t.strip("\n") for t in state.texts if t.strip())
    # Per line, not re.sub(r"[ \t]+\n"): a long run of spaces would be rescanned from each space.
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n")).strip()
    if "\ufffd" in text:
        state.note("undecodable")
    subject = decode_header_value(msg.get("Subject"))
    try:
        from_header = msg.get("From")
        from_name, from_addr = read_sender(str(from_header) if from_header is not None else "")
    except Exception:  # noqa: BLE001 - a header that cannot be read has no sender
        from_name, from_addr = "", ""
    is_bounce, is_auto = classify(msg, subject, from_addr, text, state.report, state.bounced)
    is_delay = is_bounce and is_delay_notice(msg)
    if is_delay:
        is_bounce, is_auto, state.bounced = False, True, []
    bounced = tuple(dict.fromkeys(a.strip("<>").lower() for a in state.bounced if "@" in a))
    # Here, where every component gets the text of incoming mail: PostgreSQL refuses NUL characters.
    return ParsedMail(
        subject=without_nul(subject),
        from_name=without_nul(from_name),
        from_addr=without_nul(from_addr),
        text=without_nul(text),
        attachments=tuple(
            a if "\x00" not in a.filename else replace(a, filename=without_nul(a.filename)) for a in state.attachments
        ),
        is_bounce=is_bounce,
        is_auto_reply=is_auto,
        bounced_recipients=bounced,
        notes=tuple(state.notes),
        html=without_nul("\n".join(state.htmls)) or None,
        is_delay=is_delay,
    )
