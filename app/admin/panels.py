"""The admin dashboard's own panels: each returns (template, context) or None."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from ..accounts import services as accounts
from ..core.formatting import format_date
from ..core.mail import inbox, outbox
from ..core.models import utcnow
from ..core.registry import component_on
from .charts import Series, bar_chart, count_per_period, week_starts


def week_ago() -> dt.datetime:
    return utcnow() - dt.timedelta(days=7)


def users_panel():
    return "admin/panel_users.html", {"total": accounts.count_users(), "new": accounts.count_users(week_ago())}


def mail_panel():
    return "admin/panel_mail.html", {"stats": outbox.stats(), "holding": inbox.holding_count()}


def activity_panel():
    """New reports and FOI requests per week over the last 8 weeks (an SVG bar chart and a table),
    with this week's figures linking to the filtered lists."""
    now = utcnow()
    starts = week_starts(8, now)
    series, links = [], []
    since = week_ago()
    if component_on("reports"):
        # Imported only when on: an optional component's tables stay out of a deployment without it.
        from ..reports import services as reports

        counts = count_per_period(reports.created_times(starts[0]), starts, now)
        series.append(Series(_("New reports"), counts))
        unsent = reports.unsent_count()
        links.append(("reports_admin.index", {"from": since.date().isoformat()}, ("new_reports", counts[-1])))
        links.append(("reports_admin.index", {"unsent": "1"}, ("unsent_reports", unsent)))
    if component_on("foi"):
        from ..foi import services as foi

        counts = count_per_period(foi.created_times(starts[0]), starts, now)
        series.append(Series(_("New FOI requests"), counts))
        links.append(("foi.index", {"since": since.date().isoformat()}, ("new_foi", counts[-1])))
        overdue, very = foi.overdue_counts()
        links.append(("foi.index", {"state": "waiting_response_overdue"}, ("overdue_foi", overdue)))
        links.append(("foi.index", {"state": "waiting_response_very_overdue"}, ("very_overdue_foi", very)))
    if not series:
        return None
    labels = [format_date(s, "short") for s in starts]

    def tooltip(series_label, date, num):
        # Translators: tooltip of a bar in the dashboard chart, e.g. "New reports, week of 3 Mar: 12"
        return _("%(series)s, week of %(date)s: %(num)s", series=series_label, date=date, num=num)

    chart = bar_chart(
        _("New items per week"),
        _("New reports and FOI requests in each of the last eight weeks."),
        labels,
        series,
        chart_id="chart-activity",
        tooltip=tooltip,
    )
    return "admin/panel_activity.html", {"chart": chart, "labels": labels, "series": series, "links": links}
