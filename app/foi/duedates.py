"""Due dates from the country's law: one function, working or calendar days.

Working days skip the profile's weekend days, the public holidays of the `holidays` package for
the profile's country (in any of its listed subdivisions and categories), the profile's extra holidays and dates added by admins. The
start day is day 0. A calendar-day deadline that lands on a non-working day rolls forward.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as holidays_pkg


@lru_cache(maxsize=256)
def _package_holidays(country: str, subdivision: str, year: int, categories: tuple = ()) -> frozenset:
    if not country:
        return frozenset()
    try:
        found = holidays_pkg.country_holidays(
            country, subdiv=subdivision or None, years=year, categories=categories or None
        )
    except (NotImplementedError, KeyError, ValueError):
        return frozenset()
    return frozenset(found.keys())


class Calendar:
    """Which days are working days for a profile (plus extra dates, e.g. added by admins).

    `subdivision` may name several subdivisions: a day off in any of them is not a working day
    (the UK's FOI Act counts bank holidays "in any part of the United Kingdom"). `categories` are
    the holidays package's (e.g. "public", "government")."""

    def __init__(
        self, weekend=(5, 6), country: str = "", subdivision: str | tuple = "", extra=(), categories: tuple = ()
    ):
        self.weekend = frozenset(weekend)
        self.country = country or ""
        subdivisions = (subdivision,) if isinstance(subdivision, str) else tuple(subdivision)
        self.subdivisions = tuple(s for s in subdivisions if s) or ("",)
        self.categories = tuple(categories)
        self.extra = frozenset(extra)

    @classmethod
    def for_profile(cls, profile, extra=()) -> Calendar:
        return cls(
            profile.weekend,
            profile.holidays_country,
            profile.holidays_subdivisions or profile.holidays_subdivision,
            tuple(profile.extra_holidays) + tuple(extra),
            categories=profile.holidays_categories,
        )

    def is_holiday(self, day: dt.date) -> bool:
        return any(day in _package_holidays(self.country, sub, day.year, self.categories) for sub in self.subdivisions)

    def is_working(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in self.extra and not self.is_holiday(day)

    def add(self, start: dt.date, days: int, day_type: str = "working") -> dt.date:
        return due_date(start, days, day_type, self)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (negative if end is earlier)."""
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working(day):
                count += 1
        return sign * count


def due_date(start: dt.date, days: int, day_type: str, calendar: Calendar) -> dt.date:
    """The last day to answer: `days` working (or calendar) days after `start` (day 0)."""
    if isinstance(start, dt.datetime):
        start = start.date()
    if day_type == "calendar":
        day = start + dt.timedelta(days=days)
        while not calendar.is_working(day):
            day += dt.timedelta(days=1)
        return day
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_working(day):
            counted += 1
    return day
