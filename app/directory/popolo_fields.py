"""Reading a Popolo file's fields: dates, partial dates, language tags, lists, text, ids and
identifiers, each with a clear message naming where in the file a bad value is."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from . import langtags
from .popolo_export import SOURCE_SCHEME
from .popolo_layouts import PopoloError

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_date(value, end=False, where="") -> dt.date | None:
    if value in (None, ""):
        return None
    m = _DATE.match(str(value))
    if not m:
        raise PopoloError(f"{where}: '{value}' is not a date (YYYY-MM-DD).")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if mo is None:
            return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
        mo = int(mo)
        if d is None:
            return dt.date(y, mo, calendar.monthrange(y, mo)[1] if end else 1)
        return dt.date(y, mo, int(d))
    except ValueError as exc:
        raise PopoloError(f"{where}: '{value}' is not a valid date.") from exc


def partial_date(value, where) -> str | None:
    if value in (None, ""):
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}){0,2}", str(value)):
        raise PopoloError(f"{where}: '{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD).")
    return str(value)


def lang(value, where):
    try:
        return langtags.normalise(value)
    except ValueError as exc:
        raise PopoloError(f"{where}: '{value}' is not a language tag.") from exc


def as_list(obj, key, where) -> list:
    value = obj.get(key) or []
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        raise PopoloError(f"{where}: '{key}' must be a list of objects.")
    return value


def text(obj, key, where, required=False, limit=300) -> str | None:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise PopoloError(f"{where}: '{key}' is missing.")
        return None
    if not isinstance(value, (str, int, float)):
        raise PopoloError(f"{where}: '{key}' must be text.")
    return str(value).strip()[:limit]


def source_id(item: dict, file_id: str) -> str:
    """Where the entity first came from: a Plaza export's `plaza-source` identifier, else the file's id."""
    for ident in item.get("identifiers") or []:
        if isinstance(ident, dict) and ident.get("scheme") == SOURCE_SCHEME and ident.get("identifier"):
            return str(ident["identifier"]).strip()[:200]
    return file_id


def other_identifiers(item: dict, where: str) -> list:
    """`identifiers` and `other_identifiers` (voteit-data's name for the same), without Plaza's own."""
    both = as_list(item, "identifiers", where) + as_list(item, "other_identifiers", where)
    seen, out = set(), []
    for i in both:
        key = (i.get("scheme"), str(i.get("identifier")))
        if i.get("scheme") != SOURCE_SCHEME and key not in seen:
            seen.add(key)
            out.append(i)
    return out


def images(item: dict, where: str) -> list:
    return [
        {
            k: v
            for k, v in (
                ("url", text(i, "url", f"{where} images", required=True, limit=1000)),
                ("note", text(i, "note", where, limit=200)),
            )
            if v
        }
        for i in as_list(item, "images", where)
    ]
