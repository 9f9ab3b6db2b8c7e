"""Authority statistics: requests, share answered in time, share overdue now, share successful."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from . import services
from .models import FoiRequest

SUCCESSFUL = ("successful", "partially_successful")


def answered_in_time(req: FoiRequest) -> bool:
    """The first real reply (not a bounce or an automatic reply) came on or before the due date."""
    first = next((m for m in req.messages if m.direction == "in" and not m.is_auto_reply and not m.is_bounce), None)
    return bool(first and req.due_on and first.created_at.date() <= req.due_on)


def authority_stats(authority_id: int, today=None) -> dict:
    """Counts over the authority's public requests (listed or not); shares are None with no requests."""
    rows = db.session.scalars(select(FoiRequest).where(
        FoiRequest.authority_id == authority_id, FoiRequest.prominence.in_(("normal", "backpage")))).all()
    total = len(rows)
    shown = [services.display_state(r, today) for r in rows]

    def share(count):
        return count / total if total else None

    return {
        "total": total,
        "in_time": share(sum(1 for r in rows if answered_in_time(r))),
        "overdue": share(sum(1 for s in shown if s.startswith("waiting_response_"))),
        "successful": share(sum(1 for s in shown if s in SUCCESSFUL)),
    }
