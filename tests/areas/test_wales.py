"""The real Welsh boundaries: import speed, the Cardiff lookup, Welsh names, nesting."""

from __future__ import annotations

from app.areas import services


def test_cardiff_point_returns_exactly_four_areas(wales_client):
    resp = wales_client.get("/mapit/point/4326/-3.1791,51.4816")
    body = resp.get_json()
    found = sorted((a["type"], a["name"]) for a in body.values())
    assert [f for f in found if f[0] != "UTW"] == [
        ("SPC", "Cardiff Central"),
        ("SPE", "South Wales Central"),
        ("UTA", "Cardiff"),
    ]
    assert len(found) == 4
    ward = next(a for a in body.values() if a["type"] == "UTW")
    council = next(a for a in body.values() if a["type"] == "UTA")
    constituency = next(a for a in body.values() if a["type"] == "SPC")
    region = next(a for a in body.values() if a["type"] == "SPE")
    assert ward["parent_area"] == council["id"] and constituency["parent_area"] == region["id"]
    assert council["codes"] == {"gss": "W06000015"} and council["all_names"]["cy"] == ["Welsh", "Caerdydd"]


def test_counts_and_nesting(wales_app):
    with wales_app.app_context():
        counts = {code: n for code, _, _, n in services.type_counts()}
        assert counts == {"SPE": 5, "SPC": 40, "UTA": 22, "UTW": 117}  # tests/data has the wards of four councils
        cardiff = services.find_area_by_code("gss", "W06000015")
        wards = services.children(cardiff.id)
        assert len(wards) > 20 and all(w.type == "UTW" for w in wards)
        # every constituency found a region, every ward a council
        for code in ("SPC", "UTW"):
            items, _ = services.areas_of_type([code])
            assert all(a.parent_id for a in items)


def test_outside_wales(wales_client):
    assert wales_client.get("/mapit/point/4326/-0.1276,51.5072").get_json() == {}  # London
    assert wales_client.get("/mapit/point/4326/-4.5,52.0?type=UTA").get_json() != {}


def test_welsh_and_accentless_names_are_searchable(wales_app):
    with wales_app.test_request_context():
        assert [a.name for a in services.find_areas_by_name("caerdydd", type="UTA")] == ["Cardiff"]
        assert {a.type for a in services.find_areas_by_name("Ynys Môn")} == {"SPC", "UTA"}


def test_area_page_in_welsh(wales_app, wales_client):
    with wales_app.app_context():
        cardiff = services.find_area_by_code("gss", "W06000015")
    html = wales_client.get(f"/cy/areas/{cardiff.id}").get_data(as_text=True)
    assert "<h1>Caerdydd</h1>" in html and "Cyngor" in html and '<li lang="en">Cardiff' in html
    assert "<svg" in html and html.count("<path") > 20
    en = wales_client.get(f"/en/areas/{cardiff.id}").get_data(as_text=True)
    assert "<h1>Cardiff</h1>" in en and "Council" in en


def test_search_page_in_welsh_without_javascript(wales_client):
    html = wales_client.get("/cy/areas/search?q=caerdydd").get_data(as_text=True)
    assert "Caerdydd, Cyngor" in html
    html = wales_client.get("/en/areas/search?q=51.4816,-3.1791").get_data(as_text=True)
    assert "Cardiff Central" in html and "South Wales Central" in html


def test_area_pages_stay_light(wales_app, wales_client):
    import gzip

    with wales_app.app_context():
        councils, _ = services.areas_of_type(["UTA", "SPE"])
    sizes = [len(gzip.compress(wales_client.get(f"/en/areas/{a.id}").data)) for a in councils]
    assert max(sizes) < 12 * 1024  # leaves room for the stylesheet within 14 KB
