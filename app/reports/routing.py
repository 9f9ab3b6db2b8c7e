"""Routing a confirmed report to the bodies responsible, and sending it (email or Open311)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app
from sqlalchemy import select

from ..core.mail import queue_email, reply_address
from ..core.models import utcnow
from ..extensions import db
from .models import Contact, Report, Send
from .services import link as _link

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
BASE_DELAY = dt.timedelta(minutes=2)


def _services():
    from . import services

    return services


def body_language(body) -> str:
    prof = current_app.extensions["plaza_profile"]
    tag = getattr(body, "language", None)
    return tag if tag and prof.language(tag) else prof.default_language


def route(report: Report, resend: bool = False) -> list[Send]:
    """Create a Send per body responsible for the report's category at its point.

    Emails are queued in the outbox at once (same transaction); Open311 sends wait for the job.
    With resend=True (category changed), bodies already sent to are not sent to again and
    pending sends to bodies no longer responsible are dropped.
    """
    svc = _services()
    bodies = {b.id: b for b in svc.covering_bodies(report.lat, report.lon)}
    contacts = svc.contacts_for(list(bodies), report.category_id)
    by_body: dict[int, Contact] = {}
    for c in contacts:
        by_body.setdefault(c.body_id, c)
    made = []
    already = {s.body_id for s in report.sends if s.status in ("sent", "pending")}
    if resend:
        for s in report.sends:
            if s.status == "pending" and s.body_id not in by_body:
                s.status = "superseded"
        already = {s.body_id for s in report.sends if s.status in ("sent", "pending")}
    for body_id, contact in by_body.items():
        if body_id in already:
            continue
        body = bodies[body_id]
        send = Send(report_id=report.id, body_id=body_id, body_name=body.name, contact_id=contact.id,
                    method=contact.send_method or "email", status="pending", attempts=0,
                    next_attempt_at=utcnow())
        report.sends.append(send)
        db.session.add(send)
        made.append(send)
        if send.method == "email":
            _email_body(report, body, contact, send)
    report.body_ids = sorted(set(report.body_ids or []) | set(by_body)) if resend else sorted(by_body)
    db.session.flush()
    return made


def _area_names(report: Report) -> list[str]:
    areas = _services().areas_services().areas(report.area_ids or [])
    return [a.name for a in sorted(areas, key=lambda a: a.level)]


def _email_body(report: Report, body, contact: Contact, send: Send) -> None:
    from ..core.i18n import force_language

    lang = body_language(body)
    with force_language(lang):
        context = {
            "report": report,
            "body_name": body.name,
            "category": report.category.label(lang),
            "areas": _area_names(report),
            "photos": [_link("reports.photo", key=p.key, size="full") for p in report.photos],
            "url": _link("reports.detail", report_id=report.id),
        }
    queue_email(contact.email or body.email, "reports/email/to_body.txt", context, language=lang,
                reply_to=reply_address("report", report.id),
                headers={"X-Plaza-Report": str(report.id)})
    _mark_sent(report, send)


def _mark_sent(report: Report, send: Send, external_id: str | None = None) -> None:
    now = utcnow()
    send.status, send.sent_at, send.last_error = "sent", now, None
    if external_id:
        send.external_id = external_id
    if report.sent_at is None:
        report.sent_at = now
        report.questionnaire_due_at = now + dt.timedelta(weeks=4)


def send_open311(report: Report, send: Send) -> str | None:
    """POST the report to the contact's Open311 endpoint; returns the body's request id."""
    contact = db.session.get(Contact, send.contact_id) if send.contact_id else None
    if contact is None or not contact.endpoint:
        raise RuntimeError("no Open311 endpoint")
    params = {
        "service_code": report.category.code,
        "lat": f"{report.lat:.6f}", "long": f"{report.lon:.6f}",
        "description": (report.title + "\n\n" + report.detail).strip()[:4000],
        "email": report.email,
        # One name field: sent whole as first_name (never split into first/last).
        "first_name": report.name or "",
        "last_name": "",
        "address_string": report.address or "",
    }
    if report.photos:
        params["media_url"] = _link("reports.photo", key=report.photos[0].key, size="full")
    if contact.api_key:
        params["api_key"] = contact.api_key
    if contact.jurisdiction_id:
        params["jurisdiction_id"] = contact.jurisdiction_id
    for key, value in (report.attributes or {}).items():
        params[f"attribute[{key}]"] = value
    url = contact.endpoint.rstrip("/") + "/requests.json"
    data = urllib.parse.urlencode(params).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=15) as resp:  # noqa: S310 - admin-set http(s) endpoint
        payload = json.loads(resp.read().decode("utf-8"))
    item = payload[0] if isinstance(payload, list) and payload else payload
    if not isinstance(item, dict):
        raise RuntimeError("unexpected answer")
    if item.get("code") and not (item.get("service_request_id") or item.get("token")):
        raise RuntimeError(f"{item.get('code')}: {item.get('description')}")
    return str(item.get("service_request_id") or item.get("token") or "") or None


def process_sends(limit: int = 50) -> tuple[int, int]:
    """The registered job: try due Open311 sends; failures back off and end up 'failed'."""
    now = utcnow()
    rows = list(db.session.scalars(
        select(Send).where(Send.status == "pending", Send.method == "open311", Send.next_attempt_at <= now)
        .order_by(Send.id).limit(limit)
    ))
    ok = bad = 0
    for send in rows:
        report = send.report
        if report.state == "hidden":
            send.status = "superseded"
            db.session.commit()
            continue
        try:
            ext = send_open311(report, send)
            _mark_sent(report, send, ext)
            ok += 1
        except (OSError, ValueError, RuntimeError, urllib.error.URLError) as exc:
            bad += 1
            send.attempts += 1
            send.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if send.attempts >= MAX_ATTEMPTS:
                send.status = "failed"
            else:
                send.next_attempt_at = utcnow() + BASE_DELAY * (2 ** (send.attempts - 1))
            log.warning("Open311 send %s failed: %s", send.id, exc)
        db.session.commit()
    return ok, bad


def retry_send(send_id: int) -> bool:
    send = db.session.get(Send, send_id)
    if send is None or send.status == "sent":
        return False
    send.status, send.next_attempt_at = "pending", utcnow()
    send.attempts = min(send.attempts, MAX_ATTEMPTS - 1)
    return True


def minutes_after(report: Report, send: Send) -> int:
    if not send.sent_at:
        return 0
    return max(0, int((send.sent_at - report.created_at).total_seconds() // 60))
