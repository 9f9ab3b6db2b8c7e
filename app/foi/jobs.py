"""Daily checks: overdue and very overdue requests (mailed once each), classification reminders."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy import delete, select

from ..accounts import services as accounts
from ..core.mail import external_url, list_unsubscribe, queue_email
from ..core.models import utcnow
from ..extensions import db
from .laws import local_today
from .mail.attachments import can_view_as_text, extract_text
from .models import FoiAttachment, FoiDraft, FoiRequest, FoiStateChange
from .queries import display_state, undelivered_requests
from .redaction import redact
from .reminders import stop_token
from .search import reindex
from .states import OPEN_STATES

foi_cli = AppGroup("foi", help="Freedom of information requests.")
DRAFT_DAYS = 7
REMINDER_DAYS = (3, 10, 24)  # days after a reply (and after each reminder) to remind the requester


def _mail(req: FoiRequest, what: str) -> None:
    user = accounts.get_info(req.user_id)
    if user is not None:
        stop = None
        if what == "classify":  # the repeated reminders can be stopped; the one-off notices not
            stop = external_url("foi.stop_reminders", request_id=req.id, token=stop_token(req))
        queue_email(
            user.email,
            "foi/email/reminder.txt",
            {"req": req, "what": what, "title": redact(req.title, req), "unsubscribe": stop},
            language=user.language,
            headers=list_unsubscribe(stop) if stop else None,
        )


def daily(today: dt.date | None = None) -> dict:
    """Mail each overdue/very overdue requester once; remind about unclassified replies. No commit."""
    today = today or local_today()
    counts = {"overdue": 0, "very_overdue": 0, "reminders": 0}
    waiting = db.session.scalars(
        select(FoiRequest).where(FoiRequest.state.in_(OPEN_STATES), FoiRequest.awaiting_description.is_(False))
    )
    for req in waiting:
        state = display_state(req, today)
        if state == "waiting_response_very_overdue" and req.very_overdue_mailed_at is None:
            req.very_overdue_mailed_at = utcnow()
            req.overdue_mailed_at = req.overdue_mailed_at or utcnow()
            _mail(req, "very_overdue")
            counts["very_overdue"] += 1
        elif state == "waiting_response_overdue" and req.overdue_mailed_at is None:
            req.overdue_mailed_at = utcnow()
            _mail(req, "overdue")
            counts["overdue"] += 1
    # A letter the outbox gave up on never reached the authority: the request shows a delivery
    # error (listed for the site's team) and the requester is told, once (the state changes).
    counts["undelivered"] = 0
    for req in undelivered_requests():
        req.state = "error_message"
        req.last_event_at = utcnow()
        db.session.add(FoiStateChange(request_id=req.id, state="error_message", user_id=None))
        _mail(req, "failed")
        counts["undelivered"] += 1
    now = utcnow()
    for req in db.session.scalars(select(FoiRequest).where(FoiRequest.awaiting_description.is_(True))):
        if req.classify_reminders >= len(REMINDER_DAYS):  # (or stopped: reminders.STOPPED)
            continue
        since = req.classify_reminded_at or req.last_event_at
        if since and now - since >= dt.timedelta(days=REMINDER_DAYS[req.classify_reminders]):
            req.classify_reminders += 1
            req.classify_reminded_at = now
            _mail(req, "classify")
            counts["reminders"] += 1
    # Drafts kept while someone signs in are not wanted for long
    db.session.execute(delete(FoiDraft).where(FoiDraft.created_at < now - dt.timedelta(days=DRAFT_DAYS)))
    return counts


def run_daily_job() -> None:
    daily()
    db.session.commit()


@foi_cli.command("daily")
def daily_cmd():
    """Mark overdue requests, mail their requesters once, and send classification reminders."""
    counts = daily()
    db.session.commit()
    click.echo(
        f"overdue {counts['overdue']}, very overdue {counts['very_overdue']}, reminders {counts['reminders']}, "
        f"undelivered {counts['undelivered']}"
    )


@foi_cli.command("reindex")
@click.option(
    "--extract",
    is_flag=True,
    help="First extract the text of attachments that have none "
    "(for instance files received before their format could be read).",
)
def reindex_cmd(extract):
    """Rebuild the search index of every request (after a migration or a bulk change)."""
    if extract:
        click.echo(f"extracted text from {extract_missing_text()} attachments")
    count = reindex(None)
    db.session.commit()
    click.echo(f"indexed {count} requests")


def extract_missing_text() -> int:
    """Fill in the text of attachments that have none, when it can now be extracted. No commit."""
    found = 0
    for att in db.session.scalars(select(FoiAttachment).where(FoiAttachment.text.is_(None))):
        if can_view_as_text(att.content_type):
            att.text = extract_text(att.content_type, att.data)
            found += att.text is not None
    return found
