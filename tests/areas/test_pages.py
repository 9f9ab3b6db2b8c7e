"""Area pages and the place search, without JavaScript and with htmx."""

from __future__ import annotations

import gzip
import re

import pytest

from app.areas import services
from app.core import registry

from .conftest import import_small_map


@pytest.fixture
def ids(app, runner, small_map):
    import_small_map(runner, small_map)
    return {code: services.find_area_by_code("test", code).id for code in ("R1", "R2", "D1", "D2", "D3", "D4")}


def page(client, url, status=200):
    resp = client.get(url)
    assert resp.status_code == status, url
    return resp.get_data(as_text=True)


def test_index_lists_types_with_counts(client, ids):
    html = page(client, "/en/areas/")
    assert 'href="/en/areas/type/REG"' in html and "2 areas" in html and "4 areas" in html
    assert '<a href="/en/areas/" aria-current="page">Areas</a>' in html  # the nav item


def test_empty_index(client):
    assert "No areas have been loaded yet." in page(client, "/en/areas/")


def test_type_lists_its_areas(client, ids):
    html = page(client, "/en/areas/type/DIS")
    for code in ("D1", "D2", "D3", "D4"):
        assert f'href="/en/areas/{ids[code]}"' in html
    page(client, "/en/areas/type/NOPE", 404)
    page(client, "/en/areas/type/DIS?page=9", 404)


def test_area_page(client, ids):
    html = page(client, f"/en/areas/{ids['R1']}")
    assert "<h1>West</h1>" in html and "Region" in html
    assert '<li lang="fr">Ouest' in html
    assert f'href="/en/areas/{ids["D1"]}">Southwest</a>' in html
    assert "<svg" in html and f'<a href="/en/areas/{ids["D2"]}"><path' in html
    assert "<td>test</td><td>R1</td>" in html
    child = page(client, f"/en/areas/{ids['D1']}")
    assert f'Part of <a href="/en/areas/{ids["R1"]}">West</a>' in child
    assert child.count("<path") == 1
    assert "<script>" not in child.split("</head>")[1]
    page(client, "/en/areas/999999", 404)


def test_area_page_in_another_language(client, ids):
    html = page(client, f"/fr/areas/{ids['R1']}")
    assert "<h1>Ouest</h1>" in html and '<html lang="fr"' in html
    assert '<li lang="en">West' in html
    # the language's name is in the page's language, as its span says
    assert '<span class="muted small" lang="fr">(anglais)</span>' in html


def test_area_page_is_light(client, ids):
    resp = client.get(f"/en/areas/{ids['R1']}")
    assert len(gzip.compress(resp.data)) < 14 * 1024


def test_area_sections_from_other_components(app, client, ids, tmp_path):
    seen = []

    def section(area_id):
        seen.append(area_id)
        return ("areas/_test_section.html", {"n": area_id}) if area_id == ids["R1"] else None

    def broken(area_id):
        raise RuntimeError("boom")

    (tmp_path / "areas").mkdir()
    (tmp_path / "areas" / "_test_section.html").write_text("<section id=extra>Section {{ n }}</section>")
    from jinja2 import ChoiceLoader, FileSystemLoader

    app.jinja_loader  # noqa: B018 - make sure the default loader exists
    app.jinja_env.loader = ChoiceLoader([app.jinja_env.loader, FileSystemLoader(str(tmp_path))])
    registry.add_area_section(app, section)
    registry.add_area_section(app, broken)
    assert f"<section id=extra>Section {ids['R1']}</section>" in page(client, f"/en/areas/{ids['R1']}")
    assert "<section id=extra>" not in page(client, f"/en/areas/{ids['D1']}")
    assert seen == [ids["R1"], ids["D1"]]


def test_search_without_javascript(client, ids):
    html = page(client, "/en/areas/search?q=north")
    assert '<form method="get" action="/en/areas/search"' in html
    assert 'value="north"' in html
    assert f'href="/en/areas/{ids["D2"]}">Northwest, District</a>' in html
    # the geolocation button stays hidden until JavaScript shows it
    assert re.search(r'<button type="button" class="secondary" data-geolocate[^>]* hidden>', html)
    assert "No place matches “nothing”." in page(client, "/en/areas/search?q=nothing")


def test_search_by_coordinates_lists_the_areas_there(client, ids):
    html = page(client, "/en/areas/search?q=0.75%2C+1.25")
    assert "Areas at 0.75000, 1.25000" in html
    assert f'href="/en/areas/{ids["R2"]}">East</a>' in html and f'href="/en/areas/{ids["D4"]}">Northeast</a>' in html
    assert "No area covers this point." in page(client, "/en/areas/search?q=50,50")


def test_search_htmx_returns_only_the_results(client, ids):
    resp = client.get("/en/areas/search?q=east", headers={"HX-Request": "true"})
    html = resp.get_data(as_text=True)
    assert "HX-Request" in resp.headers["Vary"]
    assert "<html" not in html and "<form" not in html
    assert f'href="/en/areas/{ids["R2"]}">East, Region</a>' in html
    full = client.get("/en/areas/search?q=east")
    assert "HX-Request" in full.headers["Vary"] and "<form" in full.get_data(as_text=True)


def test_search_page_empty_query(client):
    html = page(client, "/en/areas/search")
    assert 'id="place-results"' in html and "No place matches" not in html
