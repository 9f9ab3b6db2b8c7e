"""Hints speak of the profile's own country: coordinates from its map centre, postcodes only where it has them."""

from __future__ import annotations

import html


def _text(client, path) -> str:
    return html.unescape(client.get(path).get_data(as_text=True))


def test_demo_hints_use_its_map_centre_and_no_postcodes(client):
    for path in ("/en/areas/search", "/en/representatives"):
        page = _text(client, path)
        assert "For example a town, or “10.00, 10.00” (latitude, longitude)." in page, path
        assert "51.48" not in page and "postcode" not in page.lower(), path
    index = _text(client, "/en/areas/")
    assert "Find a place by name or coordinates" in index and "postcode" not in index.lower()


def test_welsh_profile_hints(app_factory):
    client = app_factory(PLAZA_PROFILE="gb-wls").test_client()
    for path in ("/en/areas/search", "/en/representatives"):
        page = _text(client, path)
        assert "For example a town, the postcode CF99 1SN, or “52.35, -3.75” (latitude, longitude)." in page, path
    assert "Find a place by name, postcode or coordinates" in _text(client, "/en/areas/")
