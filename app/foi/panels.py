"""The admin dashboard panel: overdue requests and requests needing attention."""

from __future__ import annotations

from .queries import needing_attention
from .search import search_requests


def dashboard_panel():
    attention = needing_attention(("attention_requested", "requires_admin"), limit=10)
    # Counted as the public list counts them, so each number matches the list it links to.
    late = {
        state: search_requests(state=state, limit=0)[1]
        for state in ("waiting_response_overdue", "waiting_response_very_overdue")
    }
    return "foi/panel.html", {
        "attention": attention,
        "overdue_count": late["waiting_response_overdue"],
        "very_overdue_count": late["waiting_response_very_overdue"],
    }
