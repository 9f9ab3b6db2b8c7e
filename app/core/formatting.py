"""One formatting facade: dates, times, numbers and distances in the request's locale and the
profile's time zone. Templates use the filters registered in register(); never strftime."""

from __future__ import annotations

import datetime as dt
import unicodedata

import flask_babel
from babel import dates as babel_dates
from babel.units import format_unit
from flask import current_app

UTC = dt.UTC


def _aware(value: dt.datetime) -> dt.datetime:
    # Times are stored in UTC; naive values from the database are UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def format_datetime(value, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return format_date(value, fmt)
    return flask_babel.format_datetime(_aware(value), fmt)


def iso_datetime(value) -> str:
    """A machine-readable time (<time datetime>, Atom): whole seconds in UTC with its offset."""
    if value is None:
        return ""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    return _aware(value).astimezone(UTC).replace(microsecond=0).isoformat()


def format_date(value, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = flask_babel.to_user_timezone(_aware(value)).date()
    return flask_babel.format_date(value, fmt)


def format_time(value, fmt: str = "short") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.time):  # a wall-clock time (opening hours): no time zone shift
        return babel_dates.format_time(value, fmt, locale=_locale())
    return flask_babel.format_time(_aware(value), fmt)


def format_number(value) -> str:
    if value is None:
        return ""
    return flask_babel.format_decimal(value)


def format_percent(value) -> str:
    return flask_babel.format_percent(value or 0)


def format_timedelta(value, **kw) -> str:
    return flask_babel.format_timedelta(value, **kw)


def format_relative(value) -> str:
    """'3 days ago' style, relative to now."""
    if value is None:
        return ""
    return flask_babel.format_timedelta(_aware(value) - dt.datetime.now(UTC), add_direction=True)


def format_distance(meters: float | None) -> str:
    """A distance in the profile's unit, e.g. '350 m', '1.2 km', '0.4 mi', '90 yd'."""
    if meters is None:
        return ""
    meters = abs(float(meters))
    unit = current_app.extensions["plaza_profile"].distance_unit
    locale = _locale()
    if unit == "mi":
        miles = meters / 1609.344
        if miles < 0.1:
            return format_unit(round(meters * 1.0936133), "length-yard", "short", locale=locale)
        return format_unit(round(miles, 1), "length-mile", "short", locale=locale)
    if meters < 999.5:
        return format_unit(round(meters), "length-meter", "short", locale=locale)
    return format_unit(round(meters / 1000, 1), "length-kilometer", "short", locale=locale)


def format_filesize(size: int | None) -> str:
    """A file size with CLDR's unit names ('812 bytes', '1.5 kB', '8 MB'), in steps of 1024."""
    if size is None:
        return ""
    size = max(0, int(size))
    locale = _locale()
    if size < 1024:  # CLDR lacks a byte unit name for some languages (Arabic): the catalogs have it
        return flask_babel.ngettext("%(num)s byte", "%(num)s bytes", size)
    for unit in ("digital-kilobyte", "digital-megabyte", "digital-gigabyte"):
        size /= 1024
        if size < 1024 or unit == "digital-gigabyte":
            break
    return format_unit(round(size, 1), unit, "short", locale=locale)


def _locale():
    return flask_babel.get_locale() or "en"


def to_local(value: dt.datetime) -> dt.datetime:
    return flask_babel.to_user_timezone(_aware(value))


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


def parse_digits(text: str) -> str:
    """Turn native digits (Arabic-Indic, Devanagari ...) into ASCII: '١٢' -> '12'."""
    out = []
    for ch in text or "":
        if ch.isdigit() and not ("0" <= ch <= "9"):
            try:
                out.append(str(unicodedata.digit(ch)))
                continue
            except (TypeError, ValueError):
                pass
        out.append(ch)
    return "".join(out).replace("٫", ".").replace("٬", ",")


def register(app) -> None:
    app.jinja_env.filters.update(
        datetime=format_datetime,
        date=format_date,
        time=format_time,
        number=format_number,
        percent=format_percent,
        filesize=format_filesize,
        distance=format_distance,
        relative=format_relative,
        iso=iso_datetime,
    )
