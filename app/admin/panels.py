"""The admin dashboard's own panels: each returns (template, context) or None."""

from __future__ import annotations

import datetime as dt

from ..core.mail import inbox, outbox
from ..core.models import utcnow


def week_ago() -> dt.datetime:
    return utcnow() - dt.timedelta(days=7)


def users_panel():
    from ..accounts import services as accounts

    return "admin/panel_users.html", {"total": accounts.count_users(), "new": accounts.count_users(week_ago())}


def mail_panel():
    return "admin/panel_mail.html", {"stats": outbox.stats(), "holding": inbox.holding_count()}
