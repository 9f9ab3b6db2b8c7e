"""Numbers too big for a database column (32-bit INTEGER on PostgreSQL) are unknown, never a 500."""

from __future__ import annotations

from .test_api import error, ids  # noqa: F401  (fixture)

HUGE = "99999999999999999999"
BIG = "999999999999"  # 12 digits: past 2**31 but short enough to look like an id


def test_big_ids_in_the_api_are_unknown(client, ids):  # noqa: F811
    assert BIG in error(client.get(f"/mapit/area/{BIG}"), 404)
    error(client.get(f"/mapit/area/{BIG}/children"), 404)
    error(client.get(f"/mapit/area/{BIG}/geometry"), 404)
    error(client.get(f"/mapit/area/{BIG}.geojson"), 404)
    assert client.get(f"/mapit/areas/{BIG},{ids['R1']}").get_json().keys() == {str(ids["R1"])}
    assert client.get(f"/mapit/point/4326/0.25,0.25?generation={BIG}").get_json() == {}
    assert client.get(f"/mapit/point/4326/0.25,0.25?min_generation={BIG}").get_json() == {}
    assert client.get(f"/mapit/areas/REG?generation={BIG}").get_json() == {}


def test_huge_page_numbers_are_not_errors(client, ids):  # noqa: F811
    resp = client.get(f"/en/areas/type/REG?page={HUGE}")
    assert resp.status_code == 404 and "Page not found" in resp.get_data(as_text=True)
    assert "West" in client.get("/en/areas/type/REG?page=1").get_data(as_text=True)
