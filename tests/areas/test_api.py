"""The MapIt-compatible API under /mapit/: every endpoint, JSON errors, CORS."""

from __future__ import annotations

import pytest

from app.areas import services

from .conftest import import_small_map, use_wales_profile

KEYS = {
    "id",
    "name",
    "parent_area",
    "type",
    "type_name",
    "country",
    "country_name",
    "generation_low",
    "generation_high",
    "codes",
    "all_names",
}


@pytest.fixture
def ids(app, runner, small_map):
    import_small_map(runner, small_map)
    return {code: services.find_area_by_code("test", code).id for code in ("R1", "R2", "D1", "D2", "D3", "D4")}


def error(resp, status):
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    body = resp.get_json()
    assert set(body) == {"error", "code"} and body["code"] == status
    return body["error"]


def test_point(client, ids):
    resp = client.get("/mapit/point/4326/0.25,0.25")
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*"
    body = resp.get_json()
    assert set(body) == {str(ids["R1"]), str(ids["D1"])}
    west = body[str(ids["R1"])]
    assert set(west) == KEYS
    assert west["name"] == "West" and west["type"] == "REG" and west["type_name"] == "Region"
    assert west["codes"] == {"test": "R1"} and west["all_names"] == {
        "en": ["English", "West"],
        "fr": ["French", "Ouest"],
    }
    assert west["country"] == "" and west["country_name"] == "-"
    assert body[str(ids["D1"])]["parent_area"] == ids["R1"]
    assert client.get("/mapit/point/4326/0.25,0.25?type=DIS").get_json().keys() == {str(ids["D1"])}
    assert client.get("/mapit/point/4326/0.25,0.25?generation=5").get_json() == {}
    assert len(client.get("/mapit/point/4326/0.25,0.25.json?min_generation=1").get_json()) == 2
    assert client.get("/mapit/point/4326/9,9").get_json() == {}  # outside every area


def test_point_errors(client, ids):
    assert "LON,LAT" in error(client.get("/mapit/point/4326/abc"), 400)
    assert "out of range" in error(client.get("/mapit/point/4326/0.25,95"), 400)
    assert "4326" in error(client.get("/mapit/point/27700/300000,170000"), 400)
    assert "generation" in error(client.get("/mapit/point/4326/0.25,0.25?generation=x"), 400)


def test_point_latlon_redirects(client, ids):
    resp = client.get("/mapit/point/latlon/0.25,0.75?type=DIS")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/mapit/point/4326/0.75,0.25?type=DIS")
    error(client.get("/mapit/point/latlon/nowhere"), 400)


def test_area_and_errors(client, ids):
    body = client.get(f"/mapit/area/{ids['D3']}").get_json()
    assert body["name"] == "Sóuthéast" and body["parent_area"] == ids["R2"]
    assert client.get(f"/mapit/area/{ids['D3']}.json").get_json() == body
    assert "999999" in error(client.get("/mapit/area/999999"), 404)
    error(client.get("/mapit/area/abc"), 400)
    error(client.get("/mapit/area/99999999999999999999"), 400)


def test_children(client, ids):
    body = client.get(f"/mapit/area/{ids['R1']}/children").get_json()
    assert set(body) == {str(ids["D1"]), str(ids["D2"])}
    assert client.get(f"/mapit/area/{ids['R1']}/children.json").get_json() == body
    assert client.get(f"/mapit/area/{ids['R1']}.json/children").get_json() == body
    error(client.get("/mapit/area/999999/children.json"), 404)
    assert "/area/" in error(client.get(f"/mapit/area/{ids['R1']}/touches"), 404)
    assert client.get(f"/mapit/area/{ids['D1']}/children").get_json() == {}
    error(client.get("/mapit/area/999999/children"), 404)


def test_geometry_and_geojson(client, ids):
    body = client.get(f"/mapit/area/{ids['R2']}/geometry").get_json()
    assert (body["min_lon"], body["max_lon"], body["min_lat"], body["max_lat"]) == (1, 2, 0, 1)
    assert 1 <= body["centre_lon"] <= 2 and 0 <= body["centre_lat"] <= 1 and body["parts"] == 1
    # a 1° square on the equator: 111.2 km x 111.2 km (MapIt's `area`, in m²)
    assert abs(body["area"] - 12_364_000_000) < 10_000_000
    assert "min_e" not in body and "centre_n" not in body
    assert client.get(f"/mapit/area/{ids['R2']}/geometry.json").get_json() == body
    both = client.get(f"/mapit/areas/{ids['R2']},{ids['D1']},999999/geometry").get_json()
    assert both[str(ids["R2"])] == body and set(both) == {str(ids["R2"]), str(ids["D1"])}
    resp = client.get(f"/mapit/area/{ids['R2']}.geojson")
    assert resp.mimetype == "application/geo+json"
    geo = resp.get_json()
    assert geo["type"] == "Polygon" and [1.0, 0.0] in geo["coordinates"][0]
    assert client.get(f"/mapit/area/{ids['R2']}.geojson?simplify_tolerance=0.01").status_code == 200
    error(client.get(f"/mapit/area/{ids['R2']}.geojson?simplify_tolerance=abc"), 400)
    error(client.get("/mapit/area/999999.geojson"), 404)
    error(client.get("/mapit/area/999999/geometry"), 404)


def test_areas_by_type_name_and_ids(client, ids):
    assert set(client.get("/mapit/areas/REG").get_json()) == {str(ids["R1"]), str(ids["R2"])}
    assert len(client.get("/mapit/areas/REG,DIS").get_json()) == 6
    by_name = client.get("/mapit/areas/North").get_json()
    assert {a["name"] for a in by_name.values()} == {"Northwest", "Northeast"}
    assert {a["name"] for a in client.get("/mapit/areas/Ouest").get_json().values()} == {"West"}
    assert {a["name"] for a in client.get("/mapit/areas/southe").get_json().values()} == {"Sóuthéast"}
    by_ids = client.get(f"/mapit/areas/{ids['R1']},{ids['D4']},999999").get_json()
    assert set(by_ids) == {str(ids["R1"]), str(ids["D4"])}
    assert client.get("/mapit/areas/Nowhere").get_json() == {}
    error(client.get("/mapit/areas/x"), 400)
    # sub-paths of a type or id list are unknown requests, not a name search for "REG/geometry"
    assert "REG/geometry" in error(client.get("/mapit/areas/REG/geometry"), 404)
    error(client.get(f"/mapit/areas/{ids['R1']}/children"), 404)


def test_code_redirects(client, ids):
    resp = client.get("/mapit/code/test/D2")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/mapit/area/{ids['D2']}")
    error(client.get("/mapit/code/test/nope"), 404)


def test_generations_and_types(client, ids):
    gens = client.get("/mapit/generations").get_json()
    assert list(gens) == ["1"] and gens["1"]["active"] is True
    types = client.get("/mapit/types").get_json()
    assert types["REG"]["count"] == 2 and types["DIS"]["count"] == 4
    assert types["DIS"]["name"] == "District" and types["REG"]["level"] == 1


def test_postcode_without_postcodes_in_the_profile(client, ids):
    assert error(client.get("/mapit/postcode/CF101EP"), 400) == "Postcode 'CF101EP' is not valid."


def test_postcode(app, client, runner, ids, tmp_path):
    use_wales_profile(app)
    csv_path = tmp_path / "pc.csv"
    csv_path.write_text("code,lat,lon\nAB1 2CD,0.25,0.25\n", encoding="utf-8")
    assert runner.invoke(args=["areas", "import-postcodes", str(csv_path)]).exit_code == 0
    body = client.get("/mapit/postcode/AB1 2CD").get_json()
    assert body["postcode"] == "AB1 2CD" and body["wgs84_lat"] == 0.25
    assert set(body["areas"]) == {str(ids["R1"]), str(ids["D1"])}
    assert client.get("/mapit/postcode/ab12cd").get_json()["postcode"] == "AB1 2CD"
    assert client.get("/mapit/postcode/AB1%20%202CD").get_json()["postcode"] == "AB1 2CD"  # spaces collapse
    assert error(client.get("/mapit/postcode/ZZ9 9ZZ"), 404) == "Postcode 'ZZ9 9ZZ' not found."
    assert error(client.get("/mapit/postcode/hello"), 400) == "Postcode 'hello' is not valid."


def test_unknown_endpoint_is_json(client, ids):
    error(client.get("/mapit/nothing-here"), 404)
