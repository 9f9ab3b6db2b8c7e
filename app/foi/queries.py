"""Reads for FOI pages: requests, their history and followers, drafts, reply addresses, the state
shown (overdue is calculated), delivery of letters, admin lists."""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.formatting import format_datetime
from ..core.ids import MAX_ID
from ..core.mail import OutboxMessage
from ..core.mail.addresses import valid_address
from ..core.models import utcnow
from ..directory import services as directory
from ..extensions import db
from .laws import calendar, law_by_code, local_today
from .letters import text_key
from .models import FoiAttachment, FoiDraft, FoiFollow, FoiHoliday, FoiMessage, FoiRedaction, FoiRequest, FoiStateChange
from .search import state_clause
from .states import ATTENTION, NO_REPLY, OPEN_STATES


def get_request(request_id: int) -> FoiRequest | None:
    return db.session.get(FoiRequest, request_id) if 0 < request_id <= MAX_ID else None


def get_attachment(attachment_id: int) -> FoiAttachment | None:
    return db.session.get(FoiAttachment, attachment_id) if 0 < attachment_id <= MAX_ID else None


def get_item(kind: str, item_id: int):
    """A request, message or attachment by kind ("request", "message", "attachment"), or None."""
    model = {"request": FoiRequest, "message": FoiMessage, "attachment": FoiAttachment}.get(kind)
    return db.session.get(model, item_id) if model and 0 < item_id <= MAX_ID else None


def draft(token, authority_id: int) -> FoiDraft | None:
    """The draft kept under this browser's token for this authority."""
    if not isinstance(token, str):
        return None
    return db.session.scalar(select(FoiDraft).where(FoiDraft.token == token, FoiDraft.authority_id == authority_id))


def draft_by_token(token: str) -> FoiDraft | None:
    return db.session.scalar(select(FoiDraft).where(FoiDraft.token == token))


def history(request_id: int) -> list[FoiStateChange]:
    return list(
        db.session.scalars(
            select(FoiStateChange).where(FoiStateChange.request_id == request_id).order_by(FoiStateChange.id)
        )
    )


def is_following(request_id: int, user_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(func.count(FoiFollow.id)).where(FoiFollow.request_id == request_id, FoiFollow.user_id == user_id)
        )
    )


def follow_row(request_id: int, user_id: int) -> FoiFollow | None:
    return db.session.scalar(select(FoiFollow).where(FoiFollow.request_id == request_id, FoiFollow.user_id == user_id))


def follower_ids(req: FoiRequest) -> list[int]:
    """Users following the request, the requester left out."""
    return list(
        db.session.scalars(
            select(FoiFollow.user_id).where(FoiFollow.request_id == req.id, FoiFollow.user_id != req.user_id)
        )
    )


def find_duplicate(authority_id: int, title: str, letter: str) -> FoiRequest | None:
    stmt = select(FoiRequest).where(FoiRequest.authority_id == authority_id, FoiRequest.title_key == text_key(title))
    for req in db.session.scalars(stmt):
        first = req.messages[0] if req.messages else None
        if first is not None and text_key(first.body) == text_key(letter):
            return req
    return None


def requests_today(user_id: int) -> int:
    since = utcnow() - dt.timedelta(days=1)
    return (
        db.session.scalar(
            select(func.count(FoiRequest.id)).where(FoiRequest.user_id == user_id, FoiRequest.created_at >= since)
        )
        or 0
    )


# -- the state shown ------------------------------------------------------------------------------
def has_reply(req: FoiRequest) -> bool:
    """A real reply came (not a bounce or an automatic reply)."""
    return any(m.direction == "in" and not m.is_bounce and not m.is_auto_reply for m in req.messages)


def display_state(req: FoiRequest, today: dt.date | None = None) -> str:
    if req.awaiting_description:
        return "waiting_classification"
    # An internal review has a deadline too: once past it, it shows (and is listed, and mailed) as overdue.
    if req.state in OPEN_STATES and req.due_on:
        today = today or local_today()
        if req.very_overdue_on and today > req.very_overdue_on:
            return "waiting_response_very_overdue"
        if today > req.due_on:
            return "waiting_response_overdue"
    return req.state


def days_left(req: FoiRequest, today: dt.date | None = None) -> int | None:
    """Working (or calendar) days until the due date; negative when overdue."""
    if not req.due_on:
        return None
    today = today or local_today()
    law = law_by_code(req.law_code)
    if law and law.day_type == "calendar":
        return (req.due_on - today).days
    return calendar().working_days_between(today, req.due_on)


# -- follow-ups -----------------------------------------------------------------------------------
def reply_targets(req: FoiRequest, body=None) -> list[tuple[str, str]]:
    """[(key, label)] of addresses one may write to: those who replied (never bounces or no-reply
    addresses) and the authority's main address. Keys are opaque; addresses are never shown."""
    body = body or directory.get_body(req.authority_id)
    out, seen = [], set()
    if body and body.foi_email:
        out.append(("authority", _("%(authority)s (main address for requests)", authority=body.name)))
        seen.add(body.foi_email.lower())
    for msg in req.messages:
        addr = (msg.from_addr or "").lower()
        if msg.direction != "in" or msg.is_bounce or msg.is_auto_reply or not valid_address(addr) or addr in seen:
            continue
        if NO_REPLY.match(addr) or addr.endswith("@" + current_app.config["INCOMING_EMAIL_DOMAIN"].lower()):
            continue
        seen.add(addr)
        # Names repeat ("FOI Officer") and addresses are private: the domain and the time tell them apart
        domain, when = addr.rsplit("@", 1)[-1], format_datetime(msg.created_at, "short")
        if msg.from_name:
            label = _("%(name)s (%(domain)s), who wrote on %(date)s", name=msg.from_name, domain=domain, date=when)
        else:
            label = _("The person at %(domain)s who wrote on %(date)s", domain=domain, date=when)
        out.append((f"m{msg.id}", label))
    return out


def resolve_target(req: FoiRequest, key: str, body=None) -> str | None:
    body = body or directory.get_body(req.authority_id)
    if key not in dict(reply_targets(req, body)):
        return None
    if key == "authority":
        return body.foi_email
    msg = db.session.get(FoiMessage, int(key[1:]))
    return parseaddr(msg.from_addr or "")[1] or None


def message(message_id: int) -> FoiMessage | None:
    return db.session.get(FoiMessage, message_id)


# -- delivery and counts -----------------------------------------------------------------------------
def delivery(messages) -> dict[int, str]:
    """{message id: outbox status ("pending", "sent" or "failed")} of the letters among `messages`."""
    by_mid = {m.message_id: m.id for m in messages if m.direction == "out" and m.message_id}
    if not by_mid:
        return {}
    rows = db.session.execute(
        select(OutboxMessage.message_id, OutboxMessage.status).where(OutboxMessage.message_id.in_(list(by_mid)))
    ).all()
    return {by_mid[mid]: status for mid, status in rows}


def undelivered_requests() -> list[FoiRequest]:
    """Requests still waiting for an answer whose last letter the outbox gave up sending."""
    stmt = (
        select(FoiRequest)
        .join(FoiMessage, FoiMessage.request_id == FoiRequest.id)
        .join(OutboxMessage, OutboxMessage.message_id == FoiMessage.message_id)
        .where(FoiRequest.state.in_(OPEN_STATES), FoiMessage.direction == "out", OutboxMessage.status == "failed")
        .distinct()
    )
    out = []
    for req in db.session.scalars(stmt):
        last = next((m for m in reversed(req.messages) if m.direction == "out"), None)
        if last is not None and delivery([last]).get(last.id) == "failed":
            out.append(req)
    return out


def created_times(since: dt.datetime) -> list[dt.datetime]:
    """When each request was made since `since` (UTC), for dashboard charts."""
    return list(db.session.scalars(select(FoiRequest.created_at).where(FoiRequest.created_at >= since)))


def overdue_counts(today: dt.date | None = None) -> tuple[int, int]:
    """(overdue, very overdue) requests, as the public list filters them."""
    today = today or local_today()
    return tuple(
        db.session.scalar(select(func.count(FoiRequest.id)).where(state_clause(s, today))) or 0
        for s in ("waiting_response_overdue", "waiting_response_very_overdue")
    )


# -- admin lists ------------------------------------------------------------------------------------
def needing_attention(states=ATTENTION, limit: int | None = None) -> list[FoiRequest]:
    """Requests in `states` (those that ask for the site's team), latest activity first."""
    stmt = select(FoiRequest).where(FoiRequest.state.in_(states)).order_by(FoiRequest.last_event_at.desc())
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))


def redaction_rules() -> list[FoiRedaction]:
    return list(db.session.scalars(select(FoiRedaction).order_by(FoiRedaction.id.desc())))


def redaction_rule(rule_id: int | None) -> FoiRedaction | None:
    return db.session.get(FoiRedaction, rule_id) if rule_id and 0 < rule_id <= MAX_ID else None


def open_requests_spanning(day: dt.date) -> list[FoiRequest]:
    """Open requests whose clock (from sending to the very-overdue date) spans `day`."""
    return list(
        db.session.scalars(
            select(FoiRequest).where(
                FoiRequest.state.in_(OPEN_STATES),
                FoiRequest.sent_on.is_not(None),
                FoiRequest.sent_on < day,
                FoiRequest.very_overdue_on >= day,
            )
        )
    )


def holidays() -> list[FoiHoliday]:
    return list(db.session.scalars(select(FoiHoliday).order_by(FoiHoliday.day.desc())))


def holiday(holiday_id: int | None) -> FoiHoliday | None:
    return db.session.get(FoiHoliday, holiday_id) if holiday_id and 0 < holiday_id <= MAX_ID else None


def holiday_on(day: dt.date) -> FoiHoliday | None:
    return db.session.scalar(select(FoiHoliday).where(FoiHoliday.day == day))
