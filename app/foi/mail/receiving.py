"""Incoming replies: find the request from any recipient address, store the parsed reply once."""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from sqlalchemy import select

from ...accounts import services as accounts
from ...core.ids import MAX_ID
from ...core.mail import address_hash, hashes_match, parse_reply_address, queue_email, reply_address
from ...core.mail.addresses import sender
from ...core.mail.parsing import fold_quoted, html_links_text, parse
from ...core.models import utcnow
from ...directory import services as directory
from ...extensions import db
from ..models import FoiAttachment, FoiFollow, FoiMessage, FoiRequest
from ..redaction import redact
from ..reminders import restart_count
from .attachments import extract_text, inner_attachments

log = logging.getLogger(__name__)
# Codes stored as holding-pen notes (admin/labels.INBOX_NOTES gives their translated text).
NOTE_BAD_HASH = "foi:bad_hash"
NOTE_UNKNOWN_SENDER = "foi:unknown_sender"
NOTE_CLOSED = "foi:closed"
# Like Alaveteli: an old request takes replies only from addresses of the authority (and those that
# wrote in the thread) after AUTHORITY_ONLY_DAYS without activity, and from nobody after
# CLOSED_DAYS; what is turned away waits in the holding pen, where an admin can deliver it.
AUTHORITY_ONLY_DAYS = 183
CLOSED_DAYS = 730


def find_requests(recipients: list[str]) -> tuple[list[FoiRequest], int | None]:
    """(requests whose addresses are among recipients, id of a likely request when a hash is wrong).
    A reply copied to two requests' addresses belongs to both, as in Alaveteli."""
    likely, found_reqs = None, []
    for addr in recipients:
        found = parse_reply_address(addr, "request")
        if not found:
            continue
        request_id, given = found
        if not 0 < request_id <= MAX_ID:
            continue
        req = db.session.get(FoiRequest, request_id)
        if req is None:
            continue
        if hashes_match(address_hash(request_id), given):
            if req not in found_reqs:
                found_reqs.append(req)
        else:
            likely = likely or request_id
    return found_reqs, (None if found_reqs else likely)


def find_request(recipients: list[str]) -> tuple[FoiRequest | None, int | None]:
    """(first request whose address is among recipients, id of a likely request when the hash is wrong)."""
    reqs, likely = find_requests(recipients)
    return (reqs[0] if reqs else None), likely


def _domain(addr: str | None) -> str:
    return (addr or "").rsplit("@", 1)[-1].lower() if addr and "@" in addr else ""


def authority_domains(req: FoiRequest, body=None, replies: bool = True) -> set[str]:
    """Domains that speak for the authority on this request: its address for requests, addresses
    written to, and (with `replies`) those that answered before (not bounces)."""
    body = body if body is not None else directory.get_body(req.authority_id)
    found = {_domain(body.foi_email)} if body is not None and body.foi_email else set()
    for msg in req.messages:
        if msg.direction == "out":
            found.add(_domain(msg.to_addr))
        elif replies and not msg.is_bounce and not msg.is_auto_reply:
            found.add(_domain(msg.from_addr))
    return found - {""}


def sender_domain(msg: FoiMessage) -> str:
    return _domain(msg.from_addr)


def refusal(req: FoiRequest, from_addr: str, today: dt.datetime | None = None) -> str | None:
    """The holding-pen note when a request no longer takes mail from this sender, else None."""
    idle = (today or utcnow()) - (req.last_event_at or req.created_at or utcnow())
    config = current_app.config
    if idle > dt.timedelta(days=config.get("FOI_CLOSED_DAYS", CLOSED_DAYS)):
        return NOTE_CLOSED
    if idle > dt.timedelta(days=config.get("FOI_AUTHORITY_ONLY_DAYS", AUTHORITY_ONLY_DAYS)) and _domain(
        from_addr
    ) not in authority_domains(req):
        return NOTE_UNKNOWN_SENDER
    return None


def _by_references(item) -> int | None:
    refs = " ".join(str(item.message.get(h, "") or "") for h in ("In-Reply-To", "References"))
    for token in refs.split():
        row = db.session.scalar(select(FoiMessage.request_id).where(FoiMessage.message_id == token.strip()))
        if row:
            return row
    return None


def handle_incoming(item) -> str | None:
    """Inbox handler (core.mail protocol): returns "foi" when the message was stored on a request
    (on each request whose address it was sent to)."""
    reqs, likely = find_requests(item.recipients)
    if not reqs:
        if likely is None and not any(parse_reply_address(a, "request") for a in item.recipients):
            return None
        likely = likely or _by_references(item)
        item.hold(NOTE_BAD_HASH, reply_address("request", likely) if likely else None)
        return None
    # A message an admin delivers again from the holding pen (it has a suggestion) is always taken.
    redelivered = getattr(item.row, "suggestion", None) is not None
    accepted = []
    for req in reqs:
        note = None if redelivered else refusal(req, sender(item.raw)[1])
        if note is None:
            accepted.append(req)
        elif len(reqs) == 1:
            item.hold(note, reply_address("request", req.id))
            return None
    for req in accepted:
        store_reply(req, item.raw, item.id, item.message_id)
    return "foi" if accepted else None


def store_reply(req: FoiRequest, raw: bytes, inbox_id: int | None, message_id: str | None = None) -> FoiMessage:
    """Store a reply on the request (idempotent per inbox message) and tell the requester."""
    if inbox_id is not None:
        existing = db.session.scalar(
            select(FoiMessage).where(FoiMessage.request_id == req.id, FoiMessage.inbox_id == inbox_id)
        )
        if existing is not None:
            return existing
    parsed = parse(raw)
    from_name, from_addr = parsed.from_name, parsed.from_addr
    is_bounce, is_auto = parsed.is_bounce, parsed.is_auto_reply
    main, folded = fold_quoted(html_links_text(parsed.text, parsed.html))
    msg = FoiMessage(
        request_id=req.id,
        direction="in",
        kind="reply",
        from_name=from_name[:300] or None,
        from_addr=from_addr[:320] or None,
        subject=parsed.subject,
        body=main,
        folded=folded,
        inbox_id=inbox_id,
        is_bounce=is_bounce,
        is_auto_reply=is_auto,
        message_id=(message_id or "")[:500] or None,  # a follow-up answers it with In-Reply-To
        notes=list(parsed.notes),
    )
    files = []
    for att in parsed.attachments:  # the files inside an attached email are listed after it
        files.append(att)
        files.extend(inner_attachments(att.content_type, att.data))
    for position, att in enumerate(files, start=1):
        msg.attachments.append(
            FoiAttachment(
                position=position,
                filename=att.filename,
                content_type=att.content_type[:200],
                size=att.size,
                data=att.data,
                text=extract_text(att.content_type, att.data),
            )
        )
    req.messages.append(msg)
    db.session.flush()
    req.last_event_at = utcnow()
    if not is_auto:
        req.awaiting_description = True
        restart_count(req)
        req.classify_reminded_at = utcnow()
    _notify(req, msg)
    return msg


def _notify(req: FoiRequest, msg: FoiMessage) -> None:
    title = redact(req.title, req)  # mail shows the title as the public page does
    owner = accounts.get_info(req.user_id)
    if owner is not None and not msg.is_auto_reply:
        queue_email(
            owner.email,
            "foi/email/new_response.txt",
            {"req": req, "msg": msg, "to_owner": True, "title": title},
            language=owner.language,
        )
    if req.prominence == "normal" and msg.prominence == "normal" and not msg.is_bounce:
        follower_ids = db.session.scalars(
            select(FoiFollow.user_id).where(FoiFollow.request_id == req.id, FoiFollow.user_id != req.user_id)
        ).all()
        for user in sorted(accounts.users_info(follower_ids), key=lambda u: u.id):
            queue_email(
                user.email,
                "foi/email/new_response.txt",
                {"req": req, "msg": msg, "to_owner": False, "title": title},
                language=user.language,
            )


def domain() -> str:
    return current_app.config["INCOMING_EMAIL_DOMAIN"]
