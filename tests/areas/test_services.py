"""areas.services: point lookup (boundaries, outside), search, index rebuilds, SVG maps, demo."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from app.areas import queries, services
from app.areas.demo import load_demo
from app.areas.models import AreaSetting, Generation
from app.core.i18n import force_language
from app.extensions import db

from .conftest import feature, import_small_map, square, write_fc


@pytest.fixture
def mapped(app, runner, small_map):
    import_small_map(runner, small_map)
    return app


def names_at(lat, lon, **kw):
    return [a.name for a in services.areas_at(lat, lon, **kw)]


def test_point_inside_returns_region_then_district(mapped):
    assert names_at(0.25, 0.25) == ["West", "Southwest"]
    assert names_at(0.75, 1.5) == ["East", "Northeast"]


def test_point_on_boundaries_counts_as_inside(mapped):
    # on the shared edge x=1 between the regions: both regions and both southern districts
    assert set(names_at(0.25, 1.0)) == {"West", "East", "Southwest", "Sóuthéast"}
    # the centre corner touches everything
    assert len(names_at(0.5, 1.0)) == 6
    # on the outer edge
    assert names_at(0.0, 0.5) == ["West", "Southwest"]


def test_point_outside_every_area(mapped):
    assert services.areas_at(5, 5) == []
    assert services.areas_at(-0.0001, 0.5) == []


def test_type_and_generation_filters(mapped):
    assert names_at(0.25, 0.25, types=["DIS"]) == ["Southwest"]
    assert names_at(0.25, 0.25, generation=2) == []
    assert names_at(0.25, 0.25, min_generation=1) == ["West", "Southwest"]


def test_area_children_and_facts(mapped):
    west = services.find_area_by_code("test", "R1")
    assert services.area(west.id) == west
    assert services.area(999999) is None and services.area("x") is None
    assert [a.name for a in services.children(west.id)] == ["Northwest", "Southwest"]
    assert [a.name for a in services.areas([west.id, 424242])] == ["West"]
    lat, lon = services.centroid(west.id)
    assert 0 <= lat <= 1 and 0 <= lon <= 1
    assert services.bbox(west.id) == (0.0, 0.0, 1.0, 1.0)
    assert services.centroid(999999) is None and services.bbox(999999) is None
    assert services.find_area_by_code("test", "nope") is None


def test_names_follow_the_language(mapped):
    west = services.find_area_by_code("test", "R1")
    with force_language("fr"):
        assert services.area(west.id).name == "Ouest"
        # no French name: falls back to the default name
        assert services.find_area_by_code("test", "D1").name == "Southwest"
        assert names_at(0.25, 0.25)[0] == "Ouest"


def test_find_areas_by_name_any_language_ignoring_case_and_accents(mapped):
    assert [a.name for a in services.find_areas_by_name("SOUTHEAST")] == ["Sóuthéast"]
    assert [a.name for a in services.find_areas_by_name("ouest")] == ["West"]
    assert services.find_areas_by_name("ouest", type="DIS") == []
    assert services.find_areas_by_name("") == []


def test_search_places(mapped):
    places = services.search_places("south")
    assert [p.kind for p in places] == ["area", "area"]
    assert places[0].label.startswith("Southwest") or places[0].label.startswith("Sóuthéast")
    assert all("District" in p.label for p in places)
    west = services.find_area_by_code("test", "R1")
    assert [p.area_id for p in services.search_places("OUEST")] == [west.id]
    coords = services.search_places("0.25, 0.25")
    assert len(coords) == 1 and coords[0].kind == "coords"
    assert (coords[0].lat, coords[0].lon) == (0.25, 0.25)
    assert coords[0].area_id == services.find_area_by_code("test", "D1").id
    arabic = services.search_places("٠٫٢٥، ٠٫٢٥")  # Arabic-Indic digits and comma
    assert (arabic[0].kind, arabic[0].lat, arabic[0].lon) == ("coords", 0.25, 0.25)
    assert services.search_places("0.25 0.25")[0].kind == "coords"
    assert services.search_places("") == []
    assert services.search_places("zzz%") == []
    assert services.search_places("100, 500") == []  # out of range coordinates are not a place


def test_postcode_search_needs_a_profile_with_postcodes(app, runner, tmp_path):
    from .conftest import use_wales_profile

    csv_path = tmp_path / "pc.csv"
    csv_path.write_text("code,lat,lon\nCF10 1EP,51.4816,-3.1791\n", encoding="utf-8")
    demo = app.extensions["plaza_profile"]
    use_wales_profile(app)
    assert runner.invoke(args=["areas", "import-postcodes", str(csv_path)]).exit_code == 0
    app.extensions["plaza_profile"] = demo
    assert services.search_places("CF10 1EP") == []  # the demo profile has no postcodes
    use_wales_profile(app)
    places = services.search_places("cf101ep")
    assert places[0].kind == "postcode" and places[0].lat == 51.4816
    assert places[0].label == "CF10 1EP"  # written as the profile's example writes postcodes


def test_display_postcode_follows_the_profile_example(app):
    import dataclasses

    from .conftest import use_wales_profile

    use_wales_profile(app)
    assert services.display_postcode("CF101EP") == "CF10 1EP"
    assert services.display_postcode("W1A0AX") == "W1A 0AX"
    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(prof, postcode_example="CF101EP")
    assert services.display_postcode("CF101EP") == "CF101EP"  # the example has no space: neither do we


def test_other_workers_notice_an_import(mapped, tmp_path):
    """Another process changes the data and the version: this one rebuilds its index."""
    assert names_at(0.25, 3.5) == []
    extra = write_fc(tmp_path / "far.json", [feature(square(3, 0, 4, 1), name="Far")])
    from app.areas.importer import import_features, read_geojson

    import_features(read_geojson(extra), type_code="REG", name_field="name")
    db.session.commit()
    # simulate a worker whose cache predates the import: a stale version in its request memo
    queries._CACHE.clear()
    g.areas_index_version = "stale"
    queries._index()
    g.pop("areas_index_version")
    assert names_at(0.25, 3.5) == ["Far"]
    setting = db.session.get(AreaSetting, "index_version")
    assert re.fullmatch(r"[0-9a-f]{32}", setting.value)


def test_current_generation_is_highest_active(mapped):
    assert services.current_generation() == 1
    db.session.add(Generation(id=2, description="next", active=False))
    db.session.flush()
    assert services.current_generation() == 1


def test_project_and_unproject_are_inverse():
    box = (-3.3, 51.4, -3.0, 51.6)
    x, y = services.project(box, 320, 240, 51.5, -3.15)
    assert 0 <= x <= 320 and 0 <= y <= 240
    lat, lon = services.unproject(box, 320, 240, x, y)
    assert abs(lat - 51.5) < 1e-9 and abs(lon + 3.15) < 1e-9
    # north is up, west is left
    assert services.project(box, 320, 240, 51.6, -3.3)[1] < services.project(box, 320, 240, 51.4, -3.3)[1]
    assert services.project(box, 320, 240, 51.5, -3.3)[0] < services.project(box, 320, 240, 51.5, -3.0)[0]


def test_map_svg_outlines_links_and_pins(mapped):
    west = services.find_area_by_code("test", "R1")
    svg = str(
        services.map_svg((0, 0, 2, 1), pins=[(0.5, 0.5, "A <pin>")], area_ids=[west.id], link_template="/en/areas/{id}")
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<path") == 1 and f'href="/en/areas/{west.id}"' in svg
    assert "<title>West</title>" in svg and "A &lt;pin&gt;" in svg and "<circle" in svg
    # without ids: the most detailed level in the box (the four districts)
    auto = str(services.map_svg((0, 0, 2, 1)))
    assert auto.count("<path") == 4 and "Northeast" in auto and "<title>West</title>" not in auto


def test_demo_loader_builds_the_fictional_map(app):
    message = load_demo()
    db.session.commit()
    assert "6" in message or "9" in message
    here = services.areas_at(10.0, 10.0)
    assert [a.type for a in here] == ["REG", "DIS"]
    with force_language("ar"):
        region = services.areas_at(10.1, 9.5, types=["REG"])[0]
        assert region.name == "التلال الشمالية" and region.type_name == "إقليم"
    assert len(services.children(services.find_area_by_code("demo", "REG-R").id)) == 2
    # running it again updates in place
    assert "0 created" in load_demo()
    assert db.session.scalar(select(Generation.id)) == 1
