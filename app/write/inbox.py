"""Incoming mail to write-<id>-<hash>@…: answers, auto-replies and bounces."""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from ..core.mail import address_hash, hashes_match, parse_reply_address, queue_email, reply_address
from ..core.mail.addresses import hide_addresses
from ..core.mail.parsing import fold_quoted, html_links_text, parse
from ..directory import services as directory
from ..extensions import db
from . import operations
from .models import Answer, Message

log = logging.getLogger(__name__)
_REPLY_ADDR = re.compile(r"\bwrite-\d+-[0-9a-z]{6,12}@[\w.-]+", re.I)


def _target(item):
    """(message id, given hash, whether the hash is right) for the first write address, or None."""
    wrong = None
    for addr in item.recipients:
        parsed = parse_reply_address(addr, "write")
        if not parsed:
            continue
        message_id, given = parsed
        if hashes_match(address_hash(message_id, "write"), given):
            return message_id, True
        wrong = wrong or message_id
    return (wrong, False) if wrong is not None else None


def handle(item) -> str | None:
    """Inbox handler: claim mail for a message's reply address (idempotent per inbox row)."""
    target = _target(item)
    if target is None:
        return None
    message_id, valid = target
    msg = db.session.get(Message, message_id)
    if not valid:
        item.hold(
            f"write: the address for message {message_id} has a wrong check code.",
            reply_address("write", message_id) if msg is not None else None,
        )
        return None
    if msg is None:
        item.hold(f"write: no message {message_id}.")
        return None
    if db.session.scalar(select(Answer.id).where(Answer.inbox_id == item.id)) is not None:
        return "write"  # already processed (redelivered from the holding pen)
    parsed = parse(item.raw)
    # A bounce's text is the mail system's, not the representative's: nothing of it is published.
    text, quoted = ("", "") if parsed.is_bounce else fold_quoted(html_links_text(parsed.text, parsed.html))
    text, quoted = text.strip(), quoted.strip()
    dirs = directory
    known = dirs.person_addresses(msg.person_ids)  # every address of each recipient
    emails = {rec.person_id: (dirs.person_email(rec.person_id) or "").lower() for rec in msg.recipients}
    single = msg.recipients[0].person_id if len(msg.recipients) == 1 else None
    sender = (parsed.from_addr or "").strip().lower()
    by_sender = next((pid for pid, addrs in known.items() if sender and sender in addrs), None)
    person_id = None
    if parsed.is_bounce:
        bounced = set(parsed.bounced_recipients)
        person_id = next((pid for pid, addrs in known.items() if addrs & bounced), None)
        if person_id is None and not bounced:
            person_id = single  # a bounce that names no address: ours was the only one sent
    elif parsed.is_auto_reply:
        person_id = by_sender or single
    else:
        person_id = by_sender
        if person_id is None:
            # Anyone can mail the reply address (it is in the message's From). Publishing in a
            # representative's name needs one of their known addresses; anything else (a
            # caseworker, a new address, the writer, a stranger) waits for an admin, who delivers
            # it again from the holding pen to publish it.
            if getattr(item.row, "suggestion", None) is None:
                item.hold(
                    f"write: an answer to message {msg.id} from {sender or 'an unknown sender'}, which is "
                    "not a known address of its recipients. Read it; deliver it again to publish it.",
                    reply_address("write", msg.id),
                )
                return None
            person_id = single
    hide_addrs = [msg.writer_email, *_REPLY_ADDR.findall(text + "\n" + quoted)]
    answer = Answer(
        message_id=msg.id,
        person_id=person_id,
        inbox_id=item.id,
        body=hide_addresses(text, hide_addrs)[:50_000],
        quoted=hide_addresses(quoted, hide_addrs)[:50_000],
        attachments=[]
        if parsed.is_bounce
        else [{"filename": a.filename, "content_type": a.content_type, "size": a.size} for a in parsed.attachments],
        is_bounce=parsed.is_bounce,
        is_auto_reply=parsed.is_auto_reply,
        hidden=False,
    )
    db.session.add(answer)
    if parsed.is_bounce:
        for rec in msg.recipients:
            if rec.person_id == person_id:
                rec.failing, rec.delivery_status = True, "bounced"
        if person_id is not None:
            bounced = [a for a in parsed.bounced_recipients if a in known.get(person_id, set())]
            dirs.mark_contact_failing(
                person_id=person_id,
                email=(bounced[0] if bounced else emails.get(person_id)) or None,
                reason=f"Bounce of message {msg.id} (inbox {item.id})",
            )
        return "write"
    if parsed.is_auto_reply or msg.status != "sent":
        return "write"
    db.session.flush()
    names = {p.id: p.name for p in dirs.persons([person_id])} if person_id else {}
    queue_email(
        msg.writer_email,
        "write/email/answer.txt",
        {
            "message": msg,
            "person_name": names.get(person_id, ""),
            "url": operations.external_url(
                "write.detail", message_id=msg.id, lang=msg.language, _anchor=f"answer-{answer.id}"
            ),
        },
        language=msg.language,
    )
    return "write"
