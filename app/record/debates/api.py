"""Speeches as Popolo JSON under /record/api/speeches (valid against the Popolo speech schema)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from flask import current_app, jsonify, request, url_for

from ...core.ids import parse_id, parse_page
from ..blueprint import api_bp
from . import queries


def _moment(day: dt.date | None, time: str | None) -> str | None:
    """The sitting's date and the recorded wall-clock time in the profile's zone, as RFC 3339 UTC."""
    if day is None:
        return None
    hours, minutes = (int(x) for x in time.split(":")[:2]) if time else (0, 0)
    zone = zoneinfo.ZoneInfo(current_app.extensions["plaza_profile"].timezone)
    local = dt.datetime.combine(day, dt.time(hours, minutes), zone)
    return local.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def popolo_speech(s) -> dict:
    out = {
        "id": str(s.id),
        "type": s.kind,
        "attribution_text": s.attribution or None,
        "text": s.text,
        "position": s.position,
        "event_id": f"debate-{s.debate_id}",
        "sources": [{"url": url_for("record.speech", speech_id=s.id, _external=True)}],
    }
    if s.person_id:
        out["creator_id"] = str(s.person_id)
    if s.role:
        out["role"] = s.role
    moment = _moment(s.date, s.start_time)
    if moment:
        out["date"] = moment
    return out


@api_bp.route("/speeches")
def speeches():
    """?person=<directory id>&debate=<id>&page=<n>: 100 speeches a page, newest sitting first."""
    person = parse_id(request.args.get("person")) if request.args.get("person") else None
    debate = parse_id(request.args.get("debate")) if request.args.get("debate") else None
    if (request.args.get("person") and person is None) or (request.args.get("debate") and debate is None):
        return jsonify({"error": "person and debate must be positive whole numbers"}), 400
    page = parse_page(request.args.get("page"))
    rows, has_next = queries.api_speeches(person, debate, page)
    body = {"speeches": [popolo_speech(s) for s in rows], "page": page}
    if has_next:
        args = {k: v for k, v in (("person", person), ("debate", debate)) if v}
        body["next"] = url_for("record_api.speeches", page=page + 1, _external=True, **args)
    return jsonify(body)
