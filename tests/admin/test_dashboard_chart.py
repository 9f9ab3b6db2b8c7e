"""The dashboard's "this week" figures and its server-rendered SVG bar chart (no JavaScript)."""

from __future__ import annotations

import datetime as dt
import re

from app.admin.charts import Series, bar_chart, count_per_period, week_starts
from app.core.models import utcnow
from app.extensions import db

NOW = dt.datetime(2025, 3, 31, 12, 0, tzinfo=dt.UTC)


def test_weeks_and_counts():
    starts = week_starts(8, NOW)
    assert len(starts) == 8 and starts[0] == NOW - dt.timedelta(days=56) and starts[-1] == NOW - dt.timedelta(days=7)
    times = [
        NOW - dt.timedelta(days=1),
        NOW - dt.timedelta(hours=1),
        NOW - dt.timedelta(days=8),
        NOW - dt.timedelta(days=60),
        (NOW - dt.timedelta(days=55)).replace(tzinfo=None),
        None,
    ]
    assert count_per_period(times, starts, NOW) == (1, 0, 0, 0, 0, 0, 1, 2)


def test_bar_chart_is_accessible_escaped_and_proportional():
    svg = str(
        bar_chart(
            "New <items>",
            "Per week",
            ["3 Mar", "10 Mar"],
            [Series("Reports", (2, 4)), Series("FOI & co", (0, 1))],
            width=400,
            height=200,
            chart_id="c1",
        )
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "<script" not in svg and "style=" not in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">New &lt;items&gt;</title>' in svg and '<desc id="c1-desc">' in svg
    assert "FOI &amp; co" in svg
    bars = re.findall(
        r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="[^"]+"><title>([^<]+)</title>', svg
    )
    heights = {label: float(h) for h, label in bars}
    assert len(bars) == 4
    assert heights["Reports, 10 Mar: 4"] == 2 * heights["Reports, 3 Mar: 2"] > 0
    assert heights["FOI &amp; co, 3 Mar: 0"] == 0


def test_chart_ids_are_unique_per_chart():
    ids = [
        re.search(r'<title id="([^"]+)"', str(bar_chart("T", "D", ["a"], [Series("s", (1,))]))).group(1)
        for _ in range(2)
    ]
    assert ids[0] != ids[1]


def test_tooltips_and_axis_are_formatted_for_the_locale(app):
    with app.test_request_context("/fr/admin/"):
        from flask import g

        g.lang = "fr"
        svg = str(
            bar_chart(
                "T",
                "D",
                ["3 mars"],
                [Series("Signalements", (1234,))],
                chart_id="c",
                tooltip=lambda series, label, num: f"{series} | {label} | {num}",
            )
        )
    assert "<title>Signalements | 3 mars | 1\u202f234</title>" in svg
    assert 'font-size="11">1\u202f234</text>' in svg  # the axis top, not "1234"
    assert "1234" not in svg


def test_empty_chart_does_not_divide_by_zero():
    svg = str(bar_chart("T", "D", ["a"], [Series("s", (0,))]))
    assert 'height="0.0"' in svg


def _reports(app):
    """Three confirmed reports this week (one sent), one about four and a half weeks ago, one unconfirmed."""
    from app.reports.models import Category, Report

    cat = Category(code="potholes", name="Potholes")
    db.session.add(cat)
    db.session.flush()
    now = utcnow()
    made = [
        (now - dt.timedelta(days=1), "confirmed", None),
        (now - dt.timedelta(days=2), "confirmed", now),
        (now - dt.timedelta(hours=3), "investigating", None),
        (now - dt.timedelta(days=32), "fixed", now),
        (now - dt.timedelta(days=1), "unconfirmed", None),
    ]
    for i, (when, state, sent) in enumerate(made):
        db.session.add(
            Report(
                category_id=cat.id,
                title=f"Report {i}",
                lat=50.0,
                lon=0.0,
                state=state,
                email="r@example.org",
                language="en",
                created_at=when,
                sent_at=sent,
            )
        )
    db.session.commit()


def test_admin_home_shows_this_weeks_figures_and_the_chart(app, as_role):
    if "reports_admin" not in app.blueprints:
        import pytest

        pytest.skip("the reports component is not installed")
    _reports(app)
    client, _user = as_role("admin")
    html = client.get("/en/admin/").get_data(as_text=True)
    assert "3 new reports in the last seven days" in html
    assert "2 open reports not sent to any body" in html
    since = (utcnow() - dt.timedelta(days=7)).date().isoformat()
    assert f'href="/en/admin/reports/?from={since}"' in html
    assert 'href="/en/admin/reports/?unsent=1"' in html
    if "foi" in app.blueprints:
        assert "0 FOI requests overdue" in html and "state=waiting_response_overdue" in html
    # the chart, and its numbers as a table: this week 3, the period 35-28 days ago 1
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg"' in html
        and '<title id="chart-activity-title">New items per week' in html
    )
    assert re.search(r"<title>New reports, week of [^<]+: 3</title>", html)
    table = html.split("<details>", 1)[1].split("</details>", 1)[0]
    cells = [re.findall(r"<td>(\d+)</td>", row) for row in table.split("<tr>")[2:]]
    assert len(cells) == 8
    assert [c[0] for c in cells] == ["0", "0", "0", "1", "0", "0", "0", "3"]

    # the linked list shows exactly the unsent open reports
    unsent = client.get("/en/admin/reports/?unsent=1").get_data(as_text=True)
    assert "Report 0" in unsent and "Report 2" in unsent and "Report 1" not in unsent and "Report 3" not in unsent


def test_citizens_do_not_see_the_dashboard(app, as_role):
    client, _user = as_role("citizen")
    assert client.get("/en/admin/").status_code == 403
