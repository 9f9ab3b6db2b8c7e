"""Open311 servicerequestupdates (FixMyStreet's extension of GeoReport v2): a body's back-end
pushes status changes (POST), and a client pulls the changes on its reports (GET)."""

from __future__ import annotations

import datetime as dt

from flask import request

from ..core.ids import parse_id
from ..core.models import utcnow
from ..extensions import db
from . import states as S
from .blueprint import open311_bp
from .georeport import FORMATS, answer, arg, date_range, errors, intake, parse_date, when
from .open311_keys import client_key, key_rate_limit
from .open311_queries import body_updates
from .queries import get_report, pushed_report, update_by_external_id
from .settings import link
from .updates import body_push

MAX_ROWS = 1000
DEFAULT_DAYS = 90

# FixMyStreet's servicerequestupdates status enum (also accepted as external_status_code), with
# Plaza's state for each; "closed" alone means fixed by the body, as FixMyStreet takes it.
UPDATE_STATUSES = {
    "open": "confirmed",
    "closed": "fixed - council",
    "fixed": "fixed - council",
    "in_progress": "in progress",
    "action_scheduled": "action scheduled",
    "investigating": "investigating",
    "duplicate": "duplicate",
    "not_councils_responsibility": "not responsible",
    "no_further_action": "unable to fix",
    "internal_referral": "investigating",
}


def _update_state(code: str | None) -> str | None:
    """A status or external_status_code: FixMyStreet's enum (any case, "_" or " ") or a Plaza state."""
    text = (code or "").strip().lower()
    if text in S.STAFF_STATES:
        return text
    return UPDATE_STATUSES.get(text.replace(" ", "_").replace("-", "_"))


@open311_bp.route("/servicerequestupdates.<fmt>", methods=["POST"])
@key_rate_limit
def request_update(fmt):
    """A body's back-end pushes a status change (the widely used FixMyStreet extension). Only a key
    issued to that body may: a reporting app's key, or another body's, gets 403."""
    if fmt not in FORMATS:
        return errors("json", 404, "unknown format")
    key, refused = client_key(fmt)
    if refused:
        return refused
    missing = [f for f in ("service_request_id", "update_id", "status", "updated_datetime") if not arg(f)]
    if missing:
        return errors(fmt, 400, *[f"{f} is required" for f in missing])
    rid = arg("service_request_id")
    ours = arg("service_request_id_ext")  # FixMyStreet's field for the site's own id: it decides
    if ours:
        report, problem = get_report(ours), None
        rid = ours
    elif key.body_id is not None:
        report, problem = pushed_report(rid, key.body_id)
    else:
        report, problem = None, None
    if problem:
        return errors(fmt, 400, problem)
    if report is None and key.body_id is None and parse_id(rid) is not None:
        report = get_report(rid)
    if report is None or not report.is_public:
        return errors(fmt, 404, f"service_request_id {rid[:50]} not found")
    if key.body_id is None or key.body_id not in (report.body_ids or []):
        return errors(fmt, 403, "this api_key may not update this service request")
    problems = []
    status = arg("status").lower()
    if status not in UPDATE_STATUSES:
        problems.append("status must be one of " + ", ".join(s.upper() for s in UPDATE_STATUSES))
    external = arg("external_status_code")
    if external and _update_state(external) is None:
        problems.append("external_status_code is not a known status")
    when_given = parse_date(arg("updated_datetime"))
    if when_given is None:
        problems.append("updated_datetime must be a W3C datetime")
    if problems:
        return errors(fmt, 400, *problems)
    ext_id = f"o311:{key.body_id}:{arg('update_id')[:150]}"
    existing = update_by_external_id(ext_id, report.id)
    if existing is not None:
        return answer(fmt, "service_request_updates", "request_update", [{"update_id": str(existing.id)}])
    if _update_state(external):  # the finer code wins over OPEN/CLOSED
        new_state = _update_state(external)
    elif status == "open":
        new_state = report.state if report.state in S.OPEN_STATES else "confirmed"
    elif status == "closed":
        new_state = report.state if report.state not in S.OPEN_STATES else "fixed - council"
    else:
        new_state = UPDATE_STATUSES[status]
    text = intake(request.form.get("description") or "").strip()[:4000]
    if new_state == report.state and not text:
        # Nothing to tell anyone: no update is published or mailed (the push is still answered).
        return answer(fmt, "service_request_updates", "request_update", [{"update_id": arg("update_id")[:150]}])
    existing = body_push(
        report, body_id=key.body_id, new_state=new_state, text=text, external_id=ext_id, at=min(when_given, utcnow())
    )
    db.session.commit()
    return answer(fmt, "service_request_updates", "request_update", [{"update_id": str(existing.id)}])


# The other way round, for GET: the FixMyStreet code that names each Plaza state.
EXTERNAL_CODES = {
    "confirmed": "open",
    "investigating": "investigating",
    "in progress": "in_progress",
    "action scheduled": "action_scheduled",
    "fixed": "fixed",
    "fixed - council": "fixed",
    "fixed - user": "fixed",
    "unable to fix": "no_further_action",
    "not responsible": "not_councils_responsibility",
    "duplicate": "duplicate",
    "closed": "closed",
}


def _update_obj(upd, report) -> dict:
    state = upd.new_state or report.state  # an update that changed nothing: the state today
    photo = upd.photos[0] if upd.photos else None
    return {
        "update_id": str(upd.id),
        "service_request_id": str(report.id),
        "status": S.open311_status(state),
        "updated_datetime": when(upd.confirmed_at),
        "description": upd.text or "",
        "media_url": link("reports.photo", key=photo.key, size="full") if photo else "",
        "external_status_code": EXTERNAL_CODES.get(upd.new_state, "") if upd.new_state else "",
    }


@open311_bp.route("/servicerequestupdates.<fmt>", methods=["GET"])
@key_rate_limit
def request_updates(fmt):
    """The changes staff and the body made to the key's reports (FixMyStreet's pull): for a
    body's key, the reports routed to that body; for a reporting app's key, the reports it sent."""
    if fmt not in FORMATS:
        return errors("json", 404, "unknown format")
    key, refused = client_key(fmt)
    if refused:
        return refused
    dates, problem = date_range(fmt)
    if problem:
        return problem
    start, end = dates
    if start is None and end is None:
        start = utcnow() - dt.timedelta(days=DEFAULT_DAYS)
    if key.body_id is not None:
        rows = body_updates(body_id=key.body_id, start=start, end=end, limit=MAX_ROWS)
    else:
        rows = body_updates(api_key_id=key.id, start=start, end=end, limit=MAX_ROWS)
    return answer(fmt, "service_request_updates", "request_update", [_update_obj(u, r) for u, r in rows])
