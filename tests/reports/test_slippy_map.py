"""The JavaScript map of "where is the problem?" (vendored Leaflet) loads only with a tile server; the SVG map stays for everyone else."""

from __future__ import annotations

import dataclasses
import io
import re
import socket
import threading
from pathlib import Path

import pytest
from PIL import Image

from app.extensions import db

from .conftest import make_user

CHROMIUM = "/usr/bin/chromium"


def with_tiles(app, tile_url):
    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(prof, tile_url=tile_url, tile_attribution="© Test <Tiles>")
    return app


def add_report(title="Existing hole", lat=50.5003, lon=0.5002):
    from app.reports import operations as svc

    user = make_user(email=f"{abs(hash(title))}@example.org")
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title=title,
        detail="",
        lat=lat,
        lon=lon,
        name="First",
        email=user.email,
        show_name=False,
        language="en",
        user=user,
    )
    db.session.commit()
    return report


def test_without_a_tile_server_the_page_has_no_map_script(client, world):
    html = client.get("/en/reports/new").get_data(as_text=True)
    assert "map.js" not in html and "data-slippy-map" not in html and 'type="image" name="map"' in html


def test_with_a_tile_server_the_page_offers_the_map_but_keeps_the_svg_one(app, client, world):
    with_tiles(app, "https://tiles.example/{z}/{x}/{y}.png")
    html = client.get("/en/reports/new").get_data(as_text=True)
    assert re.search(r'<script src="/static/js/map\.js\?v=\w+" defer>', html)
    assert 'data-tiles="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert 'data-attribution="© Test &lt;Tiles&gt;"' in html  # escaped in the attribute
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js?v=' in html
    assert "leaflet.css" not in html.split("data-leaflet-css")[0]  # no stylesheet for no-JS readers
    assert 'type="image" name="map"' in html and "Zoom in" in html
    assert (
        "img-src 'self' data: https://tiles.example" in client.get("/en/reports/new").headers["Content-Security-Policy"]
    )
    # Only that page loads it.
    for url in ("/en/", "/en/reports/", "/en/reports/new?lat=50.5&lon=0.5"):
        assert "map.js" not in client.get(url).get_data(as_text=True), url
    # An outside point: the map marks it.
    html = client.get("/en/reports/new?lat=10&lon=10").get_data(as_text=True)
    assert 'data-point="10.000000,10.000000"' in html


def test_pins_json_lists_public_reports_in_view_as_text(client, world):
    report = add_report(title="Hole <b>deep</b>")
    pins = client.get("/en/reports/pins.json?b=0.4,50.4,0.6,50.6")
    assert pins.status_code == 200 and pins.mimetype == "application/json"
    assert pins.get_json() == [
        {"lat": report.lat, "lon": report.lon, "title": "Hole <b>deep</b>", "url": f"/en/reports/{report.id}"}
    ]
    assert client.get("/en/reports/pins.json?b=1,1,1.5,1.5").get_json() == []
    bad = client.get("/en/reports/pins.json?b=nonsense")
    assert bad.status_code == 400 and bad.get_json()["code"] == 400


def test_vendored_leaflet_is_pinned_with_its_licence():
    vendor = Path(__file__).resolve().parents[2] / "app/static/vendor/leaflet"
    assert "BSD 2-Clause" in (vendor / "LICENSE").read_text(encoding="utf-8")
    import hashlib

    version = (vendor / "VERSION").read_text(encoding="utf-8")
    for name in ("leaflet.js", "leaflet.css"):
        digest = hashlib.sha256((vendor / name).read_bytes()).hexdigest()
        assert f"sha256 {digest}  {name}" in version


@pytest.fixture
def tiled_server(fresh_app, commits, app_factory, world):
    """The app with its own tile route (a plain PNG), so the browser never leaves this machine; served
    from a thread, so its data is committed (`commits`) and its routes its own (`fresh_app`)."""
    from werkzeug.serving import make_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    app = with_tiles(app_factory(SERVER_BASE_URL=url), url + "/test-tiles/{z}/{x}/{y}.png")
    buf = io.BytesIO()
    Image.new("RGB", (256, 256), (220, 230, 220)).save(buf, "PNG")
    tiles = []

    def tile(z, x, y):
        tiles.append((z, x, y))
        return buf.getvalue(), 200, {"Content-Type": "image/png"}

    app.add_url_rule("/test-tiles/<int:z>/<int:x>/<int:y>.png", "test_tile", tile)
    with app.app_context():
        add_report(title="Existing <hole>")
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url, tiles
    server.shutdown()
    thread.join(timeout=10)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium")
def test_clicking_the_leaflet_map_chooses_the_point(tiled_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    url, tiles = tiled_server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 480, "height": 800})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(f"{url}/en/reports/new?b=0.49,50.49,0.51,50.51")
            page.locator(".leaflet-container").wait_for(timeout=10000)
            assert page.locator("[data-static-map]").is_hidden()
            page.locator(".leaflet-interactive").first.wait_for(timeout=10000)  # the existing report's pin
            assert "© Test <Tiles>" in page.locator(".leaflet-control-attribution").inner_text()
            assert tiles, "tiles were requested from the profile's tile server"
            box = page.locator("[data-slippy-map]").bounding_box()
            page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.7)  # no pin, no control
            page.wait_for_url(re.compile(r"/en/reports/new\?lat=50\.\d+&lon=0\.\d+"), timeout=10000)
            assert "Potholes" in page.content()  # step 2: the categories at that point
            assert not errors, errors
        finally:
            browser.close()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium")
def test_without_javascript_the_svg_map_is_used(tiled_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    url, tiles = tiled_server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(f"{url}/en/reports/new?b=0.4,50.4,0.6,50.6")
            assert page.locator("[data-slippy-map]").is_hidden()
            page.locator('input[type="image"]').click(position={"x": 160, "y": 120})
            # That map is too wide for a precise click: it zooms in, and the next click is the point.
            page.wait_for_url(re.compile(r"b="), timeout=10000)
            assert "Click the map again" in page.content()
            page.locator('input[type="image"]').click(position={"x": 160, "y": 120})
            page.wait_for_url(re.compile(r"lat=50\.5"), timeout=10000)
            assert not tiles
        finally:
            browser.close()
