"""Ids too big for a database column are unknown pages (404), never a server error."""

from __future__ import annotations

HUGE = "99999999999999999999"


def test_huge_ids_in_urls_are_404(app, client):
    for path in (
        f"/en/people/{HUGE}",
        f"/en/organisations/{HUGE}",
        f"/en/write/person/{HUGE}",
        f"/en/reports/{HUGE}",
        f"/en/foi/request/{HUGE}",
        f"/en/areas/{HUGE}",
        "/en/people/2147483648",
    ):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert "Page not found" in resp.get_data(as_text=True), path
