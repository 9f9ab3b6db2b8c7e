"""GeoReport v2 answers: JSON or XML lists, single objects and errors, as Open311 clients expect."""

from __future__ import annotations

import datetime as dt
import json
from xml.sax.saxutils import escape

from flask import Response, request

from .text import xml_safe

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
