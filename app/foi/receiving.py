"""Incoming replies: find the request from any recipient address, store the parsed reply once."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import select

from ..core.mail import address_hash, hashes_match, parse_reply_address, queue_email, reply_address
from ..core.mail.parsing import fold_quoted, parse
from ..core.models import utcnow
from ..extensions import db
from .attachments import extract_text
from .models import FoiAttachment, FoiFollow, FoiMessage, FoiRequest
from .redaction import redact

log = logging.getLogger(__name__)


def find_request(recipients: list[str]) -> tuple[FoiRequest | None, int | None]:
    """(request whose address is among recipients, id of a likely request when the hash is wrong)."""
    likely = None
    for addr in recipients:
        found = parse_reply_address(addr, "request")
        if not found:
            continue
        request_id, given = found
        req = db.session.get(FoiRequest, request_id)
        if req is None:
            continue
        if hashes_match(address_hash(request_id), given):
            return req, None
        likely = likely or request_id
    return None, likely


def _by_references(item) -> int | None:
    refs = " ".join(str(item.message.get(h, "") or "") for h in ("In-Reply-To", "References"))
    for token in refs.split():
        row = db.session.scalar(select(FoiMessage.request_id).where(FoiMessage.message_id == token.strip()))
        if row:
            return row
    return None


def handle_incoming(item) -> str | None:
    """Inbox handler (core.mail protocol): returns "foi" when the message was stored on a request."""
    req, likely = find_request(item.recipients)
    if req is None:
        if likely is None and not any(parse_reply_address(a, "request") for a in item.recipients):
            return None
        likely = likely or _by_references(item)
        item.hold("The address looks like a request's, but its code does not match any request.",
                  reply_address("request", likely) if likely else None)
        return None
    store_reply(req, item.raw, item.id, item.message_id)
    return "foi"


def store_reply(req: FoiRequest, raw: bytes, inbox_id: int | None, message_id: str | None = None) -> FoiMessage:
    """Store a reply on the request (idempotent per inbox message) and tell the requester."""
    if inbox_id is not None:
        existing = db.session.scalar(select(FoiMessage).where(
            FoiMessage.request_id == req.id, FoiMessage.inbox_id == inbox_id))
        if existing is not None:
            return existing
    parsed = parse(raw)
    main, folded = fold_quoted(parsed.text)
    msg = FoiMessage(
        request_id=req.id, direction="in", kind="reply", from_name=parsed.from_name[:300] or None,
        from_addr=parsed.from_addr[:320] or None, subject=parsed.subject, body=main, folded=folded,
        inbox_id=inbox_id, is_bounce=parsed.is_bounce, is_auto_reply=parsed.is_auto_reply,
        message_id=(message_id or "")[:500] or None,  # a follow-up answers it with In-Reply-To
        notes=list(parsed.notes),
    )
    for position, att in enumerate(parsed.attachments, start=1):
        msg.attachments.append(FoiAttachment(
            position=position, filename=att.filename, content_type=att.content_type[:200], size=att.size,
            data=att.data, text=extract_text(att.content_type, att.data)))
    req.messages.append(msg)
    db.session.flush()
    req.last_event_at = utcnow()
    if not parsed.is_auto_reply:
        req.awaiting_description = True
        req.classify_reminders = 0
        req.classify_reminded_at = utcnow()
    _notify(req, msg)
    return msg


def _notify(req: FoiRequest, msg: FoiMessage) -> None:
    from ..accounts import services as accounts

    title = redact(req.title, req)  # mail shows the title as the public page does
    owner = accounts.get_info(req.user_id)
    if owner is not None and not msg.is_auto_reply:
        queue_email(owner.email, "foi/email/new_response.txt",
                    {"req": req, "msg": msg, "to_owner": True, "title": title}, language=owner.language)
    if req.prominence == "normal" and msg.prominence == "normal" and not msg.is_bounce:
        follower_ids = db.session.scalars(select(FoiFollow.user_id).where(
            FoiFollow.request_id == req.id, FoiFollow.user_id != req.user_id)).all()
        for user in sorted(accounts.users_info(follower_ids), key=lambda u: u.id):
            queue_email(user.email, "foi/email/new_response.txt",
                        {"req": req, "msg": msg, "to_owner": False, "title": title}, language=user.language)


def domain() -> str:
    return current_app.config["INCOMING_EMAIL_DOMAIN"]
