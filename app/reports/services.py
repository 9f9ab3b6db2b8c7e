"""Reports' public door: what other components may ask of reports (small functions returning
frozen dataclasses). Everything else in this package is internal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from . import states as S
from .models import Report
from .settings import current_language_tag


@dataclass(frozen=True)
class ReportSummary:
    """What other components (area pages, dashboards) get."""

    id: int
    title: str
    state: str
    state_label: str
    category: str
    lat: float
    lon: float
    created_at: dt.datetime


def summaries(reports) -> list[ReportSummary]:
    tag = current_language_tag()
    return [
        ReportSummary(r.id, r.title, r.state, S.state_label(r.state), r.category.label(tag), r.lat, r.lon, r.created_at)
        for r in reports
    ]


def created_times(since: dt.datetime) -> list[dt.datetime]:
    """When each confirmed-or-later report was made since `since` (UTC), for dashboard charts."""
    return list(
        db.session.scalars(select(Report.created_at).where(Report.created_at >= since, Report.state != "unconfirmed"))
    )


def unsent_count() -> int:
    """Open reports that no body has been sent yet."""
    return (
        db.session.scalar(
            select(func.count(Report.id)).where(Report.state.in_(S.OPEN_STATES), Report.sent_at.is_(None))
        )
        or 0
    )
