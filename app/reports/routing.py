"""Routing a confirmed report to the bodies responsible, and sending it (email or Open311)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app
from sqlalchemy import or_, select

from ..core.mail import OutboxMessage, queue_email, reply_address
from ..core.mail import outbox as _outbox
from ..core.models import utcnow
from ..extensions import db
from . import states as S
from .models import Contact, Report, Send, Update
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


def body_name(body) -> str:
    """The body's name in its own language: how it is addressed and how its sends are stored,
    whatever language the reporter used."""
    from ..core.i18n import force_language

    with force_language(body_language(body)):
        found = _services().directory().get_body(body.id)
    return found.name if found is not None else body.name


def description(report: Report) -> str:
    """The report's text as one Open311 description. A report posted by Open311 keeps the
    client's text whole in `detail` (its title is only that text's first line); a web report
    has a separate title, put in front."""
    if report.source == "open311":
        return report.detail
    return report.title + ("\n\n" + report.detail if report.detail else "")


def route(report: Report, resend: bool = False) -> list[Send]:
    """Create a Send per body responsible for the report's category at its point.

    Emails are queued in the outbox at once (same transaction) and count as sent once the outbox
    has delivered them; Open311 sends wait for the job.
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
    live = ("sent", "pending", "queued")
    already = {s.body_id for s in report.sends if s.status in live}
    if resend:
        for s in report.sends:
            if s.status == "pending" and s.body_id not in by_body:
                s.status = "superseded"
        already = {s.body_id for s in report.sends if s.status in live}
    for body_id, contact in by_body.items():
        if body_id in already:
            continue
        body = bodies[body_id]
        send = Send(report_id=report.id, body_id=body_id, body_name=body_name(body), contact_id=contact.id,
                    method=contact.send_method or "email", status="pending", attempts=0,
                    next_attempt_at=utcnow())
        report.sends.append(send)
        db.session.add(send)
        made.append(send)
        if send.method == "email":
            _email_body(report, body, contact, send)
    # The bodies responsible now (after a category change, the old body's staff no longer manage
    # it); a category nobody takes here keeps the bodies it had.
    report.body_ids = (sorted(by_body) or list(report.body_ids or [])) if resend else sorted(by_body)
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
            "body_name": send.body_name,
            "category": report.category.label(lang),
            "areas": _area_names(report),
            "photos": [_link("reports.photo", key=p.key, size="full", lang=lang) for p in report.photos],
            "url": _link("reports.detail", report_id=report.id, lang=lang),
        }
    mail = queue_email(contact.email or body.email, "reports/email/to_body.txt", context, language=lang,
                       reply_to=reply_address("report", report.id),
                       headers={"X-Plaza-Report": str(report.id)})
    db.session.flush()
    # The send is "sent" once the outbox has delivered the mail (see follow_outbox); the report
    # counts as sent now, as its text is fixed in that mail (no more edits).
    send.status, send.outbox_id = "queued", mail.id
    _handed_over(report, utcnow())


def _handed_over(report: Report, now) -> None:
    if report.sent_at is None:
        report.sent_at = now
        report.questionnaire_due_at = now + dt.timedelta(weeks=4)


def _mark_sent(report: Report, send: Send, external_id: str | None = None, at=None) -> None:
    now = at or utcnow()
    send.status, send.sent_at, send.last_error = "sent", now, None
    if external_id:
        send.external_id = external_id
    _handed_over(report, now)


def _contact(send: Send) -> Contact:
    contact = db.session.get(Contact, send.contact_id) if send.contact_id else None
    if contact is None or not contact.endpoint:
        raise RuntimeError("no Open311 endpoint")
    return contact


class Open311Refused(RuntimeError):
    """The endpoint answered with an HTTP error; `status` is its code, the message its GeoReport
    error descriptions. A 4xx (but 408 and 429) will not change by trying again."""

    def __init__(self, status: int, description: str):
        super().__init__(f"HTTP {status}: {description}" if description else f"HTTP {status}")
        self.status = status
        self.permanent = 400 <= status < 500 and status not in (408, 429)


def _error_descriptions(data: bytes) -> str:
    """The descriptions of a GeoReport error list (JSON or XML), else the start of the text."""
    text = data[:20000].decode("utf-8", "replace")
    try:
        found = json.loads(text)
        items = found if isinstance(found, list) else [found]
        parts = [str(i.get("description") or i.get("error") or "") for i in items if isinstance(i, dict)]
        if any(parts):
            return "; ".join(p for p in parts if p)[:1000]
    except ValueError:
        pass
    try:
        import xml.etree.ElementTree as ET

        root = ET.fromstring(text.lstrip())  # noqa: S314 - a small answer from an admin-set endpoint
        parts = [e.text or "" for e in root.iter("description")]
        if any(parts):
            return "; ".join(p.strip() for p in parts if p.strip())[:1000]
    except ET.ParseError:
        pass
    return " ".join(text.split())[:300]


def _post(contact: Contact, path: str, params: dict):
    """POST a form to the contact's Open311 endpoint; the first item of its JSON answer. An HTTP
    error raises Open311Refused with the endpoint's own error description."""
    if contact.api_key:
        params["api_key"] = contact.api_key
    if contact.jurisdiction_id:
        params["jurisdiction_id"] = contact.jurisdiction_id
    url = contact.endpoint.rstrip("/") + path
    data = urllib.parse.urlencode(params, doseq=True).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=15) as resp:  # noqa: S310 - admin-set http(s) endpoint
            payload = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            body = exc.read() or b""
        except OSError:
            body = b""
        raise Open311Refused(exc.code, _error_descriptions(body)) from exc
    item = payload[0] if isinstance(payload, list) and payload else payload
    if not isinstance(item, dict):
        raise RuntimeError("unexpected answer")
    return item


def send_open311(report: Report, send: Send) -> str | None:
    """POST the report to the contact's Open311 endpoint; returns the body's request id."""
    contact = _contact(send)
    params = {
        # The body's own code for this category where the contact names one.
        "service_code": contact.service_code or report.category.code,
        "lat": f"{report.lat:.6f}", "long": f"{report.lon:.6f}",
        "description": (description(report) or report.title)[:4000],
        "email": report.email,
        # One name field: sent whole as first_name (never split into first/last).
        "first_name": report.name or "",
        "last_name": "",
        "address_string": report.address or "",
    }
    if report.photos:
        params["media_url"] = _link("reports.photo", key=report.photos[0].key, size="full")
    for key, value in (report.attributes or {}).items():
        params[f"attribute[{key}]"] = value
    item = _post(contact, "/requests.json", params)
    if item.get("code") and not (item.get("service_request_id") or item.get("token")):
        raise RuntimeError(f"{item.get('code')}: {item.get('description')}")
    return str(item.get("service_request_id") or item.get("token") or "") or None


# -- updates forwarded to bodies reached by Open311 --------------------------------------
class _NotYet(Exception):
    """The report itself has not reached the body yet: try the update later."""


class _Moot(Exception):
    """The report itself will never reach the body: nothing to update there."""


def forward_update_open311(report: Report, upd: Update) -> list[Send]:
    """Record a public update for each body the report goes to by Open311; the job POSTs it to
    the body's servicerequestupdates endpoint (FixMyStreet's extension) where it has one."""
    made = []
    for s in report.sends:
        if s.method != "open311" or s.status not in ("pending", "sent"):
            continue
        if upd.body_id and upd.body_id == s.body_id:  # it came from that body
            continue
        done = db.session.scalar(select(Send.id).where(Send.update_id == upd.id, Send.body_id == s.body_id))
        if done is None:
            fwd = Send(report_id=report.id, update_id=upd.id, body_id=s.body_id, body_name=s.body_name,
                       contact_id=s.contact_id, method="open311", status="pending", attempts=0,
                       next_attempt_at=utcnow())
            db.session.add(fwd)
            made.append(fwd)
    db.session.flush()
    return made


def send_open311_update(send: Send) -> str | None:
    report = db.session.get(Report, send.report_id)
    first = next((s for s in report.sends if s.body_id == send.body_id and s.method == "open311"), None)
    if first is None or first.status in ("failed", "superseded"):
        raise _Moot("the report itself was not sent to this body")
    if first.status != "sent" or not first.external_id:
        raise _NotYet
    upd = db.session.get(Update, send.update_id)
    closed = report.state in S.FIXED_STATES + S.CLOSED_STATES
    params = {"service_request_id": first.external_id, "update_id": str(upd.id),
              "updated_datetime": (upd.confirmed_at or upd.created_at).astimezone(dt.UTC).isoformat(
                  timespec="seconds"),
              "status": "CLOSED" if closed else "OPEN", "description": upd.text[:4000],
              "email": upd.email or "", "first_name": upd.name or "", "last_name": ""}
    if upd.photos:
        params["media_url"] = _link("reports.photo", key=upd.photos[0].key, size="full")
    item = _post(_contact(send), "/servicerequestupdates.json", params)
    if item.get("code") and not item.get("update_id"):
        raise RuntimeError(f"{item.get('code')}: {item.get('description')}")
    return str(item.get("update_id") or "") or None


def _unsupported(exc) -> bool:
    """An endpoint without the updates extension answers 404 (or 501) to it."""
    code = exc.status if isinstance(exc, Open311Refused) else getattr(exc, "code", None)
    return isinstance(exc, (Open311Refused, urllib.error.HTTPError)) and code in (404, 405, 501)


# -- the job ---------------------------------------------------------------------------
def _fail(send: Send, exc: Exception) -> None:
    send.attempts += 1
    send.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if send.attempts >= MAX_ATTEMPTS or getattr(exc, "permanent", False):  # a 400 stays a 400
        send.status = "failed"
    else:
        send.next_attempt_at = utcnow() + BASE_DELAY * (2 ** (send.attempts - 1))
    log.warning("Open311 send %s failed: %s", send.id, exc)


def process_sends(limit: int = 50) -> tuple[int, int]:
    """The registered job: try due Open311 sends (reports, then forwarded updates; failures back
    off and end up 'failed'), and record email sends the outbox has delivered or given up on."""
    now = utcnow()
    rows = list(db.session.scalars(
        select(Send).where(Send.status == "pending", Send.method == "open311", Send.next_attempt_at <= now)
        .order_by(Send.update_id.is_not(None), Send.id).limit(limit)
    ))
    ok = bad = 0
    for send in rows:
        report = db.session.get(Report, send.report_id)
        if report.state == "hidden":
            send.status = "superseded"
            db.session.commit()
            continue
        try:
            if send.update_id is None:
                _mark_sent(report, send, send_open311(report, send))
            else:
                send.external_id = send_open311_update(send)
                send.status, send.sent_at, send.last_error = "sent", utcnow(), None
            ok += 1
        except _NotYet:
            send.next_attempt_at = utcnow() + BASE_DELAY
        except _Moot as exc:
            send.status, send.last_error = "superseded", str(exc)
        except (OSError, ValueError, RuntimeError, urllib.error.URLError) as exc:
            if send.update_id is not None and _unsupported(exc):
                send.status, send.last_error = "unsupported", f"{type(exc).__name__}: {exc}"[:2000]
            else:
                bad += 1
                _fail(send, exc)
        db.session.commit()
    done, failed = follow_outbox()
    db.session.commit()
    return ok + done, bad + failed


def follow_outbox(limit: int = 500) -> tuple[int, int]:
    """Email sends follow their outbox mail: delivered -> sent, given up -> failed, retrying ->
    its attempts and error. The caller commits."""
    rows = db.session.execute(
        select(Send, OutboxMessage).outerjoin(OutboxMessage, OutboxMessage.id == Send.outbox_id)
        .where(Send.status == "queued", or_(OutboxMessage.id.is_(None), OutboxMessage.status != "pending",
                                            OutboxMessage.attempts != Send.attempts))
        .order_by(Send.id).limit(limit)
    ).all()
    done = failed = 0
    for send, mail in rows:
        report = db.session.get(Report, send.report_id)
        if mail is None or mail.status == "sent":  # (a removed outbox row was handed over)
            _mark_sent(report, send, at=mail.sent_at if mail is not None else None)
            done += 1
            continue
        send.attempts, send.last_error = mail.attempts, mail.last_error
        if mail.status == "failed":
            send.status = "failed"
            failed += 1
    return done, failed


def retry_send(send_id: int) -> bool:
    """Try a failed or waiting send again now (an email send: its outbox mail). The caller commits."""
    send = db.session.get(Send, send_id)
    if send is None or send.status in ("sent", "superseded"):
        return False
    if send.method == "email":
        if not send.outbox_id or not _outbox.retry(send.outbox_id):
            return False
        send.status = "queued"
        return True
    send.status, send.next_attempt_at = "pending", utcnow()
    send.attempts = min(send.attempts, MAX_ATTEMPTS - 1)
    return True


# -- for admins ----------------------------------------------------------------------------
def list_sends(report_id: int) -> list[Send]:
    """Every send of a report, its forwarded updates included, oldest first."""
    return list(db.session.scalars(select(Send).where(Send.report_id == report_id).order_by(Send.id)))


def problem_sends(limit: int = 200) -> list[Send]:
    """Failed sends and sends that are being retried, newest first."""
    return list(db.session.scalars(
        select(Send).where(or_(Send.status == "failed",
                               Send.status.in_(("pending", "queued")) & (Send.attempts > 0)))
        .order_by(Send.id.desc()).limit(limit)))


def minutes_after(report: Report, send: Send) -> int:
    if not send.sent_at:
        return 0
    return max(0, int((send.sent_at - report.created_at).total_seconds() // 60))
