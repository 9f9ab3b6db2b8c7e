"""MapIt's postcode shortcuts (ward and council, per type with two tiers) and /area/ID/example_postcode."""

from __future__ import annotations

import dataclasses

import pytest

from app.areas import services

from .conftest import import_small_map, use_wales_profile


@pytest.fixture
def ids(app, runner, small_map, tmp_path):
    """The small map (regions R1, R2 holding districts D1…D4), UK-style postcodes in D1 and D4."""
    import_small_map(runner, small_map)
    use_wales_profile(app)
    csv_path = tmp_path / "pc.csv"
    csv_path.write_text("code,lat,lon\nAB1 2CD,0.25,0.25\nAB1 2AA,0.3,0.3\nZZ9 9ZZ,0.75,1.75\n", encoding="utf-8")
    assert runner.invoke(args=["areas", "import-postcodes", str(csv_path)]).exit_code == 0
    return {code: services.find_area_by_code("test", code).id for code in ("R1", "R2", "D1", "D2", "D3", "D4")}


def _ward_types(app, *types):
    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(prof, ward_types=types)


def test_postcode_names_its_ward_and_council(app, client, ids):
    _ward_types(app, "DIS")
    body = client.get("/mapit/postcode/AB12CD").get_json()
    assert body["shortcuts"] == {"ward": ids["D1"], "council": ids["R1"]}


def test_two_tiers_of_wards_give_per_type_shortcuts(app, client, ids):
    _ward_types(app, "DIS", "REG")
    body = client.get("/mapit/postcode/ZZ9 9ZZ").get_json()
    assert body["shortcuts"] == {
        "ward": {"DIS": ids["D4"], "REG": ids["R2"]},
        "council": {"DIS": ids["R2"], "REG": None},
    }


def test_no_ward_type_no_shortcuts(app, client, ids):
    _ward_types(app)
    assert "shortcuts" not in client.get("/mapit/postcode/AB12CD").get_json()


def test_example_postcode_of_an_area(client, ids):
    resp = client.get(f"/mapit/area/{ids['D1']}/example_postcode")
    assert resp.status_code == 200 and resp.get_json() == "AB1 2AA"  # the first by code
    assert client.get(f"/mapit/area/{ids['R2']}/example_postcode.json").get_json() == "ZZ9 9ZZ"
    resp = client.get(f"/mapit/area/{ids['D2']}/example_postcode")
    assert resp.status_code == 200 and resp.get_json() is None
    resp = client.get("/mapit/area/999999/example_postcode")
    assert resp.status_code == 404 and resp.get_json()["code"] == 404
