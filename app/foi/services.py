"""FOI's public door: what other components ask of it. Everything else in app/foi is internal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.mail import reply_address
from . import queries


@dataclass(frozen=True)
class OverdueCounts:
    overdue: int
    very_overdue: int

    def __iter__(self):  # (overdue, very overdue), as the dashboard unpacks them
        return iter((self.overdue, self.very_overdue))


def created_times(since: dt.datetime) -> list[dt.datetime]:
    """When each request was made since `since` (UTC), for dashboard charts."""
    return queries.created_times(since)


def overdue_counts(today: dt.date | None = None) -> OverdueCounts:
    """Requests overdue and very overdue now, counted as the public list filters them."""
    return OverdueCounts(*queries.overdue_counts(today))


def request_address(req) -> str:
    """The address a request's mail is sent from and answered to."""
    return reply_address("request", req.id)
