"""FOI requests: laws and due dates, composing and sending, states, follow-ups. Never commits."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from email.utils import formataddr, parseaddr

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.formatting import format_datetime
from ..core.mail import queue_email, reply_address
from ..core.mail.addresses import valid_address
from ..core.models import utcnow
from ..directory import services as directory
from ..extensions import db
from . import states
from .duedates import Calendar, due_date
from .models import FoiFollow, FoiHoliday, FoiMessage, FoiRequest, FoiStateChange

DEFUNCT_TAGS = ("defunct",)
OPEN_STATES = ("waiting_response", "internal_review")  # the authority owes an answer by a due date
LAW_TAG = "foi-law:"
NO_REPLY = re.compile(r"^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)([+.-].*)?@", re.I)


class FoiError(ValueError):
    """A user-facing refusal: `field` names the form field it belongs to (or None)."""

    def __init__(self, message: str, field: str | None = None, existing: FoiRequest | None = None):
        super().__init__(message)
        self.field, self.existing = field, existing


# -- jurisdiction --------------------------------------------------------------------------
def profile():
    return current_app.extensions["plaza_profile"]


def law_for(body) -> object | None:
    """The law that applies to an authority: a `foi-law:<code>` tag overrides the profile's first."""
    prof = profile()
    for tag in getattr(body, "tags", ()) or ():
        if tag.startswith(LAW_TAG) and prof.foi_law(tag[len(LAW_TAG):]):
            return prof.foi_law(tag[len(LAW_TAG):])
    return prof.foi_law()


def law_by_code(code: str):
    return profile().foi_law(code) or profile().foi_law()


def law_name(law, lang: str | None = None, short: bool = False) -> str:
    """The law's name in `lang`, or else in the language of the page (or mail) being rendered."""
    if law is None:
        return ""
    if lang is None:
        from ..core.i18n import current_language

        lang = current_language().tag
    return profile().text(law.short_name if short else law.name, lang)


def review_body(law, lang: str | None = None) -> str | None:
    """The outside body that hears complaints under this law, or None when the authority itself
    reviews its decision (an internal review)."""
    if law is None or law.review_kind != "external":
        return None
    if lang is None:
        from ..core.i18n import current_language

        lang = current_language().tag
    return profile().text(law.review_body, lang) or None


def calendar() -> Calendar:
    extra = tuple(db.session.scalars(select(FoiHoliday.day)))
    return Calendar.for_profile(profile(), extra)


def local_today() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(profile().timezone)).date()


def why_not_askable(body) -> str | None:
    """None when requests can be sent; otherwise a translated explanation."""
    if body is None:
        return _("This authority does not exist.")
    if any(t in DEFUNCT_TAGS for t in body.tags):
        return _("This authority no longer exists, so it cannot be sent requests.")
    if not body.foi_email:
        return _("We do not have an address for requests to this authority yet. "
                 "If you know it, please tell the site's team.")
    if law_for(body) is None:
        return _("This site is not set up with a law for information requests.")
    return None


# -- composing -------------------------------------------------------------------------------
def letter_template(body, lang: str | None = None) -> str:
    law = law_for(body)
    return _("Dear %(authority)s,\n\nUnder the %(law)s, I would like to request the following "
             "information:\n\n\n\nYours faithfully,",
             authority=body.name, law=law_name(law, lang))


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode() or (text or "")
    return " ".join(re.findall(r"\w+", text.lower()))[:300]


def N_(text: str) -> str:
    """Marks a phrase for the catalog; it is translated where it is used."""
    return text


# Translators: summaries that only say "this is a request", refused as titles (case and accents
# are ignored); give the usual way of saying each in your language.
GENERIC_TITLES = (N_("FOI request"), N_("Freedom of information request"), N_("Request"),
                  N_("Information request"), N_("Request for information"), N_("Access to information request"))


def generic_title_keys() -> set[str]:
    """The generic titles in English and in the page's language, as comparison keys."""
    return {_key(p) for p in GENERIC_TITLES} | {_key(_(p)) for p in GENERIC_TITLES}


def validate_draft(body, title: str, letter: str, lang: str | None = None) -> dict:
    """{field: message} for a draft; empty when it may be sent."""
    errors = {}
    title = (title or "").strip()
    if len(title) < 8 or not re.search(r"[^\W\d_]{3}", title):
        errors["title"] = _("Please give a short summary of what you ask for, at least a few words long.")
    elif len(title) > 200:
        errors["title"] = _("Please keep the summary under 200 characters.")
    elif _key(title) in generic_title_keys():
        errors["title"] = _("Please describe what you ask for, not just that it is a request.")
    letter = (letter or "").strip()
    if not letter or _key(letter) == _key(letter_template(body, lang)):
        errors["letter"] = _("Please write your request in the letter: say what information you want.")
    elif len(letter) > 20000:
        errors["letter"] = _("Please keep your letter under 20,000 characters.")
    return errors


def personal_data_warnings(text: str) -> list[str]:
    from .redaction import EMAIL_RE, mask_personal

    out = []
    if EMAIL_RE.search(text or ""):
        out.append(_("Your letter contains an email address. It will be published: remove it unless it must be there."))
    if _("[phone number]") in mask_personal(EMAIL_RE.sub("", text or "")):
        out.append(_("Your letter contains what looks like a phone number. It will be published: remove it unless it must be there."))
    return out


def find_duplicate(authority_id: int, title: str, letter: str) -> FoiRequest | None:
    stmt = select(FoiRequest).where(FoiRequest.authority_id == authority_id, FoiRequest.title_key == _key(title))
    for req in db.session.scalars(stmt):
        first = req.messages[0] if req.messages else None
        if first is not None and _key(first.body) == _key(letter):
            return req
    return None


def requests_today(user_id: int) -> int:
    since = utcnow() - dt.timedelta(days=1)
    return db.session.scalar(select(func.count(FoiRequest.id)).where(
        FoiRequest.user_id == user_id, FoiRequest.created_at >= since)) or 0


def request_address(req: FoiRequest) -> str:
    return reply_address("request", req.id)


def _message_id() -> str:
    return f"<foi-{uuid.uuid4().hex}@{current_app.config['INCOMING_EMAIL_DOMAIN']}>"


def create_request(user, body, title: str, letter: str, lang: str | None = None) -> FoiRequest:
    """Store and queue a new request (caller commits). Raises FoiError."""
    reason = why_not_askable(body)
    if reason:
        raise FoiError(reason)
    errors = validate_draft(body, title, letter, lang)
    if errors:
        field, message = next(iter(errors.items()))
        raise FoiError(message, field)
    existing = find_duplicate(body.id, title, letter)
    if existing is not None:
        raise FoiError(_("You or someone else already sent this same request to this authority."), existing=existing)
    limit = current_app.config.get("FOI_DAILY_LIMIT", 5)
    if not getattr(user, "is_admin", False) and requests_today(user.id) >= limit:
        raise FoiError(_("You have made %(num)s requests in the last day, the most allowed. Please try again tomorrow.",
                         num=limit))
    law = law_for(body)
    today = local_today()
    cal = calendar()
    req = FoiRequest(
        title=title.strip(), title_key=_key(title), authority_id=body.id, user_id=user.id, law_code=law.code,
        language=lang, state="waiting_response", sent_on=today,
        due_on=due_date(today, law.reply_days, law.day_type, cal),
        very_overdue_on=due_date(today, law.very_overdue_days, law.day_type, cal),
    )
    db.session.add(req)
    db.session.flush()
    db.session.add(FoiStateChange(request_id=req.id, state="waiting_response", user_id=user.id))
    db.session.add(FoiFollow(user_id=user.id, request_id=req.id))
    send_message(req, user, body.foi_email, letter.strip(), "initial", body=body)
    return req


def mail_language(req: FoiRequest, body=None) -> str | None:
    return (body.language if body is not None and body.language else None) or req.language


def send_message(req: FoiRequest, user, to_addr: str, text: str, kind: str, body=None,
                 in_reply_to: str | None = None) -> FoiMessage:
    """Queue one outgoing letter of the thread from the request's own address (answering the
    incoming message whose Message-ID is `in_reply_to`, if given)."""
    body = body or directory.get_body(req.authority_id)
    law = law_by_code(req.law_code)
    lang = mail_language(req, body)
    message_id = _message_id()
    msg = FoiMessage(request_id=req.id, direction="out", kind=kind, from_name=user.name, to_addr=to_addr,
                     body=text, message_id=message_id)
    previous = [m.message_id for m in req.messages if m.message_id and m.message_id != in_reply_to]
    previous = previous[-5:] + ([in_reply_to] if in_reply_to else [])
    headers = {"References": " ".join(previous)} if previous else {}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
    row = queue_email(
        to_addr, "foi/email/request.txt",
        {"title": req.title, "law_name": law_name(law, lang), "letter": text, "name": user.name, "kind": kind,
         "address": request_address(req), "authority": body.name if body else ""},
        language=lang, from_addr=formataddr((user.name, request_address(req))), message_id=message_id,
        headers=headers or None,
    )
    msg.subject = row.subject
    req.messages.append(msg)
    req.last_event_at = utcnow()
    return msg


# -- states -------------------------------------------------------------------------------------
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


def restart_clock(req: FoiRequest, today: dt.date | None = None) -> None:
    """The authority's time to answer starts again today (a clarification was sent)."""
    law = law_by_code(req.law_code)
    today = today or local_today()
    cal = calendar()
    req.sent_on = today
    req.due_on = due_date(today, law.reply_days, law.day_type, cal)
    req.very_overdue_on = due_date(today, law.very_overdue_days, law.day_type, cal)
    req.overdue_mailed_at = req.very_overdue_mailed_at = None


def set_state(req: FoiRequest, state: str, user) -> None:
    allowed = states.STORED if getattr(user, "can_moderate", False) else states.REQUESTER_CHOICES
    if state not in allowed:
        raise FoiError(_("Please choose one of the listed states."), "state")
    if state in states.NEEDS_ADMIN and req.state != state and not getattr(user, "can_moderate", False):
        _tell_admins(req, state)
    if state == "internal_review" and req.state != "internal_review":
        law = law_by_code(req.law_code)
        today = local_today()
        req.sent_on = today
        if law.review_kind == "internal":
            req.due_on = due_date(today, law.review_days, law.review_day_type, calendar())
            req.very_overdue_on = due_date(today, law.review_days * 2, law.review_day_type, calendar())
        else:  # review_days is an outside body's time, not the authority's: no deadline for it
            req.due_on = req.very_overdue_on = None
        req.overdue_mailed_at = req.very_overdue_mailed_at = None
    req.state = state
    req.awaiting_description = False
    req.classify_reminders = 0
    req.last_event_at = utcnow()
    db.session.add(FoiStateChange(request_id=req.id, state=state, user_id=getattr(user, "id", None)))


def recompute_due_dates(day: dt.date) -> int:
    """After a holiday is added or removed: due dates of open requests whose clock spans `day`."""
    moved = 0
    stmt = select(FoiRequest).where(FoiRequest.state.in_(OPEN_STATES),
                                    FoiRequest.sent_on.is_not(None), FoiRequest.sent_on < day,
                                    FoiRequest.very_overdue_on >= day)
    cal = calendar()
    for req in db.session.scalars(stmt):
        law = law_by_code(req.law_code)
        review = req.state == "internal_review"
        days, day_type = (law.review_days, law.review_day_type) if review else (law.reply_days, law.day_type)
        due = due_date(req.sent_on, days, day_type, cal)
        very = due_date(req.sent_on, days * 2 if review else law.very_overdue_days, day_type, cal)
        if (due, very) != (req.due_on, req.very_overdue_on):
            req.due_on, req.very_overdue_on = due, very
            moved += 1
    return moved


def days_left(req: FoiRequest, today: dt.date | None = None) -> int | None:
    """Working (or calendar) days until the due date; negative when overdue."""
    if not req.due_on:
        return None
    today = today or local_today()
    law = law_by_code(req.law_code)
    if law and law.day_type == "calendar":
        return (req.due_on - today).days
    return calendar().working_days_between(today, req.due_on)


# -- follow-ups --------------------------------------------------------------------------------
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


def follow_up(req: FoiRequest, user, text: str, target: str, internal_review: bool = False) -> FoiMessage:
    if user.id != req.user_id:
        raise FoiError(_("Only the person who made the request can write to the authority about it."))
    text = (text or "").strip()
    if len(text) < 10:
        raise FoiError(_("Please write your message."), "text")
    to_addr = resolve_target(req, target)
    if not to_addr:
        raise FoiError(_("Please choose who to write to."), "target")
    answering = db.session.get(FoiMessage, int(target[1:])) if target.startswith("m") else None
    clarifying = not internal_review and req.state == "waiting_clarification" and not req.awaiting_description
    msg = send_message(req, user, to_addr, text, "review" if internal_review else "followup",
                       in_reply_to=answering.message_id if answering is not None else None)
    if internal_review:
        set_state(req, "internal_review", user)
    elif clarifying:
        # As in Alaveteli: the clarification asked for has been sent, so the authority owes an
        # answer again, with a new deadline counted from today.
        set_state(req, "waiting_response", user)
        restart_clock(req)
    return msg


def _tell_admins(req: FoiRequest, state: str) -> None:
    """Mail the site's team when a requester says a reply needs them (an unusual response)."""
    from ..accounts import services as accounts
    from .redaction import redact

    for admin in accounts.moderators_info():
        queue_email(admin.email, "foi/email/reported.txt",
                    {"req": req, "reason": "", "state": state, "title": redact(req.title, req)},
                    language=admin.language)


def delivery(messages) -> dict[int, str]:
    """{message id: outbox status ("pending", "sent" or "failed")} of the letters among `messages`."""
    from ..core.mail import OutboxMessage

    by_mid = {m.message_id: m.id for m in messages if m.direction == "out" and m.message_id}
    if not by_mid:
        return {}
    rows = db.session.execute(select(OutboxMessage.message_id, OutboxMessage.status).where(
        OutboxMessage.message_id.in_(list(by_mid)))).all()
    return {by_mid[mid]: status for mid, status in rows}


def undelivered_requests() -> list[FoiRequest]:
    """Requests still waiting for an answer whose last letter the outbox gave up sending."""
    from ..core.mail import OutboxMessage

    stmt = (select(FoiRequest).join(FoiMessage, FoiMessage.request_id == FoiRequest.id)
            .join(OutboxMessage, OutboxMessage.message_id == FoiMessage.message_id)
            .where(FoiRequest.state.in_(OPEN_STATES), FoiMessage.direction == "out",
                   OutboxMessage.status == "failed").distinct())
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
    from .search import state_clause

    today = today or local_today()
    return tuple(db.session.scalar(select(func.count(FoiRequest.id)).where(state_clause(s, today))) or 0
                 for s in ("waiting_response_overdue", "waiting_response_very_overdue"))
