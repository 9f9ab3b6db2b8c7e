"""JavaScript only where it works: pages without htmx or geolocation load no script."""

from __future__ import annotations

import re

import pytest

from app.core import registry
from app.extensions import db

SCRIPT = re.compile(r"<script\b[^>]*>")


@pytest.fixture
def demo(app):
    with app.app_context():
        for loader in registry.demo_loaders():
            loader()
        db.session.commit()


def test_home_and_report_pages_load_no_script(client, demo):
    assert SCRIPT.findall(client.get("/en/").get_data(as_text=True)) == []
    report = re.search(r'href="(/en/reports/\d+)"', client.get("/en/reports/").get_data(as_text=True)).group(1)
    html = client.get(report).get_data(as_text=True)
    assert "<h1" in html and SCRIPT.findall(html) == []
    assert "htmx-config" not in html


def test_foi_active_search_loads_htmx_once_deferred_and_fingerprinted(client, demo):
    html = client.get("/en/foi/?q=council").get_data(as_text=True)
    assert 'hx-get="/en/foi/"' in html
    tags = SCRIPT.findall(html)
    assert len(tags) == 1
    assert re.fullmatch(r'<script src="/static/vendor/htmx\.min\.js\?v=[0-9a-f]{12}" defer>', tags[0])
    assert html.index(tags[0]) < html.index("</head>")
    src = re.search(r'src="([^"]+)"', tags[0]).group(1)
    resp = client.get(src)
    assert resp.status_code == 200 and resp.cache_control.max_age == 365 * 24 * 3600


def test_geolocation_button_brings_plaza_js_and_htmx_partials_get_no_script(client, demo):
    html = client.get("/en/areas/search").get_data(as_text=True)
    assert "data-geolocate" in html
    assert re.search(r'<script src="/static/js/plaza\.js\?v=[0-9a-f]{12}" defer>', html)
    partial = client.get("/en/foi/?q=council", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<script" not in partial
