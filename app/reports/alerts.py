"""Email alerts: new reports near a point, in an area, to a body; updates on one report."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ..areas import services as areas
from ..core.formatting import format_distance
from ..core.mail import list_unsubscribe, queue_email
from ..core.models import utcnow
from ..directory import services as directory
from ..extensions import db
from .geometry import distance_m, finite_point
from .models import Alert, AlertSent, Report, Update
from .queries import reporter_emails_stopped
from .settings import link as _link
from .settings import mail_language as _lang
from .signing import sign


def subscribe(kind: str, email: str, language: str, user=None, confirmed=False, **target) -> Alert:
    """An alert (confirmed at once for signed-in confirmed users, else by the emailed link)."""
    email = email.strip().lower()
    stmt = select(Alert).where(Alert.kind == kind, Alert.email == email, Alert.unsubscribed_at.is_(None))
    for key in ("report_id", "area_id", "body_id"):
        if target.get(key) is not None:
            stmt = stmt.where(getattr(Alert, key) == target[key])
    if kind == "nearby":
        stmt = stmt.where(Alert.lat == target["lat"], Alert.lon == target["lon"])
    alert = db.session.scalar(stmt)
    if alert is None:
        alert = Alert(kind=kind, email=email, language=language, user_id=user.id if user else None, **target)
        db.session.add(alert)
        db.session.flush()
    if alert.confirmed_at is None:
        if confirmed:
            confirm(alert)
        else:
            queue_email(
                email,
                "reports/email/alert_confirm.txt",
                {
                    "alert": alert,
                    "what": describe(alert),
                    "url": _link("reports.alert_confirm", token=alert.token, lang=_lang(language)),
                },
                language=language,
            )
    return alert


def confirm(alert: Alert) -> bool:
    if alert.confirmed_at is not None:
        return False
    alert.confirmed_at = alert.since = utcnow()
    return True


def describe(alert: Alert) -> str:
    if alert.kind == "report" and alert.report_id:
        r = db.session.get(Report, alert.report_id)
        if r is None or not r.is_public:  # an unconfirmed or hidden report's title is not shown
            return _("updates on a report")
        return _("updates on the report “%(title)s”", title=r.title)
    if alert.kind == "area" and alert.area_id:
        a = areas.area(alert.area_id)
        return _("new reports in %(area)s", area=a.name if a else "")
    if alert.kind == "body" and alert.body_id:
        b = directory.get_body(alert.body_id)
        return _("new reports sent to %(body)s", body=b.name if b else "")
    return _(
        "new reports within %(distance)s of %(lat).5f, %(lon).5f",
        distance=format_distance(alert.radius_m or 0),
        lat=alert.lat or 0,
        lon=alert.lon or 0,
    )


def _active(kind):
    return select(Alert).where(Alert.kind == kind, Alert.confirmed_at.is_not(None), Alert.unsubscribed_at.is_(None))


def _send(alert: Alert, item: str, template: str, context: dict) -> None:
    if db.session.scalar(select(AlertSent.id).where(AlertSent.alert_id == alert.id, AlertSent.item == item)):
        return
    db.session.add(AlertSent(alert_id=alert.id, item=item))
    ctx = dict(
        context,
        alert=alert,
        unsubscribe=_link("reports.alert_unsubscribe", token=alert.token, lang=_lang(alert.language)),
    )
    queue_email(alert.email, template, ctx, language=alert.language, headers=list_unsubscribe(ctx["unsubscribe"]))


def notify_new_report(report: Report) -> None:
    candidates = []
    if report.area_ids:
        candidates += db.session.scalars(_active("area").where(Alert.area_id.in_(report.area_ids)))
    if report.body_ids:
        candidates += db.session.scalars(_active("body").where(Alert.body_id.in_(report.body_ids)))
    for alert in db.session.scalars(_active("nearby")):
        if not finite_point(alert.lat, alert.lon):  # a bad row (made before points were checked)
            continue
        if distance_m(alert.lat, alert.lon, report.lat, report.lon) <= (alert.radius_m or 0):
            candidates.append(alert)
    seen = set()
    for alert in candidates:
        if alert.email in seen or alert.email == report.email:
            continue
        seen.add(alert.email)
        _send(
            alert,
            f"r{report.id}",
            "reports/email/alert_report.txt",
            {
                "report": report,
                "what": describe(alert),
                "url": _link("reports.detail", report_id=report.id, lang=_lang(alert.language)),
            },
        )


def notify_update(report: Report, update: Update) -> None:
    """Tell the report's followers and its reporter (unless they wrote the update)."""
    if not update.is_public or not report.is_public:
        return
    author = (update.email or "").lower()
    told = {author} if author else set()
    if report.email and report.email not in told and not reporter_emails_stopped(report):
        told.add(report.email)
        lang = _lang(report.language)
        stop = _link("reports.reporter_stop", token=sign("reporter-stop", [report.id, report.email]), lang=lang)
        queue_email(
            report.email,
            "reports/email/update_reporter.txt",
            {
                "report": report,
                "update": update,
                "url": _link("reports.detail", report_id=report.id, lang=lang),
                "unsubscribe": stop,
            },
            language=report.language,
            headers=list_unsubscribe(stop),
        )
    for alert in db.session.scalars(_active("report").where(Alert.report_id == report.id)):
        if alert.email in told:
            continue
        told.add(alert.email)
        _send(
            alert,
            f"u{update.id}",
            "reports/email/alert_update.txt",
            {
                "report": report,
                "update": update,
                "url": _link("reports.detail", report_id=report.id, lang=_lang(alert.language)),
            },
        )
