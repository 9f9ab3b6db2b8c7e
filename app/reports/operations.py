"""State changes on reports: creating, confirming, supporting, changing state or category,
hiding a banned person's work, API keys. They flush, never commit: views, CLI and jobs do."""

from __future__ import annotations

import secrets

from sqlalchemy import or_, select

from ..areas import services as areas
from ..core import audit
from ..core.mail import OutboxMessage, external_url, outbox, queue_email
from ..core.models import utcnow
from ..extensions import db
from . import alerts
from . import states as S
from .models import Alert, ApiKey, Category, ModerationLog, Photo, Report, Supporter
from .photos import dimensions
from .queries import email_banned, find_category, has_supported, reporter_emails_stopped, user_is_banned
from .sending import route
from .signing import hash_key, sign
from .text import DETAIL_MAX, TITLE_MAX, slug

__all__ = [
    "add_support",
    "cancel_unsent",
    "change_category",
    "confirm_report",
    "create_api_key",
    "create_report",
    "email_banned",
    "find_category",
    "get_or_create_category",
    "hide_reports_of",
    "log",
    "set_state",
    "stop_reporter_emails",
    "submit_report",
    "user_is_banned",
    "utcnow",
]


def get_or_create_category(name: str, names: dict | None = None) -> Category:
    cat = find_category(name)
    if cat is None:
        code, n = slug(name), 1
        base = code
        while db.session.scalar(select(Category.id).where(Category.code == code)) is not None:
            n += 1
            code = f"{base}-{n}"
        cat = Category(code=code, name=name.strip(), names={}, hints={}, notices={}, attributes=[])
        db.session.add(cat)
    if names:
        merged = dict(cat.names or {})
        merged.update({k: v for k, v in names.items() if v})
        cat.names = merged
    return cat


def create_report(
    *,
    category: Category,
    title,
    detail,
    lat,
    lon,
    name,
    email,
    show_name,
    language,
    user=None,
    photo_keys=(),
    source="web",
    api_key_id=None,
    attributes=None,
    address=None,
    phone=None,
    media_url=None,
) -> Report:
    """Add a report. Confirmed at once for signed-in confirmed users and Open311 clients."""
    found = areas.areas_at(lat, lon)
    report = Report(
        category_id=category.id,
        category=category,
        title=title.strip()[:TITLE_MAX],
        detail=(detail or "").strip()[:DETAIL_MAX],
        lat=lat,
        lon=lon,
        name=(name or "").strip()[:200],
        email=email.strip().lower(),
        show_name=bool(show_name),
        language=language,
        source=source,
        api_key_id=api_key_id,
        attributes=attributes or {},
        address=address,
        phone=phone,
        media_url=media_url,
        area_ids=[a.id for a in found],
        body_ids=[],
        user_id=user.id if user else None,
        state="unconfirmed",
        support_count=0,
    )
    db.session.add(report)
    db.session.flush()
    for i, key in enumerate(photo_keys):
        w, h = dimensions(key)
        db.session.add(Photo(report_id=report.id, key=key, width=w, height=h, position=i))
    db.session.flush()
    trusted = source == "open311" or (user is not None and getattr(user, "is_confirmed", False))
    if trusted:
        confirm_report(report)
    return report


def submit_report(**fields) -> Report:
    """A report from the web form: created, and either confirmed at once (a signed-in confirmed
    user) or waiting for the reporter to follow the link mailed now."""
    report = create_report(**fields)
    if report.state == "unconfirmed":
        queue_email(
            report.email,
            "reports/email/confirm.txt",
            {
                "report": report,
                "url": external_url("reports.confirm", token=report.token),
                "manage": external_url("reports.manage", token=sign("manage", [report.id, report.email])),
            },
            language=report.language,
        )
    return report


def confirm_report(report: Report) -> bool:
    """unconfirmed -> confirmed and routed. False when it was confirmed already (harmless)."""
    if report.confirmed_at is not None or report.state != "unconfirmed":
        return False
    now = utcnow()
    report.confirmed_at = now
    report.lastupdate_at = now
    if user_is_banned(report.user_id, report.email):
        report.state = "hidden"
        report.hidden_reason = "banned user"
        return True
    report.state = "confirmed"
    route(report)
    alerts.notify_new_report(report)
    return True


def add_support(report: Report, email: str, user=None) -> bool:
    """Count one person's "me too" (False: already counted, or the person is banned)."""
    email = email.strip().lower()
    if email == report.email or (user is not None and report.user_id and user.id == report.user_id):
        return False  # the reporter is counted already
    if user_is_banned(getattr(user, "id", None), email):
        return False
    if has_supported(report, email):
        return False
    db.session.add(Supporter(report_id=report.id, email=email, user_id=user.id if user else None))
    report.support_count = (report.support_count or 0) + 1
    return True


def set_state(report: Report, new_state: str) -> str | None:
    """Change the state; returns the old one when it changed."""
    old = report.state
    if new_state == old:
        return None
    report.state = new_state
    report.lastupdate_at = utcnow()
    if new_state in S.FIXED_STATES and report.fixed_at is None:
        report.fixed_at = utcnow()
    if new_state in S.OPEN_STATES:
        report.fixed_at = None
    return old


def change_category(report: Report, category: Category) -> bool:
    """Re-route when the category changes; re-sends only to bodies not sent to before."""
    if category.id == report.category_id:
        return False
    report.category_id = category.id
    report.category = category
    if report.confirmed_at and report.state != "hidden":
        route(report, resend=True)
        alerts.notify_new_report(report)  # the new body's followers (each alert hears of it once)
    return True


CATEGORY_MARK = "category:"


def category_change_mark(old_id: int, new_id: int) -> str:
    """Update.external_id of a public update that records a category change (shown translated)."""
    return f"{CATEGORY_MARK}{old_id}:{new_id}"


# -- hiding and banning ------------------------------------------------------------------
def hide_reports_of(user_id=None, email=None, reason: str = "") -> int:
    """A banned person's reports: hidden, and sends still pending are never made. Returns how many
    were hidden now."""
    who = []
    if email:
        who.append(Report.email == email.strip().lower())
    if user_id:
        who.append(Report.user_id == user_id)
    if not who:
        return 0
    hidden = 0
    for r in db.session.scalars(select(Report).where(or_(*who))):
        if r.state != "hidden":
            r.state_before_hiding, r.state, r.hidden_reason = r.state, "hidden", reason
            hidden += 1
        cancel_unsent(r)
    return hidden


def cancel_unsent(report: Report) -> int:
    """A hidden report is never sent: its Open311 sends still waiting, and its emails to bodies
    still in the outbox, are called off (sends already delivered stay as they are). Returns how
    many were stopped."""
    stopped = 0
    for s in report.sends:
        if s.status == "pending":
            s.status = "superseded"
            stopped += 1
        elif s.status == "queued":  # an email in the outbox: stopped unless it has gone already
            mail = db.session.get(OutboxMessage, s.outbox_id) if s.outbox_id else None
            if mail is not None and mail.status == "sent":
                continue  # delivered; the send job records it as sent
            if mail is not None:
                outbox.cancel(mail.id, "report hidden before it was sent")
            s.status, s.last_error = "superseded", "report hidden before it was sent"
            stopped += 1
    return stopped


def on_user_banned(_sender, user_id=None, email=None, reason="", **_extra) -> None:
    """accounts' `user_banned` signal (Admin › Users, or a moderator's ban here)."""
    hide_reports_of(user_id, email, reason)


def log(user, action: str, reason: str = "", report_id=None, update_id=None, target_user_id=None):
    audit.record(
        getattr(user, "id", None),
        f"reports.{action}",
        "report" if report_id else None,
        report_id,
        {"update_id": update_id, "target_user_id": target_user_id},
        reason,
    )
    db.session.add(
        ModerationLog(
            user_id=getattr(user, "id", None),
            action=action,
            reason=reason or "",
            report_id=report_id,
            update_id=update_id,
            target_user_id=target_user_id,
        )
    )


# -- the reporter's mails, alerts ---------------------------------------------------------
def stop_reporter_emails(report: Report) -> bool:
    if not report.email or reporter_emails_stopped(report):
        return False
    db.session.add(
        Alert(
            kind="report",
            report_id=report.id,
            email=report.email,
            language=report.language,
            user_id=report.user_id,
            unsubscribed_at=utcnow(),
        )
    )
    return True


def unsubscribe_alert(alert: Alert) -> bool:
    if alert.unsubscribed_at is not None:
        return False
    alert.unsubscribed_at = utcnow()
    return True


# -- Open311 keys ---------------------------------------------------------------------
def create_api_key(name: str, body_id: int | None = None) -> tuple[ApiKey, str]:
    # Letters and digits only (hex): a key or prefix starting with "-" would read as an option
    # to `flask reports open311-key revoke` and to many other command-line tools.
    key = secrets.token_hex(24)
    row = ApiKey(name=name.strip()[:200], key_hash=hash_key(key), prefix=key[:6], body_id=body_id)
    db.session.add(row)
    return row, key


def revoke_api_key(row: ApiKey) -> bool:
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def ask_support(report: Report, email: str, *, user=None, is_reporter=False, language: str = "") -> str:
    """A "me too" from the report page: counted at once for a signed-in confirmed user (`user`),
    else confirmed by the link mailed now. Returns what happened: "closed", "reporter", "banned",
    "already", "mailed", "added" or "" (not counted)."""
    email = email.strip().lower()
    if report.state not in S.OPEN_STATES:
        return "closed"
    if is_reporter or email == report.email:
        return "reporter"
    if user_is_banned(email=email):
        return "banned"
    if has_supported(report, email):
        return "already"
    if user is None:
        queue_email(
            email,
            "reports/email/confirm_support.txt",
            {
                "report": report,
                "url": external_url("reports.support_confirm", token=sign("support", [report.id, email])),
            },
            language=language,
        )
        return "mailed"
    return "added" if add_support(report, email, user) else ""


# -- the reporter's own changes ----------------------------------------------------------
def edit_report(report: Report, title: str, detail: str) -> None:
    """Before it is sent, the reporter may still change the text."""
    report.title = title.strip()[:TITLE_MAX]
    report.detail = (detail or "").strip()[:DETAIL_MAX]


def show_name(report: Report, shown: bool) -> None:
    report.show_name = shown


def ask_removal(report: Report, reason: str) -> None:
    report.removal_requested_at = utcnow()
    report.removal_reason = reason.strip()
