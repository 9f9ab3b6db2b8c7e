"""Sending by Open311: the send job POSTs the report to the body's GeoReport endpoint, and public
updates to its servicerequestupdates endpoint (FixMyStreet's extension) where it has one."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

from sqlalchemy import select

from ...core.models import utcnow
from ...extensions import db
from .. import states as S
from ..models import Contact, Report, Send, Update
from ..settings import link
from .base import SendMethod


def description(report: Report) -> str:
    """The report's text as one Open311 description. A report posted by Open311 keeps the
    client's text whole in `detail` (its title is only that text's first line); a web report
    has a separate title, put in front."""
    if report.source == "open311":
        return report.detail
    return report.title + ("\n\n" + report.detail if report.detail else "")


class Open311Refused(RuntimeError):
    """The endpoint answered with an HTTP error; `status` is its code, the message its GeoReport
    error descriptions. A 4xx (but 408 and 429) will not change by trying again."""

    def __init__(self, status: int, description: str):
        super().__init__(f"HTTP {status}: {description}" if description else f"HTTP {status}")
        self.status = status
        self.permanent = 400 <= status < 500 and status not in (408, 429)


class NotYet(Exception):
    """The report itself has not reached the body yet: try the update later."""


class Moot(Exception):
    """The report itself will never reach the body: nothing to update there."""


def _contact(send: Send) -> Contact:
    contact = db.session.get(Contact, send.contact_id) if send.contact_id else None
    if contact is None or not contact.endpoint:
        raise RuntimeError("no Open311 endpoint")
    return contact


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
    req = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
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


def unsupported(exc) -> bool:
    """An endpoint without the updates extension answers 404 (or 501) to it."""
    code = exc.status if isinstance(exc, Open311Refused) else getattr(exc, "code", None)
    return isinstance(exc, (Open311Refused, urllib.error.HTTPError)) and code in (404, 405, 501)


class Open311Send(SendMethod):
    name = "open311"

    def deliver(self, report: Report, send: Send) -> str | None:
        """POST the report to the contact's Open311 endpoint; returns the body's request id."""
        contact = _contact(send)
        params = {
            # The body's own code for this category where the contact names one.
            "service_code": contact.service_code or report.category.code,
            "lat": f"{report.lat:.6f}",
            "long": f"{report.lon:.6f}",
            "description": (description(report) or report.title)[:4000],
            "email": report.email,
            # One name field: sent whole as first_name (never split into first/last).
            "first_name": report.name or "",
            "last_name": "",
            "address_string": report.address or "",
        }
        if report.photos:
            params["media_url"] = link("reports.photo", key=report.photos[0].key, size="full")
        elif report.media_url:  # the link the reporting client gave (its own photo)
            params["media_url"] = report.media_url
        for key, value in (report.attributes or {}).items():
            params[f"attribute[{key}]"] = value
        item = _post(contact, "/requests.json", params)
        if item.get("code") and not (item.get("service_request_id") or item.get("token")):
            raise RuntimeError(f"{item.get('code')}: {item.get('description')}")
        return str(item.get("service_request_id") or item.get("token") or "") or None

    def forward_update(self, report: Report, upd: Update) -> None:
        """Record the update for each body the report goes to by Open311; the job POSTs it."""
        for s in report.sends:
            if s.method != "open311" or s.status not in ("pending", "sent"):
                continue
            if upd.body_id and upd.body_id == s.body_id:  # it came from that body
                continue
            done = db.session.scalar(select(Send.id).where(Send.update_id == upd.id, Send.body_id == s.body_id))
            if done is None:
                db.session.add(
                    Send(
                        report_id=report.id,
                        update_id=upd.id,
                        body_id=s.body_id,
                        body_name=s.body_name,
                        contact_id=s.contact_id,
                        method="open311",
                        status="pending",
                        attempts=0,
                        next_attempt_at=utcnow(),
                    )
                )
        db.session.flush()

    def deliver_update(self, send: Send) -> str | None:
        report = db.session.get(Report, send.report_id)
        first = next((s for s in report.sends if s.body_id == send.body_id and s.method == "open311"), None)
        if first is None or first.status in ("failed", "superseded"):
            raise Moot("the report itself was not sent to this body")
        if first.status != "sent" or not first.external_id:
            raise NotYet
        upd = db.session.get(Update, send.update_id)
        closed = report.state in S.FIXED_STATES + S.CLOSED_STATES
        params = {
            "service_request_id": first.external_id,
            "update_id": str(upd.id),
            "updated_datetime": (upd.confirmed_at or upd.created_at).astimezone(dt.UTC).isoformat(timespec="seconds"),
            "status": "CLOSED" if closed else "OPEN",
            "description": upd.text[:4000],
            "email": upd.email or "",
            "first_name": upd.name or "",
            "last_name": "",
        }
        if upd.photos:
            params["media_url"] = link("reports.photo", key=upd.photos[0].key, size="full")
        item = _post(_contact(send), "/servicerequestupdates.json", params)
        if item.get("code") and not item.get("update_id"):
            raise RuntimeError(f"{item.get('code')}: {item.get('description')}")
        return str(item.get("update_id") or "") or None
