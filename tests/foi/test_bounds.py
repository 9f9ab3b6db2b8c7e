"""Huge numbers and far dates in FOI addresses and API queries answer normally, never a 500."""

from __future__ import annotations

import pytest

from .helpers import make_request

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "url,code",
    [
        (f"/es/foi/?page={HUGE}", 200),
        (f"/es/foi/authorities?page={HUGE}", 200),
        (f"/es/foi/authorities?area={HUGE}", 200),
        (f"/es/foi/?authority={HUGE}", 200),
        (f"/api/foi/requests.json?page={HUGE}", 200),
        (f"/api/foi/authorities.json?page={HUGE}", 200),
        ("/es/foi/?until=9999-12-31", 200),
        ("/es/foi/feed.atom?until=9999-12-31", 200),
        ("/api/foi/requests.json?until=9999-12-31", 200),
        ("/es/foi/?since=0001-01-01", 200),
        (f"/es/foi/request/{HUGE}", 404),
        (f"/es/foi/users/{HUGE}?page={HUGE}", 404),
        (f"/es/foi/authorities/{HUGE}", 404),
        (f"/es/foi/new/{HUGE}", 404),
        (f"/es/foi/request/1/attachments/{HUGE}/x.txt", 404),
    ],
)
def test_huge_numbers_and_far_dates_answer_normally(client, authorities, url, code):
    make_request(authorities["Ministry of Roads"])
    resp = client.get(url)
    assert resp.status_code == code, resp.status_code
    if "until" in url and "json" in url:
        assert resp.get_json()["total"] == 1
