"""Reads for Open311 alone: the changes a client pulls (GET servicerequestupdates), where an address is."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..areas import services as areas
from ..extensions import db
from . import states as S
from .models import Report, Update
from .queries import json_list_has


def body_updates(*, body_id=None, api_key_id=None, start=None, end=None, limit=1000) -> list[tuple[Update, Report]]:
    """Public staff and body updates on public reports, oldest first (a client replays them in
    order): on reports routed to `body_id` (updates by that body or by staff of no body), or,
    for a reporting app's key, on the reports that key created. Published between start and end."""
    stmt = (
        select(Update, Report)
        .join(Report, Report.id == Update.report_id)
        .where(
            Report.state.in_(S.PUBLIC_STATES),
            Update.kind.in_(("staff", "body")),
            Update.confirmed_at.is_not(None),
            Update.hidden_at.is_(None),
        )
    )
    if body_id is not None:
        stmt = stmt.where(
            json_list_has(Report.body_ids, [body_id]), or_(Update.body_id == body_id, Update.body_id.is_(None))
        )
    else:
        stmt = stmt.where(Report.api_key_id == api_key_id)
    if start is not None:
        stmt = stmt.where(Update.confirmed_at >= start)
    if end is not None:
        stmt = stmt.where(Update.confirmed_at <= end)
    stmt = stmt.options(selectinload(Update.photos)).order_by(Update.confirmed_at, Update.id).limit(limit)
    return [(u, r) for u, r in db.session.execute(stmt)]


def place_of(address: str) -> tuple[float, float] | None:
    """The point the areas component's place search gives first for an address (coordinates, a
    postcode or an area's name), else None."""
    found = areas.search_places(address, limit=1)
    return (found[0].lat, found[0].lon) if found else None
