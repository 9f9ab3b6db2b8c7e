"""What kind of mail arrived: a bounce (and for which addresses), an automatic reply, or a
"delivery delayed, still trying" notice, which is neither a failure nor an answer."""

from __future__ import annotations

import re
from email.message import Message
from email.utils import getaddresses, parseaddr

from .charsets import decode_header_value

_BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery (status notification|failure|has failed|failed)|mail delivery (failed|subsystem)"
    r"|returned mail|failure notice|could not be delivered|non[- ]?remis|unzustellbar|no entregado)",
    re.I,
)
_AUTO_SUBJECT = re.compile(
    r"(out of (the )?office|automatic reply|auto[- ]?reply|autoreply|auto[- ]?response|away from (the )?office"
    r"|on (annual )?leave|abwesenheit|respuesta autom|fuera de la oficina|r[ée]ponse automatique"
    r"|absence du bureau|ateb awtomatig|allan o'r swyddfa"
    r"|رد تلقائي|الرد التلقائي|رد آلي|خارج المكتب)",
    re.I,
)
# A person answering about an absence ("Re: Out of office hours") is not an automatic reply.
_REPLY_PREFIX = re.compile(r"^\s*(re|aw|antw|sv|vs|res)\s*:", re.I)
_DAEMON = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
# Delivery status notifications (RFC 3464): what happened to each recipient.
_ACTION = re.compile(r"(?im)^\s*Action:\s*([a-z-]+)")
_STATUS = re.compile(r"(?im)^\s*Status:\s*([245])\.\d{1,3}\.\d{1,3}")
_DELAY_SUBJECT = re.compile(
    r"\b(delay(ed)?|delivery (status notification )?\(delay\)|still trying"
    r"|not yet been delivered)\b",
    re.I,
)
_NOT_FAILED = {"delayed", "delivered", "relayed", "expanded"}


def _header(msg: Message, name: str) -> str:
    try:
        return " ".join(decode_header_value(v) for v in (msg.get_all(name) or []))
    except Exception:  # noqa: BLE001 - a header that cannot be read says nothing
        return ""


def classify(
    msg: Message, subject: str, from_addr: str, text: str, report: bool, bounced: list[str]
) -> tuple[bool, bool]:
    """(is a bounce, is an automatic reply). Adds the failed addresses it finds to `bounced`.
    `report` says the message carries a delivery-status (or feedback) report."""

    def h(name):
        return _header(msg, name).lower()

    failed = [a for _, a in getaddresses([h("X-Failed-Recipients")]) if "@" in a]
    bounced.extend(failed)
    froms = [parseaddr(decode_header_value(v))[1] for v in (msg.get_all("From") or [])]
    daemon = any(_DAEMON.match(a or "") for a in froms) or _DAEMON.match(from_addr or "")
    is_bounce = bool(
        report
        or failed
        or (daemon and _BOUNCE_SUBJECT.search(subject))
        or (
            _BOUNCE_SUBJECT.search(subject)
            and h("return-path").strip() in ("<>", "")
            and "could not be delivered" in text.lower()
        )
    )
    if is_bounce and not bounced:
        m = re.search(r"following address(?:\(es\))? failed:\s*\n\s*<?([^\s<>]+@[^\s<>]+)", text, re.I)
        if m:
            bounced.append(m.group(1))
    auto_submitted = h("Auto-Submitted")
    is_auto = bool(
        (auto_submitted and auto_submitted.strip() != "no")
        or h("X-Autoreply")
        or h("X-Autorespond")
        or h("X-Auto-Reply")
        or h("Precedence").strip() in ("auto_reply", "auto-reply")
        or (_AUTO_SUBJECT.search(subject) and not _REPLY_PREFIX.match(subject))
    )
    return is_bounce, (is_auto and not is_bounce)


def _dsn_fields(msg: Message) -> tuple[list[str], list[str]]:
    """(actions, status classes) of every message/delivery-status part."""
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


def is_delay_notice(msg: Message) -> bool:
    """A bounce-like message that only says delivery is delayed (Action: delayed, Status 4.x.x;
    or, without a report, a daemon's "delayed" subject): the mail may still arrive."""
    actions, classes = _dsn_fields(msg)
    if actions:
        return set(actions) <= _NOT_FAILED and "delayed" in actions and "5" not in classes
    if classes:
        return set(classes) <= {"2", "4"} and "4" in classes
    return bool(_DELAY_SUBJECT.search(_header(msg, "Subject"))) and not _header(msg, "X-Failed-Recipients")
