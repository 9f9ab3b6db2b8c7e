"""The admin dashboard panel: overdue requests and requests needing attention."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import FoiRequest
from .services import OPEN_STATES, display_state


def dashboard_panel():
    attention = db.session.scalars(select(FoiRequest).where(FoiRequest.state.in_(
        ("attention_requested", "requires_admin"))).order_by(FoiRequest.last_event_at.desc()).limit(10)).all()
    waiting = db.session.scalars(select(FoiRequest).where(FoiRequest.state.in_(OPEN_STATES))).all()
    overdue = [r for r in waiting if display_state(r).startswith("waiting_response_")]
    return "foi/panel.html", {"attention": attention, "overdue_count": len(overdue)}
