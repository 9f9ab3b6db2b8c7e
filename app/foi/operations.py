"""Changes to requests: sending (with the compose-preview-send steps), states, follow-ups, following,
reporting. They flush, never commit: the route that calls one commits."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from email.utils import formataddr

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete

from ..accounts import services as accounts
from ..core import previews
from ..core.mail import queue_email
from ..core.models import utcnow
from ..directory import services as directory
from ..extensions import db
from . import queries, states
from .duedates import due_date
from .laws import calendar, law_by_code, law_for, law_name, local_today, why_not_askable
from .letters import personal_data_warnings, text_key, validate_draft
from .models import FoiDraft, FoiFollow, FoiMessage, FoiRequest, FoiStateChange
from .redaction import redact
from .reminders import restart_count
from .services import request_address

PREVIEW = "foi-preview"  # what a preview digest is for


class FoiError(ValueError):
    """A user-facing refusal: `field` names the form field it belongs to (or None)."""

    def __init__(self, message: str, field: str | None = None, existing: FoiRequest | None = None):
        super().__init__(message)
        self.field, self.existing = field, existing


# -- sending --------------------------------------------------------------------------------------
def create_request(user, body, title: str, letter: str, lang: str | None = None) -> FoiRequest:
    """Store and queue a new request (caller commits). Raises FoiError before storing anything."""
    reason = why_not_askable(body)
    if reason:
        raise FoiError(reason)
    errors = validate_draft(body, title, letter, lang)
    if errors:
        name, message = next(iter(errors.items()))
        raise FoiError(message, name)
    existing = queries.find_duplicate(body.id, title, letter)
    if existing is not None:
        raise FoiError(_("You or someone else already sent this same request to this authority."), existing=existing)
    limit = current_app.config.get("FOI_DAILY_LIMIT", 5)
    if not getattr(user, "is_admin", False) and queries.requests_today(user.id) >= limit:
        raise FoiError(
            ngettext(
                "You have made %(num)s request in the last day, the most allowed. Please try again tomorrow.",
                "You have made %(num)s requests in the last day, the most allowed. Please try again tomorrow.",
                limit,
            )
        )
    law = law_for(body)
    today = local_today()
    cal = calendar()
    req = FoiRequest(
        title=title.strip(),
        title_key=text_key(title),
        authority_id=body.id,
        user_id=user.id,
        law_code=law.code,
        language=lang,
        state="waiting_response",
        sent_on=today,
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


def send_message(
    req: FoiRequest, user, to_addr: str, text: str, kind: str, body=None, in_reply_to: str | None = None
) -> FoiMessage:
    """Queue one outgoing letter of the thread from the request's own address (answering the
    incoming message whose Message-ID is `in_reply_to`, if given)."""
    body = body or directory.get_body(req.authority_id)
    law = law_by_code(req.law_code)
    lang = mail_language(req, body)
    message_id = f"<foi-{uuid.uuid4().hex}@{current_app.config['INCOMING_EMAIL_DOMAIN']}>"
    msg = FoiMessage(
        request_id=req.id,
        direction="out",
        kind=kind,
        from_name=user.name,
        to_addr=to_addr,
        body=text,
        message_id=message_id,
    )
    previous = [m.message_id for m in req.messages if m.message_id and m.message_id != in_reply_to]
    previous = previous[-5:] + ([in_reply_to] if in_reply_to else [])
    headers = {"References": " ".join(previous)} if previous else {}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
    row = queue_email(
        to_addr,
        "foi/email/request.txt",
        {
            "title": req.title,
            "law_name": law_name(law, lang),
            "letter": text,
            "name": user.name,
            "kind": kind,
            "address": request_address(req),
            "authority": body.name if body else "",
        },
        language=lang,
        from_addr=formataddr((user.name, request_address(req))),
        message_id=message_id,
        headers=headers or None,
        automatic=False,  # the requester's own letter: the authority's acknowledgement is wanted
    )
    msg.subject = row.subject
    req.messages.append(msg)
    req.last_event_at = utcnow()
    return msg


# -- composing: write, preview (with warnings), sign in if need be, send ----------------------------
def preview_token(title: str, letter: str) -> str:
    """The signed digest of the title and letter a preview showed, posted back with "Send request"."""
    return previews.preview_token(PREVIEW, title, letter)


@dataclass
class Composed:
    """What composing a request came to: a page to show again (errors, a preview), a draft kept
    until the writer signs in, or a request sent."""

    title: str
    letter: str
    errors: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    existing: FoiRequest | None = None
    preview: bool = False
    confirm: bool = False  # the preview was asked for by "Send": its warnings must be seen first
    status: int = 200
    signed_in_again: bool = False  # a kept draft came back after signing in
    kept_token: str | None = None  # the draft was kept under this token: sign in to send it
    drop_token: bool = False  # the browser's draft token is spent
    sent: FoiRequest | None = None


def compose(
    body,
    user,
    lang: str,
    title: str,
    letter: str,
    *,
    posted: bool,
    action: str | None,
    previewed: str | None,
    draft_token: str | None,
    draft: FoiDraft | None,
) -> Composed:
    """One step of composing a request to `body` (`user` is None when nobody is signed in).
    Nothing is ever sent by a GET: a draft kept while signing in comes back as a preview whose
    "Send request" button POSTs it."""
    out = Composed(title=title, letter=letter)
    returning = not posted and draft is not None and user is not None
    if not (posted or returning):
        return out
    out.errors = validate_draft(body, title, letter, lang)
    out.warnings = personal_data_warnings(letter)
    out.signed_in_again = returning and not out.errors
    if (
        not out.errors
        and action == "send"
        and out.warnings
        and not previews.previewed(PREVIEW, previewed, title, letter)
    ):
        # A letter that would warn (an email address, a phone number) is only sent once its
        # preview, warnings included, has been shown: pressing "Send" first shows that preview.
        action, out.confirm = "preview", True
    if out.errors:
        out.status = 422 if posted else 200
        return out
    if action != "send":
        out.preview = True
        return out
    if user is None:
        out.kept_token = keep_draft(draft_token, body.id, title, letter)
        return out
    try:
        out.sent = create_request(user, body, title, letter, lang)
    except FoiError as exc:
        if exc.existing is not None:
            out.existing = exc.existing
        else:
            out.errors[exc.field or "form"] = str(exc)
        out.status = 422
    drop_draft(draft_token)
    out.drop_token = True
    return out


def keep_draft(token: str | None, authority_id: int, title: str, letter: str) -> str:
    """Keep the draft (under the browser's token, or a new one) while its writer signs in."""
    row = queries.draft_by_token(token) if isinstance(token, str) else None
    if row is None:
        row = FoiDraft(token=secrets.token_urlsafe(32))
        db.session.add(row)
    row.authority_id, row.title, row.letter, row.created_at = authority_id, title, letter, utcnow()
    db.session.flush()
    return row.token


def drop_draft(token) -> None:
    if isinstance(token, str):
        db.session.execute(delete(FoiDraft).where(FoiDraft.token == token))


# -- states -----------------------------------------------------------------------------------------
def restart_clock(req: FoiRequest, today=None) -> None:
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
    restart_count(req)
    req.last_event_at = utcnow()
    db.session.add(FoiStateChange(request_id=req.id, state=state, user_id=getattr(user, "id", None)))


def _tell_admins(req: FoiRequest, state: str, reason: str = "") -> None:
    """Mail the site's team when a requester says a reply needs them (an unusual response)."""
    for admin in accounts.moderators_info():
        context = {"req": req, "reason": reason, "title": redact(req.title, req)}
        if state:
            context["state"] = state
        queue_email(admin.email, "foi/email/reported.txt", context, language=admin.language)


def report(req: FoiRequest, user, reason: str) -> None:
    """Someone asks the site's team to look at a request (once, until it is dealt with)."""
    if req.state == "attention_requested":
        return
    req.state = "attention_requested"
    req.attention_reason = reason or None
    db.session.add(FoiStateChange(request_id=req.id, state="attention_requested", user_id=user.id))
    _tell_admins(req, "", reason)


# -- follow-ups and following -------------------------------------------------------------------------
def follow_up(req: FoiRequest, user, text: str, target: str, internal_review: bool = False) -> FoiMessage:
    if user.id != req.user_id:
        raise FoiError(_("Only the person who made the request can write to the authority about it."))
    text = (text or "").strip()
    if len(text) < 10:
        raise FoiError(_("Please write your message."), "text")
    to_addr = queries.resolve_target(req, target)
    if not to_addr:
        raise FoiError(_("Please choose who to write to."), "target")
    answering = queries.message(int(target[1:])) if target.startswith("m") else None
    clarifying = not internal_review and req.state == "waiting_clarification" and not req.awaiting_description
    msg = send_message(
        req,
        user,
        to_addr,
        text,
        "review" if internal_review else "followup",
        in_reply_to=answering.message_id if answering is not None else None,
    )
    if internal_review:
        set_state(req, "internal_review", user)
    elif clarifying:
        # As in Alaveteli: the clarification asked for has been sent, so the authority owes an
        # answer again, with a new deadline counted from today.
        set_state(req, "waiting_response", user)
        restart_clock(req)
    return msg


def set_following(req: FoiRequest, user, follow: bool) -> bool:
    """Follow (or stop following) a request; returns whether anything changed."""
    row = queries.follow_row(req.id, user.id)
    if not follow and row is not None:
        db.session.delete(row)
        return True
    if follow and row is None:
        db.session.add(FoiFollow(request_id=req.id, user_id=user.id))
        return True
    return False


def recompute_due_dates(day) -> int:
    """After a holiday is added or removed: due dates of open requests whose clock spans `day`."""
    moved = 0
    cal = calendar()
    for req in queries.open_requests_spanning(day):
        law = law_by_code(req.law_code)
        review = req.state == "internal_review"
        days, day_type = (law.review_days, law.review_day_type) if review else (law.reply_days, law.day_type)
        due = due_date(req.sent_on, days, day_type, cal)
        very = due_date(req.sent_on, days * 2 if review else law.very_overdue_days, day_type, cal)
        if (due, very) != (req.due_on, req.very_overdue_on):
            req.due_on, req.very_overdue_on = due, very
            moved += 1
    return moved
