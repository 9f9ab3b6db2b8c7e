"""GeoReport v2 answers: JSON or XML lists, single objects and errors, as Open311 clients expect."""

from __future__ import annotations

import datetime as dt
import json
from xml.sax.saxutils import escape

from flask import Response, request

from .text import one_line_ending, xml_safe

FORMATS = ("json", "xml")


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
    return Response(
        json.dumps(items, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def single(fmt, root, obj, status=200):
    if fmt == "xml":
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + _xml_value(root, obj)
        return Response(body, status=status, content_type="text/xml; charset=utf-8")
    return Response(json.dumps(obj, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8")


def errors(fmt, status, *problems):
    items = [{"code": str(status), "description": text} for text in problems]
    return answer(fmt, "errors", "error", items, status)


def error_response(code: int, description: str):
    """Errors raised outside the Open311 views (unknown path, wrong method, too large, a crash)
    in GeoReport's own shape and in the format the URL asked for."""
    fmt = "xml" if request.path.rsplit(".", 1)[-1].lower() == "xml" else "json"
    return errors(fmt, code, description)


def when(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds") if value else None


def intake(text):
    """Every Open311 text as it comes in: characters XML forbids dropped, line endings made LF."""
    return one_line_ending(xml_safe(text))


def arg(name):
    """A request parameter; an empty parameter is the same as an absent one."""
    value = intake(request.values.get(name))
    return value.strip() if value and value.strip() else None


def parse_date(value):
    """A W3C datetime in UTC, or None (also for one past the calendar's ends)."""
    try:
        d = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return (d if d.tzinfo else d.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def date_range(fmt):
    """start_date and end_date: ((start, end), None), or (None, an error answer)."""
    start, end = arg("start_date"), arg("end_date")
    start_d, end_d = (parse_date(start) if start else None), (parse_date(end) if end else None)
    if (start and start_d is None) or (end and end_d is None):
        return None, errors(fmt, 400, "start_date and end_date must be W3C datetimes")
    if start_d and end_d and end_d < start_d:
        return None, errors(fmt, 400, "end_date is before start_date")
    return (start_d, end_d), None
