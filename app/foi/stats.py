"""Authority statistics: requests, share answered in time, share overdue now, share successful."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .laws import local_today
from .models import FoiRequest
from .queries import display_state

SUCCESSFUL = ("successful", "partially_successful")


def _first_reply(req: FoiRequest):
    """The first real reply (not a bounce or an automatic reply), or None."""
    return next((m for m in req.messages if m.direction == "in" and not m.is_auto_reply and not m.is_bounce), None)


def answered_in_time(req: FoiRequest) -> bool:
    """The first real reply came on or before the due date."""
    first = _first_reply(req)
    return bool(first and req.due_on and first.created_at.date() <= req.due_on)


def can_judge_timeliness(req: FoiRequest, today) -> bool:
    """Answered, or past its due date: a request still within its time counts neither way."""
    return _first_reply(req) is not None or bool(req.due_on and today > req.due_on)


def authority_stats(authority_id: int, today=None) -> dict:
    """Counts over the authority's public requests (listed or not); shares are None with no requests."""
    rows = db.session.scalars(
        select(FoiRequest).where(
            FoiRequest.authority_id == authority_id, FoiRequest.prominence.in_(("normal", "backpage"))
        )
    ).all()
    total = len(rows)
    today = today or local_today()
    shown = [display_state(r, today) for r in rows]
    judged = [r for r in rows if can_judge_timeliness(r, today)]

    def share(count, of=total):
        return count / of if of else None

    return {
        "total": total,
        "in_time": share(sum(1 for r in judged if answered_in_time(r)), len(judged)),
        "overdue": share(sum(1 for s in shown if s.startswith("waiting_response_"))),
        "successful": share(sum(1 for s in shown if s in SUCCESSFUL)),
    }
