"""'Use my location' failing shows the page's server-translated message beside the button; the script holds no text."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest

MESSAGE = "Your location could not be found. Please type a place instead."
CHROMIUM = "/usr/bin/chromium"


def test_buttons_carry_the_server_rendered_message(client, world):
    for url in ("/en/reports/new", "/en/reports/?lat=50.5&lon=0.5"):
        html = client.get(url).get_data(as_text=True)
        assert f'data-geolocate data-error="{MESSAGE}" hidden>' in html
    script = (Path(__file__).resolve().parents[2] / "app/static/js/plaza.js").read_text(encoding="utf-8")
    assert 'getAttribute("data-error")' in script and MESSAGE not in script


@pytest.fixture
def live_url(app_factory):
    from werkzeug.serving import make_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = make_server("127.0.0.1", port, app_factory(SERVER_BASE_URL=f"http://127.0.0.1:{port}"), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Chromium")
def test_denied_location_shows_the_message_beside_the_button(live_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless=new", "--no-sandbox"])
        try:
            page = browser.new_context(permissions=[]).new_page()  # geolocation not granted: denied
            page.goto(f"{live_url}/en/reports/new")
            button = page.get_by_role("button", name="Use my location")
            button.click()
            note = page.locator("[data-geolocate] + [data-geolocate-note]")
            note.wait_for(timeout=10000)
            assert note.text_content() == MESSAGE and note.get_attribute("role") == "alert"
            assert button.is_enabled()
            button.click()  # again: still one message, not two
            page.wait_for_timeout(300)
            assert page.locator("[data-geolocate-note]").count() == 1
            assert re.search(r"/en/reports/new$", page.url)
        finally:
            browser.close()
