"""Reports pages with content are valid HTML (list, detail, forms, area and body lists)."""

from __future__ import annotations

from html_check import assert_valid_html

from .conftest import make_user
from .test_routing_follow import new_report


def test_reports_pages_are_valid_html(app, client, world):
    report = new_report(user=make_user())
    for i in range(3):
        new_report(title=f"Lamp {i}")
    pages = [
        "/en/reports/",
        "/ar/reports/",
        f"/en/reports/{report.id}",
        "/en/reports/new?lat=50.5&lon=0.5",
        f"/en/reports/area/{report.area_ids[0]}",
        f"/en/reports/body/{world['north']}",
        f"/en/areas/{report.area_ids[0]}",
    ]
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, path
        assert_valid_html(page.get_data(as_text=True))
