"""Browser tests: the real app served from a thread, driven by Debian's Chromium via Playwright.

Never downloads a browser: the module is skipped when /usr/bin/chromium is missing (CI installs it).
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PLAZA_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

if not Path(CHROMIUM).exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(self, app, port):
        from werkzeug.serving import make_server

        self.app = app
        self.url = f"http://127.0.0.1:{port}"
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(commits, app_factory, smtp):
    """The app served from a thread: its requests use their own connections, so the test's data is
    really committed (`commits`) and the tables emptied afterwards."""
    port = _free_port()
    app = app_factory(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        SERVER_BASE_URL=f"http://127.0.0.1:{port}",
        WTF_CSRF_ENABLED=True,
        INCOMING_EMAIL_DOMAIN="localhost",
    )
    server = LiveServer(app, port)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
