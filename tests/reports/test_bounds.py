"""Huge offsets, ids and dates in report addresses answer 200 or 404, never a 500."""

from __future__ import annotations

from .conftest import make_user, sign_in
from .test_routing_follow import new_report


def test_huge_offsets_and_dates_are_no_500(client, world):
    report = new_report(user=make_user(), title="Listed")
    for url in (
        "/en/reports/?offset=99999999999999999999",
        f"/en/reports/body/{world['north']}?offset=1e99",
        "/en/reports/?offset=9223372036854775808",
        "/en/reports/?offset=-5",
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
    assert "Listed" in client.get("/en/reports/?offset=-5").get_data(as_text=True)
    admin = make_user(email="adm@example.org", role="admin")
    sign_in(client, admin)
    resp = client.get("/en/admin/reports/?offset=99999999999999999999")
    assert resp.status_code == 200
    resp = client.get("/en/admin/reports/?to=9999-12-31&from=0001-01-01")
    assert resp.status_code == 200 and "Listed" in resp.get_data(as_text=True)
    resp = client.get("/en/admin/reports/export.csv?to=9999-12-31")
    assert resp.status_code == 200 and f"{report.id}" in resp.get_data(as_text=True)


def test_oversized_ids_are_404_not_500(client, world):
    big = "99999999999999999999"
    for url, code in (
        (f"/en/reports/{big}", 404),
        (f"/en/reports/{big}/feed.atom", 404),
        (f"/en/reports/body/{big}", 404),
        (f"/en/reports/area/{big}", 404),
        (f"/en/reports/feed.atom?body={big}", 200),
    ):
        assert client.get(url).status_code == code, url
    sign_in(client, make_user(role="moderator"))
    assert client.get(f"/en/admin/reports/{big}").status_code == 404
    assert client.get(f"/en/admin/reports/?area={big}").status_code == 200
