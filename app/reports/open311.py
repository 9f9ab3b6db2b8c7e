"""Open311 GeoReport v2 server at /open311/v2/ (see docs/api-open311.md)."""

from __future__ import annotations

import datetime as dt
import json
from xml.sax.saxutils import escape

from email_validator import EmailNotValidError, validate_email
from flask import Response, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..core.ids import parse_id
from ..core.models import utcnow
from ..extensions import db
from . import alerts
from . import questions as Q
from . import states as S
from .blueprint import open311_bp
from .models import Category, Report, Send, Update
from .operations import create_report, set_state
from .queries import categories_at, check_api_key, get_public, public_reports, user_is_banned
from .sending import description as full_text
from .settings import link, profile
from .text import xml_safe

FORMATS = ("json", "xml")
MAX_DESCRIPTION = 4000
MAX_ROWS = 1000
DEFAULT_DAYS = 90


# -- output ---------------------------------------------------------------------------
def _xml_value(tag, value) -> str:
    if isinstance(value, list):
        inner = "".join(_xml_value(item_tag, v) for item_tag, v in value)
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, dict):
        return f"<{tag}>{''.join(_xml_value(k, v) for k, v in value.items())}</{tag}>"
    if value is None:
        return f"<{tag}></{tag}>" if tag else ""
    if isinstance(value, bool):
        value = "true" if value else "false"
    # Characters XML 1.0 forbids are left out: one would make the whole answer unreadable.
    return f"<{tag}>{escape(xml_safe(str(value)))}</{tag}>"


def answer(fmt, root, item, items, status=200):
    """items: a list of dicts (JSON: a top-level array; XML: <root><item>…</item></root>)."""
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + _xml_value(root, [(item, i) for i in items])
        return Response(body, status=status, content_type="text/xml; charset=utf-8")
    return Response(json.dumps(items, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


def single(fmt, root, obj, status=200):
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + _xml_value(root, obj)
        return Response(body, status=status, content_type="text/xml; charset=utf-8")
    return Response(json.dumps(obj, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


def errors(fmt, status, *problems):
    items = [{"code": str(status), "description": text} for text in problems]
    return answer(fmt, "errors", "error", items, status)


@open311_bp.after_request
def allow_readers(resp):
    """Open data: any site's script may read the public GET resources (as MapIt and Popolo here).
    Writes need an API key and stay same-origin for browsers (no CORS on POST)."""
    if request.method == "GET":
        resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def error_response(code: int, description: str):
    """Errors raised outside the Open311 views (unknown path, wrong method, too large, a crash)
    in GeoReport's own shape and in the format the URL asked for."""
    fmt = "xml" if request.path.rsplit(".", 1)[-1].lower() == "xml" else "json"
    return errors(fmt, code, description)


def when(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds") if value else None


def _fmt(fmt):
    return fmt if fmt in FORMATS else None


def _arg(name):
    """An empty parameter is the same as an absent one. Control characters are dropped."""
    value = xml_safe(request.values.get(name))
    return value.strip() if value and value.strip() else None


def _known(text: str, size: int = 200) -> bool:
    """A code or token worth looking up (else it is simply not found)."""
    return 0 < len(text) <= size and xml_safe(text) == text


# -- discovery and services ------------------------------------------------------------
@open311_bp.route("/discovery.<fmt>")
def discovery(fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    base = current_app.config["SERVER_BASE_URL"].rstrip("/") + "/open311/v2/"
    obj = {"changeset": "2024-01-01T00:00:00+00:00", "contact": current_app.config.get("MAIL_DEFAULT_SENDER", ""),
           "key_service": "Ask the site's administrators for an API key.",
           "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                          "changeset": "2024-01-01T00:00:00+00:00", "type": "production",
                          "formats": ["text/xml", "application/json"]}]}
    if fmt == "xml":
        xml_obj = dict(obj)
        xml_obj["endpoints"] = [("endpoint", dict(e, formats=[("format", f) for f in e["formats"]]))
                                for e in obj["endpoints"]]
        return single(fmt, "discovery", xml_obj)
    return single(fmt, "discovery", obj)


def _service(cat: Category, tag: str) -> dict:
    return {"service_code": cat.code, "service_name": cat.label(tag), "description": cat.text("hints", tag) or "",
            "metadata": bool(cat.attributes), "type": "realtime", "keywords": "", "group": cat.group or ""}


def _tag():
    prof = profile()
    wanted = request.args.get("locale") or request.args.get("lang") or ""
    # Any tag: a category's name in that language when it has one, else its default name.
    return wanted[:35] if wanted else prof.default_language


@open311_bp.route("/services.<fmt>")
def services(fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    cats = db.session.scalars(select(Category).order_by(Category.code))
    return answer(fmt, "services", "service", [_service(c, _tag()) for c in cats])


@open311_bp.route("/services/<code>.<fmt>")
def service_definition(code, fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    cat = db.session.scalar(select(Category).where(Category.code == code)) if _known(code) else None
    if cat is None:
        return errors(fmt, 404, f"service_code {xml_safe(code)} not found")
    attrs, tag = [], _tag()
    for i, a in enumerate(cat.attributes or [], start=1):
        values = [{"key": str(v.get("key")), "name": Q.choice_name(v, tag)} for v in a.get("values", [])]
        attrs.append({"variable": bool(a.get("variable", True)), "code": a["code"],
                      "datatype": a.get("datatype", "string"), "required": bool(a.get("required", False)),
                      "datatype_description": a.get("datatype_description", ""), "order": i,
                      "description": Q.description(a, tag, empty=""),
                      "values": [("value", v) for v in values] if fmt == "xml" else values})
    attributes = [("attribute", a) for a in attrs] if fmt == "xml" else attrs
    return single(fmt, "service_definition", {"service_code": cat.code, "attributes": attributes})


# -- requests -------------------------------------------------------------------------
def _request_obj(r: Report, tag: str) -> dict:
    # The bodies it is routed to, delivered yet or not; each name in that body's own language.
    agency = ", ".join(dict.fromkeys(s.body_name for s in r.sends if s.status != "superseded"))
    photo = r.photos[0] if r.photos else None
    return {
        "service_request_id": str(r.id), "status": S.open311_status(r.state),
        "status_notes": S.state_label(r.state), "service_name": r.category.label(tag),
        "service_code": r.category.code, "description": full_text(r),
        "agency_responsible": agency, "service_notice": "",
        "requested_datetime": when(r.created_at), "updated_datetime": when(r.lastupdate_at),
        "expected_datetime": None, "address": r.address or "", "address_id": "", "zipcode": "",
        "lat": r.lat, "long": r.lon,
        "media_url": link("reports.photo", key=photo.key, size="full") if photo else "",
    }


def _date(value):
    """A W3C datetime in UTC, or None (also for one past the calendar's ends)."""
    try:
        d = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return (d if d.tzinfo else d.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


@open311_bp.route("/requests.<fmt>", methods=["GET"])
def requests_list(fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    ids = _arg("service_request_id")
    stmt = public_reports()
    if ids:  # overrides every other filter
        wanted = [n for n in (parse_id(x) for x in ids.split(",")[:MAX_ROWS]) if n is not None]
        stmt = stmt.where(Report.id.in_(wanted or [-1]))
    else:
        start, end = _arg("start_date"), _arg("end_date")
        start_d, end_d = (_date(start) if start else None), (_date(end) if end else None)
        if (start and start_d is None) or (end and end_d is None):
            return errors(fmt, 400, "start_date and end_date must be W3C datetimes")
        if start_d is None and end_d is None:
            start_d = utcnow() - dt.timedelta(days=DEFAULT_DAYS)
        if start_d:
            stmt = stmt.where(Report.created_at >= start_d)
        if end_d:
            stmt = stmt.where(Report.created_at <= end_d)
        codes = _arg("service_code")
        if codes:
            cats = db.session.scalars(select(Category.id).where(Category.code.in_(codes.split(",")[:MAX_ROWS])))
            stmt = stmt.where(Report.category_id.in_(list(cats) or [-1]))
        status = _arg("status")
        if status:
            wanted_states = []
            for s in status.lower().split(","):
                wanted_states += list(S.OPEN_STATES) if s == "open" else (
                    list(S.FIXED_STATES + S.CLOSED_STATES) if s == "closed" else [])
            stmt = stmt.where(Report.state.in_(wanted_states or ["-"]))
    # Sends and photos of all rows in two more queries (not two per row).
    rows = db.session.scalars(stmt.options(selectinload(Report.sends), selectinload(Report.photos))
                              .order_by(Report.created_at.desc(), Report.id.desc()).limit(MAX_ROWS))
    tag = _tag()
    return answer(fmt, "service_requests", "request", [_request_obj(r, tag) for r in rows])


@open311_bp.route("/requests/<request_id>.<fmt>")
def request_one(request_id, fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    number = parse_id(request_id)
    report = get_public(number) if number is not None else None
    if report is None:
        return errors(fmt, 404, f"service_request_id {xml_safe(request_id)[:50]} not found")
    return answer(fmt, "service_requests", "request", [_request_obj(report, _tag())])


@open311_bp.route("/tokens/<token>.<fmt>")
def token(token, fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    report = None
    if _known(token, 40):
        report = db.session.scalar(select(Report).where(Report.token == token, Report.source == "open311"))
    if report is None:
        return errors(fmt, 404, f"token {xml_safe(token)[:50]} not found")
    return answer(fmt, "service_requests", "request", [{"service_request_id": str(report.id), "token": token}])


MAX_ANSWER = 2000
_ANSWER_PROBLEMS = {"number": "must be a number", "datetime": "must be a W3C datetime",
                    "singlevaluelist": "must be one of the values allowed",
                    "multivaluelist": "must be values allowed"}


def _attributes(cat: Category):
    """attribute[CODE] answers checked exactly as the web form checks them (questions.check_answers):
    (answers, problems). Problems name the attribute, in English like every Open311 error."""
    def getlist(name):
        return [xml_safe(v) for v in request.form.getlist(name)]

    questions = cat.attributes or []
    answers, found = Q.check_answers(questions, getlist)
    problems = []
    for q in questions:
        code = q["code"]
        if code in found:
            given = [v for v in getlist(f"attribute[{code}]") if v.strip()]
            reason = "is required" if not given else _ANSWER_PROBLEMS.get(q.get("datatype"), "is not allowed")
            problems.append(f"attribute[{code}] {reason}")
        elif any(len(v) > MAX_ANSWER for v in getlist(f"attribute[{code}]")):
            problems.append(f"attribute[{code}] is longer than {MAX_ANSWER} characters")
    return answers, problems


# Longest values the database keeps (longer ones are a 400, never a database error).
FIELD_MAX = {"address_string": 300, "phone": 50, "email": 254, "first_name": 100, "last_name": 100}


def _field_problems() -> list[str]:
    problems = [f"{name} is longer than {size} characters" for name, size in FIELD_MAX.items()
                if len(_arg(name) or "") > size]
    email = _arg("email")
    if email and len(email) <= FIELD_MAX["email"]:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            problems.append("email is not a valid email address")
    return problems


@open311_bp.route("/requests.<fmt>", methods=["POST"])
def requests_create(fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    key = check_api_key(_arg("api_key"))
    if key is None:
        return errors(fmt, 403, "a valid api_key is required")
    code = _arg("service_code")
    if not code:
        return errors(fmt, 400, "service_code is required")
    cat = db.session.scalar(select(Category).where(Category.code == code))
    if cat is None:
        return errors(fmt, 404, f"service_code {code} not found")
    problems = []
    try:
        lat, lon = float(_arg("lat") or "x"), float(_arg("long") or "x")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except ValueError:
        lat = lon = None
        problems.append("lat and long are required (address_string alone cannot be located)")
    description = xml_safe(request.form.get("description") or "")
    if len(description) > MAX_DESCRIPTION:
        problems.append(f"description is longer than {MAX_DESCRIPTION} characters")
    answers, attr_problems = _attributes(cat)
    problems += attr_problems
    problems += _field_problems()
    email = _arg("email")
    if email and user_is_banned(email=email):
        problems.append("reports from this email address are not accepted")
    if lat is not None and cat.id not in {c.id for c in categories_at(lat, lon)}:
        problems.append("no body receives this service_code at this location")
    if problems:
        return errors(fmt, 400, *problems)
    name = " ".join(x for x in (_arg("first_name"), _arg("last_name")) if x) or _arg("name") or ""
    title = (description.strip().splitlines() or [cat.name])[0][:120] or cat.name
    report = create_report(
        category=cat, title=title, detail=description.strip(), lat=lat, lon=lon, name=name,
        email=email or "", show_name=False, language=profile().default_language, source="open311",
        api_key_id=key.id, attributes=answers, address=_arg("address_string"), phone=_arg("phone"),
    )
    db.session.commit()
    return answer(fmt, "service_requests", "request",
                  [{"service_request_id": str(report.id), "service_notice": "", "account_id": ""}])


# FixMyStreet's servicerequestupdates status enum (also accepted as external_status_code), with
# Plaza's state for each; "closed" alone means fixed by the body, as FixMyStreet takes it.
UPDATE_STATUSES = {
    "open": "confirmed", "closed": "fixed - council", "fixed": "fixed - council",
    "in_progress": "in progress", "action_scheduled": "action scheduled", "investigating": "investigating",
    "duplicate": "duplicate", "not_councils_responsibility": "not responsible",
    "no_further_action": "unable to fix", "internal_referral": "investigating",
}


def _update_state(code: str | None) -> str | None:
    """A status or external_status_code: FixMyStreet's enum (any case, "_" or " ") or a Plaza state."""
    text = (code or "").strip().lower()
    if text in S.STAFF_STATES:
        return text
    return UPDATE_STATUSES.get(text.replace(" ", "_").replace("-", "_"))


def _pushed_report(rid: str, body_id: int):
    """The report a body's push is about: the id the body gave when we sent it the report, or
    Plaza's own id for a report it received by email. (report, None) or (None, problem)."""
    by_external = None
    if len(rid) <= 200:
        send = db.session.scalar(select(Send).where(Send.external_id == rid, Send.body_id == body_id,
                                                    Send.update_id.is_(None)).order_by(Send.id.desc()).limit(1))
        by_external = db.session.get(Report, send.report_id) if send else None
    by_ours = db.session.get(Report, parse_id(rid)) if parse_id(rid) is not None else None
    if by_ours is not None:
        # Plaza's id is what the body knows only where it has no id of its own for that report.
        own_ids = [s.external_id for s in by_ours.sends
                   if s.body_id == body_id and s.update_id is None and s.external_id]
        if own_ids or body_id not in (by_ours.body_ids or []):
            by_ours = None if by_external is not None else by_ours
    if by_external is not None and by_ours is not None and by_external.id != by_ours.id:
        return None, (f"service_request_id {rid[:50]} is ambiguous: it is this body's id for one "
                      f"request and Plaza's id of another; give Plaza's id as service_request_id_ext")
    return by_external or by_ours, None


@open311_bp.route("/servicerequestupdates.<fmt>", methods=["POST"])
def request_update(fmt):
    """A body's back-end pushes a status change (the widely used FixMyStreet extension). Only a key
    issued to that body may: a reporting app's key, or another body's, gets 403."""
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    key = check_api_key(_arg("api_key"))
    if key is None:
        return errors(fmt, 403, "a valid api_key is required")
    missing = [f for f in ("service_request_id", "update_id", "status", "updated_datetime") if not _arg(f)]
    if missing:
        return errors(fmt, 400, *[f"{f} is required" for f in missing])
    rid = _arg("service_request_id")
    ours = _arg("service_request_id_ext")  # FixMyStreet's field for the site's own id: it decides
    if ours:
        report, problem = (db.session.get(Report, parse_id(ours)) if parse_id(ours) else None), None
        rid = ours
    elif key.body_id is not None:
        report, problem = _pushed_report(rid, key.body_id)
    else:
        report, problem = None, None
    if problem:
        return errors(fmt, 400, problem)
    if report is None and key.body_id is None and parse_id(rid) is not None:
        report = db.session.get(Report, parse_id(rid))
    if report is None or not report.is_public:
        return errors(fmt, 404, f"service_request_id {rid[:50]} not found")
    if key.body_id is None or key.body_id not in (report.body_ids or []):
        return errors(fmt, 403, "this api_key may not update this service request")
    problems = []
    status = _arg("status").lower()
    if status not in UPDATE_STATUSES:
        problems.append("status must be one of " + ", ".join(s.upper() for s in UPDATE_STATUSES))
    external = _arg("external_status_code")
    if external and _update_state(external) is None:
        problems.append("external_status_code is not a known status")
    when_given = _date(_arg("updated_datetime"))
    if when_given is None:
        problems.append("updated_datetime must be a W3C datetime")
    if problems:
        return errors(fmt, 400, *problems)
    ext_id = f"o311:{key.body_id}:{_arg('update_id')[:150]}"
    existing = db.session.scalar(select(Update).where(Update.external_id == ext_id, Update.report_id == report.id))
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
    text = xml_safe(request.form.get("description") or "").strip()[:4000]
    if new_state == report.state and not text:
        # Nothing to tell anyone: no update is published or mailed (the push is still answered).
        return answer(fmt, "service_request_updates", "request_update", [{"update_id": _arg("update_id")[:150]}])
    old = set_state(report, new_state)
    existing = Update(report_id=report.id, kind="body", text=text, external_id=ext_id,
                      new_state=report.state if old else None, old_state=old,
                      confirmed_at=min(when_given, utcnow()), body_id=key.body_id)
    db.session.add(existing)
    db.session.flush()
    alerts.notify_update(report, existing)
    db.session.commit()
    return answer(fmt, "service_request_updates", "request_update", [{"update_id": str(existing.id)}])
