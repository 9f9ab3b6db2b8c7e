"""Answers' email, parsed: text, quoted-text folding, attachments, bounces and auto-replies.

Uses the shared parser (app.core.mail.parsing) when it is installed; the small parser below is
the fallback it grew out of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

_QUOTE_START = [
    re.compile(r"^\s*On .{1,200} wrote:\s*$"),
    re.compile(r"^\s*Ar .{1,200} ysgrifennodd .{0,200}:\s*$"),  # Welsh mail clients: "Ar <date>, ysgrifennodd <name>:"
    re.compile(r"^\s*El .{1,200} escribió:\s*$"),
    re.compile(r"^\s*Le .{1,200} a écrit\s*:\s*$"),
    re.compile(r"^\s*-{2,}\s*Original Message\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*Forwarded message\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above "From: ... Sent: ..."
    re.compile(r"^\s*From:\s.+$"),
]
_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?reply|auto:|out of (the )?office|autoreply|absence|ateb awtomatig|allan o'r swyddfa)",
    re.I)
_BOUNCE_SUBJECT = re.compile(
    r"(undeliver(ed|able)|delivery (status notification|has failed|failure)|returned mail|mail delivery failed|"
    r"failure notice)", re.I)
_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster)@", re.I)
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")


@dataclass
class Parsed:
    text: str = ""
    quoted: str = ""
    attachments: list = field(default_factory=list)
    is_bounce: bool = False
    is_auto_reply: bool = False
    bounced_addresses: list = field(default_factory=list)
    from_addr: str = ""
    is_delay: bool = False  # a "delivery delayed, still trying" notice: neither bounce nor answer


def _content(part) -> str:
    try:
        value = part.get_content()
    except Exception:  # noqa: BLE001 - odd charsets must not stop delivery
        payload = part.get_payload(decode=True) or b""
        value = payload.decode("utf-8", "replace")
    return value if isinstance(value, str) else ""


def _html_to_text(html: str) -> str:
    html = re.sub(r"(?is)<(script|style).*?</\1>", "", html)
    html = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", html)
    html = re.sub(r"(?i)<blockquote[^>]*>", "\n> ", html)
    text = re.sub(r"<[^>]+>", "", html)
    from html import unescape

    return unescape(text)


def body_text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _content(part)
    if part.get_content_type() == "text/html":
        text = _html_to_text(text)
    return text.replace("\r\n", "\n")


def split_quoted(text: str) -> tuple[str, str]:
    """(the reply itself, the quoted text below it)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(">") or any(p.match(line) for p in _QUOTE_START):
            head = "\n".join(lines[:i]).strip()
            if head:  # a reply that is only a quote keeps it visible
                return head, "\n".join(lines[i:]).strip()
            break
    return text.strip(), ""


def attachments(msg: EmailMessage) -> list[dict]:
    out = []
    for part in msg.iter_attachments():
        if part.get_content_type() in ("message/delivery-status", "text/rfc822-headers"):
            continue
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001
            data = b""
        name = part.get_filename() or ""
        if not name and part.get_content_type() == "message/rfc822":
            name = "message.eml"
        out.append({"filename": name[:200] or "attachment", "content_type": part.get_content_type(),
                    "size": len(data) if data else len(str(part.get_payload()))})
    return out


def _header(msg, name) -> str:
    try:
        return str(msg.get(name) or "")
    except Exception:  # noqa: BLE001
        return ""


def is_auto_reply(msg) -> bool:
    auto = _header(msg, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return True
    if _header(msg, "X-Autoreply") or _header(msg, "X-Autorespond") or _header(msg, "X-Auto-Response-Suppress").lower() in ("all", "oof"):
        return True
    if _header(msg, "Precedence").strip().lower() in ("auto_reply", "bulk", "junk"):
        return True
    return bool(_AUTO_SUBJECT.match(_header(msg, "Subject")))


def bounced_addresses(msg) -> list[str]:
    found = []
    for part in msg.walk():
        if part.get_content_type() == "message/delivery-status":
            for block in part.get_payload() or []:
                try:
                    for key in ("Final-Recipient", "Original-Recipient"):
                        value = str(block.get(key) or "")
                        if ";" in value:
                            found.append(value.split(";", 1)[1].strip().lower())
                except Exception:  # noqa: BLE001
                    continue
        elif part.get_content_type() in ("message/rfc822", "text/rfc822-headers"):
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            try:
                to = inner.get_all("To", []) if hasattr(inner, "get_all") else []
            except Exception:  # noqa: BLE001
                to = []
            found.extend(a.lower() for _, a in getaddresses([str(t) for t in to]) if "@" in a)
    return list(dict.fromkeys(found))


def is_bounce(msg) -> bool:
    if msg.get_content_type() == "multipart/report" and "delivery-status" in _header(msg, "Content-Type").lower():
        return True
    sender = parseaddr(_header(msg, "From"))[1]
    if _BOUNCE_SENDER.match(sender or "") or _header(msg, "Return-Path").strip() == "<>":
        return True
    return bool(_BOUNCE_SUBJECT.search(_header(msg, "Subject"))) and not _header(msg, "In-Reply-To")


_ACTION = re.compile(r"(?im)^\s*Action:\s*([a-z-]+)")
_STATUS = re.compile(r"(?im)^\s*Status:\s*([245])\.\d{1,3}\.\d{1,3}")
_DELAY_SUBJECT = re.compile(r"\b(delay(ed)?|delivery (status notification )?\(delay\)|still trying|not yet been delivered)\b",
                            re.I)
_NOT_FAILED = {"delayed", "delivered", "relayed", "expanded"}


def _dsn_fields(msg) -> tuple[list[str], list[str]]:
    """(actions, status classes) of every message/delivery-status part (RFC 3464)."""
    actions, classes = [], []
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        try:
            payload = part.get_payload()
            text = "\n".join(str(b) for b in payload) if isinstance(payload, list) else str(payload or "")
        except Exception:  # noqa: BLE001 - a broken report is no report
            continue
        actions += [a.lower() for a in _ACTION.findall(text)]
        classes += _STATUS.findall(text)
    return actions, classes


def is_delay_notice(msg) -> bool:
    """A DSN that only says delivery is delayed (Action: delayed, Status 4.x.x; or, without a
    report, a daemon's "delayed" subject): the mail may still arrive, so it is no bounce."""
    actions, classes = _dsn_fields(msg)
    if actions:
        return set(actions) <= _NOT_FAILED and "delayed" in actions and "5" not in classes
    if classes:
        return set(classes) <= {"2", "4"} and "4" in classes
    return bool(_DELAY_SUBJECT.search(_header(msg, "Subject"))) and not _header(msg, "X-Failed-Recipients")


def parse(msg: EmailMessage, raw: bytes | None = None) -> Parsed:
    parsed = _parse_any(msg, raw)
    if parsed.is_bounce and is_delay_notice(msg):
        parsed.is_bounce, parsed.is_delay, parsed.is_auto_reply = False, True, True
        parsed.bounced_addresses = []
    return parsed


def _parse_any(msg: EmailMessage, raw: bytes | None = None) -> Parsed:
    try:
        from ..core.mail import parsing
    except ImportError:
        parsing = None
    if parsing is not None and raw is not None:
        p = parsing.parse(raw)
        text, quoted = ("", "") if p.is_bounce else parsing.fold_quoted(p.text)
        text, more = split_quoted(text)  # also the attributions it does not know ("Ar …, ysgrifennodd X:")
        quoted = "\n".join(x for x in (more, quoted) if x)
        return Parsed(
            text=text.strip(), quoted=quoted.strip(), is_bounce=p.is_bounce,
            is_auto_reply=p.is_auto_reply and not p.is_bounce, bounced_addresses=list(p.bounced_recipients),
            attachments=[] if p.is_bounce else [
                {"filename": a.filename, "content_type": a.content_type, "size": a.size} for a in p.attachments],
            from_addr=p.from_addr,
        )
    return _parse(msg)


def _parse(msg: EmailMessage) -> Parsed:
    bounce = is_bounce(msg)
    text, quoted = ("", "") if bounce else split_quoted(body_text(msg))
    return Parsed(
        text=text, quoted=quoted, attachments=[] if bounce else attachments(msg), is_bounce=bounce,
        is_auto_reply=not bounce and is_auto_reply(msg),
        bounced_addresses=bounced_addresses(msg) if bounce else [],
        from_addr=(parseaddr(_header(msg, "From"))[1] or "").lower(),
    )


def redact(text: str, addresses) -> str:
    """Blank out the given email addresses (the writer's, our reply addresses)."""
    wanted = {a.lower() for a in addresses if a}
    if not wanted:
        return text
    return _EMAIL.sub(lambda m: "[…]" if m.group(0).lower() in wanted else m.group(0), text)
