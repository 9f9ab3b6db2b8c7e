"""Open311 GeoReport v2 server at /open311/v2/ (see docs/api-open311.md)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app, request

from ..core.ids import parse_id
from ..core.models import utcnow
from ..core.profile import current_profile
from ..extensions import db
from . import questions as Q
from . import states as S
from .blueprint import open311_bp
from .georeport import FORMATS, answer, arg, date_range, error_response, errors, intake, single, when
from .models import Category, Report
from .open311_keys import client_key, key_rate_limit
from .open311_queries import place_of
from .operations import create_report
from .queries import (
    categories_at,
    categories_by_code,
    category_by_code,
    get_public,
    open311_requests,
    report_by_open311_token,
    user_is_banned,
)
from .sending import description as full_text
from .settings import link
from .text import xml_safe

MAX_DESCRIPTION = 4000
MAX_ROWS = 1000
DEFAULT_DAYS = 90


@open311_bp.after_request
def allow_readers(resp):
    """Open data: any site's script may read the public GET resources (as MapIt and Popolo here).
    Writes need an API key and stay same-origin for browsers (no CORS on POST)."""
    if request.method == "GET":
        resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def _fmt(fmt):
    return fmt if fmt in FORMATS else None


@open311_bp.before_request
def known_jurisdiction():
    """jurisdiction_id is optional; when given it must be this server's (OPEN311_JURISDICTIONS)."""
    wanted = arg("jurisdiction_id")
    if wanted and wanted not in jurisdictions():
        return error_response(404, f"jurisdiction_id {wanted[:50]} not found")
    return None


def jurisdictions() -> list[str]:
    """The jurisdiction ids this server answers to: the configured ones, else the site's host."""
    configured = current_app.config.get("OPEN311_JURISDICTIONS")
    if configured:
        return [configured] if isinstance(configured, str) else list(configured)
    return [urlsplit(current_app.config["SERVER_BASE_URL"]).hostname or ""]


_arg = arg


def _known(text: str, size: int = 200) -> bool:
    """A code or token worth looking up (else it is simply not found)."""
    return 0 < len(text) <= size and xml_safe(text) == text


# -- discovery and services ------------------------------------------------------------
@open311_bp.route("/discovery.<fmt>")
def discovery(fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    base = current_app.config["SERVER_BASE_URL"].rstrip("/") + "/open311/v2/"
    obj = {
        "changeset": "2024-01-01T00:00:00+00:00",
        "contact": current_app.config.get("MAIL_DEFAULT_SENDER", ""),
        "key_service": "Ask the site's administrators for an API key.",
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": "2024-01-01T00:00:00+00:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    if fmt == "xml":
        xml_obj = dict(obj)
        xml_obj["endpoints"] = [
            ("endpoint", dict(e, formats=[("format", f) for f in e["formats"]])) for e in obj["endpoints"]
        ]
        return single(fmt, "discovery", xml_obj)
    return single(fmt, "discovery", obj)


def _service(cat: Category, tag: str) -> dict:
    return {
        "service_code": cat.code,
        "service_name": cat.label(tag),
        "description": cat.text("hints", tag) or "",
        "metadata": bool(cat.attributes),
        "type": "realtime",
        "keywords": "",
        "group": cat.group or "",
    }


def _tag():
    prof = current_profile()
    wanted = request.args.get("locale") or request.args.get("lang") or ""
    # Any tag: a category's name in that language when it has one, else its default name.
    return wanted[:35] if wanted else prof.default_language


@open311_bp.route("/services.<fmt>")
def services(fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    cats = categories_by_code()
    return answer(fmt, "services", "service", [_service(c, _tag()) for c in cats])


@open311_bp.route("/services/<code>.<fmt>")
def service_definition(code, fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    cat = category_by_code(code) if _known(code) else None
    if cat is None:
        return errors(fmt, 404, f"service_code {xml_safe(code)} not found")
    attrs, tag = [], _tag()
    for i, a in enumerate(cat.attributes or [], start=1):
        values = [{"key": str(v.get("key")), "name": Q.choice_name(v, tag)} for v in a.get("values", [])]
        attrs.append(
            {
                "variable": bool(a.get("variable", True)),
                "code": a["code"],
                "datatype": a.get("datatype", "string"),
                "required": bool(a.get("required", False)),
                "datatype_description": a.get("datatype_description", ""),
                "order": i,
                "description": Q.description(a, tag, empty=""),
                "values": [("value", v) for v in values] if fmt == "xml" else values,
            }
        )
    attributes = [("attribute", a) for a in attrs] if fmt == "xml" else attrs
    return single(fmt, "service_definition", {"service_code": cat.code, "attributes": attributes})


# -- requests -------------------------------------------------------------------------
def _request_obj(r: Report, tag: str) -> dict:
    # The bodies it is routed to, delivered yet or not; each name in that body's own language.
    agency = ", ".join(dict.fromkeys(s.body_name for s in r.sends if s.status != "superseded"))
    photo = r.photos[0] if r.photos else None
    return {
        "service_request_id": str(r.id),
        "status": S.open311_status(r.state),
        "status_notes": S.state_label(r.state),
        "service_name": r.category.label(tag),
        "service_code": r.category.code,
        "description": full_text(r),
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": when(r.created_at),
        "updated_datetime": when(r.lastupdate_at),
        "expected_datetime": None,
        "address": r.address or "",
        "address_id": "",
        "zipcode": "",
        "lat": r.lat,
        "long": r.lon,
        "media_url": link("reports.photo", key=photo.key, size="full") if photo else "",
    }


@open311_bp.route("/requests.<fmt>", methods=["GET"])
def requests_list(fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    ids = _arg("service_request_id")
    start_d = end_d = None
    status = _arg("status")
    if not ids:  # the ids override every other filter
        dates, problem = date_range(fmt)
        if problem:
            return problem
        start_d, end_d = dates
        if start_d is None and end_d is None:
            start_d = utcnow() - dt.timedelta(days=DEFAULT_DAYS)
        if status and not set(status.lower().split(",")) <= {"open", "closed"}:
            return errors(fmt, 400, "status must be open or closed")
    rows = open311_requests(
        ids=ids, start=start_d, end=end_d, codes=_arg("service_code"), status=status, limit=MAX_ROWS
    )
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
        report = report_by_open311_token(token)
    if report is None:
        return errors(fmt, 404, f"token {xml_safe(token)[:50]} not found")
    return answer(fmt, "service_requests", "request", [{"service_request_id": str(report.id), "token": token}])


MAX_ANSWER = 2000
_ANSWER_PROBLEMS = {
    "number": "must be a number",
    "datetime": "must be a W3C datetime",
    "singlevaluelist": "must be one of the values allowed",
    "multivaluelist": "must be values allowed",
}


def _attributes(cat: Category):
    """attribute[CODE] answers checked exactly as the web form checks them (questions.check_answers):
    (answers, problems). Problems name the attribute, in English like every Open311 error."""

    def getlist(name):
        return [intake(v) for v in request.form.getlist(name)]

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
    problems = [
        f"{name} is longer than {size} characters" for name, size in FIELD_MAX.items() if len(_arg(name) or "") > size
    ]
    email = _arg("email")
    if email and len(email) <= FIELD_MAX["email"]:
        try:
            validate_email(email, check_deliverability=False)
        except EmailNotValidError:
            problems.append("email is not a valid email address")
    return problems


MAX_MEDIA_URL = 500


def _location() -> tuple[float | None, float | None]:
    """lat and long; without them, the address_string as the areas component's place search
    places it (the spec's "lat/long or address_string"); else (None, None)."""
    try:
        lat, lon = float(_arg("lat") or "x"), float(_arg("long") or "x")
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            return lat, lon
    except ValueError:
        pass
    address = _arg("address_string")
    if _arg("lat") is None and _arg("long") is None and address and len(address) <= FIELD_MAX["address_string"]:
        return place_of(address) or (None, None)
    return None, None


def _web_link(url: str) -> bool:
    """An http(s) URL with a host, short enough to keep. It is stored, never fetched."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return len(url) <= MAX_MEDIA_URL and parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


@open311_bp.route("/requests.<fmt>", methods=["POST"])
@key_rate_limit
def requests_create(fmt):
    if not _fmt(fmt):
        return errors("json", 404, "unknown format")
    key, refused = client_key(fmt)
    if refused:
        return refused
    code = _arg("service_code")
    if not code:
        return errors(fmt, 400, "service_code is required")
    cat = category_by_code(code)
    if cat is None:
        return errors(fmt, 404, f"service_code {code} not found")
    problems = []
    lat, lon = _location()
    if lat is None:
        problems.append("lat and long, or an address_string this server can place, are required")
    media_url = _arg("media_url")
    if media_url and not _web_link(media_url):
        problems.append(f"media_url must be an http or https URL of at most {MAX_MEDIA_URL} characters")
    description = intake(request.form.get("description") or "")
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
        category=cat,
        title=title,
        detail=description.strip(),
        lat=lat,
        lon=lon,
        name=name,
        email=email or "",
        show_name=False,
        language=current_profile().default_language,
        source="open311",
        api_key_id=key.id,
        attributes=answers,
        address=_arg("address_string"),
        phone=_arg("phone"),
        media_url=media_url,
    )
    db.session.commit()
    return answer(
        fmt,
        "service_requests",
        "request",
        [{"service_request_id": str(report.id), "service_notice": "", "account_id": ""}],
    )
