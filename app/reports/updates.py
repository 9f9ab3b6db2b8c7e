"""State changes through updates: a citizen's update with its rules, publishing a confirmed one,
a questionnaire answer, a staff update. They flush, never commit."""

from __future__ import annotations

from flask_babel import gettext as _

from ..core.mail import external_url, queue_email
from ..core.models import utcnow
from ..extensions import db
from . import alerts
from . import states as S
from .models import Photo, Questionnaire, Report, Update
from .operations import category_change_mark as _mark
from .operations import change_category, set_state
from .photos import dimensions
from .queries import user_is_banned
from .sending import forward_update


class Refused(Exception):
    """The update breaks a rule: `field` is the form field the message belongs to."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def post_update(
    report: Report,
    *,
    text: str,
    fixed: bool,
    reopen: bool,
    photo_keys,
    user,
    name,
    email,
    show_name: bool,
    language: str,
    is_reporter: bool,
) -> Update:
    """A citizen's update on a report. Published at once for a signed-in confirmed user, else it
    waits for the link mailed now. Raises Refused when a rule says no (nothing is stored)."""
    text = (text or "").strip()
    if not text and not fixed and not reopen and not photo_keys:
        raise Refused("text", _("Please write your update."))
    given = (email or "").strip().lower()
    # (Signed out: reopening needs the reporter's own email, which the emailed link then proves.)
    if reopen and not (is_reporter or (user is None and report.email and given == report.email)):
        raise Refused("reopen", _("Only the person who reported the problem can reopen it."))
    if user_is_banned(email=user.email if user is not None else email):
        raise Refused("email", _("Updates from this email address are not accepted."))
    upd = Update(
        report_id=report.id,
        text=text,
        kind="public",
        user_id=user.id if user is not None else None,
        name=user.name if user is not None else name.strip(),
        email=user.email if user is not None else given,
        show_name=bool(show_name),
        language=language,
    )
    upd.new_state = "fixed - user" if fixed else ("confirmed" if reopen else None)
    db.session.add(upd)
    db.session.flush()
    for i, key in enumerate(photo_keys):
        w, h = dimensions(key)
        db.session.add(Photo(report_id=report.id, update_id=upd.id, key=key, width=w, height=h, position=i))
    if user is not None and user.is_confirmed:
        apply_update(report, upd)
    else:
        queue_email(
            upd.email,
            "reports/email/confirm_update.txt",
            {"report": report, "url": external_url("reports.confirm_update", token=upd.token)},
            language=upd.language,
        )
    return upd


def apply_update(report: Report, upd: Update) -> None:
    """Publish a confirmed update: state change rules, forward to the body, tell followers."""
    upd.confirmed_at = utcnow()
    wanted, upd.new_state = upd.new_state, None
    if wanted == "fixed - user" and report.state in S.OPEN_STATES:
        upd.old_state = set_state(report, "fixed - user")
        upd.new_state = "fixed - user"
    elif wanted == "confirmed" and report.state in S.FIXED_STATES + S.CLOSED_STATES:
        is_reporter = (upd.user_id and upd.user_id == report.user_id) or (upd.email and upd.email == report.email)
        if is_reporter:
            upd.old_state = set_state(report, "confirmed")
            upd.new_state = "confirmed"
    report.lastupdate_at = utcnow()
    forward_update(report, upd)
    alerts.notify_update(report, upd)


def confirm_update(upd: Update) -> bool | None:
    """The emailed link of an update: publishes it once. None: its author was banned since (it is
    never published); False: nothing to do."""
    report = db.session.get(Report, upd.report_id)
    if upd.confirmed_at is None and user_is_banned(upd.user_id, upd.email):
        return None
    if upd.confirmed_at is None and report is not None:
        apply_update(report, upd)
        return True
    return False


def answer_questionnaire(q: Questionnaire, report: Report, answer: str, text: str) -> None:
    """The reporter's answer to "is it fixed?": kept, and as an update when it says something."""
    q.answer, q.answered_at = answer, utcnow()
    text = (text or "").strip()[:4000]
    upd = Update(
        report_id=report.id,
        kind="questionnaire",
        text=text,
        name=report.name,
        email=report.email,
        user_id=report.user_id,
        show_name=report.show_name,
        language=report.language,
    )
    if answer == "yes" and report.state in S.OPEN_STATES:
        upd.new_state = "fixed - user"
    elif answer == "no" and report.state in S.FIXED_STATES + S.CLOSED_STATES:
        upd.new_state = "confirmed"
    if text or upd.new_state:
        db.session.add(upd)
        db.session.flush()
        apply_update(report, upd)  # forwards it to the body once (a reopening tells the body)


def staff_update(report: Report, user, *, state, category, text, note, body_id, language) -> None:
    """A body's staff act on a report: new state, new category (re-routed), a public text, a
    private note. A state or category change is public, and the reporter hears of it."""
    old = set_state(report, state) if state != report.state else None
    recategorised = None
    if category is not None and category.id != report.category_id:
        old_cat = report.category_id
        if change_category(report, category):
            recategorised = _mark(old_cat, category.id)
    if text or old or recategorised:
        upd = Update(
            report_id=report.id,
            kind="staff",
            text=text,
            user_id=user.id,
            name=user.name,
            email=user.email,
            body_id=body_id,
            new_state=report.state if old else None,
            old_state=old,
            external_id=recategorised,
            confirmed_at=utcnow(),
            language=language,
        )
        db.session.add(upd)
        db.session.flush()
        alerts.notify_update(report, upd)
    if (note or "").strip():
        db.session.add(
            Update(
                report_id=report.id,
                kind="note",
                text=note.strip(),
                user_id=user.id,
                name=user.name,
                body_id=body_id,
                confirmed_at=utcnow(),
            )
        )


def body_reply(report: Report, *, text: str, external_id: str, body_id: int) -> Update:
    """A body's emailed reply, published as its update on the report."""
    upd = Update(
        report_id=report.id,
        kind="body",
        text=text,
        email=None,
        name="",
        external_id=external_id,
        confirmed_at=utcnow(),
        body_id=body_id,
    )
    db.session.add(upd)
    db.session.flush()
    report.lastupdate_at = utcnow()
    alerts.notify_update(report, upd)  # the reporter and the report's followers hear of it
    return upd


def body_push(report: Report, *, body_id: int, new_state: str, text: str, external_id: str, at) -> Update:
    """A body's back-end pushed a status change (Open311): the state, and the body's public update."""
    old = set_state(report, new_state)
    upd = Update(
        report_id=report.id,
        kind="body",
        text=text,
        external_id=external_id,
        new_state=report.state if old else None,
        old_state=old,
        confirmed_at=at,
        body_id=body_id,
    )
    db.session.add(upd)
    db.session.flush()
    alerts.notify_update(report, upd)
    return upd
