"""Rate limits hold across worker processes through Redis, and never answer 500 when the store fails."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from app.config import rate_limit_warning

ROOT = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_store_lets_the_request_through(app_factory):
    # Flask-Limiter logs the failure (once per process) and counts in memory meanwhile.
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_free_port()}/0")
    response = app.test_client().post("/en/accounts/signin", data={"email": "x@example.org", "password": "wrong"})
    assert response.status_code == 422  # the wrong password is answered, not a 500
    assert "password" in response.get_data(as_text=True).lower()


def test_production_with_memory_limits_is_warned_about():
    assert rate_limit_warning({"PLAZA_ENV": "production", "RATELIMIT_STORAGE_URI": "memory://"})
    assert rate_limit_warning({"PLAZA_ENV": "production", "RATELIMIT_STORAGE_URI": "redis://x:6379"}) is None
    assert rate_limit_warning({"PLAZA_ENV": "development", "RATELIMIT_STORAGE_URI": "memory://"}) is None


@pytest.fixture
def two_servers(tmp_path):
    if not _redis_up():
        if os.environ.get("PLAZA_REQUIRE_REDIS") == "1":
            pytest.fail("Redis is not answering on 127.0.0.1:6379")
        pytest.skip("needs Redis on 127.0.0.1:6379 (production's rate-limit store; CI has it)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAZA_", "FLASK_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'plaza.db'}",
        REDIS_URL="redis://127.0.0.1:6379/0",
        RATELIMIT_KEY_PREFIX=f"plaza-test-{uuid.uuid4().hex}",
        SECRET_KEY="x" * 40,
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
        MAIL_PORT=str(_free_port()),
    )
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    ports, servers = [_free_port(), _free_port()], []
    for port in ports:
        servers.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        for port in ports:
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5)
                    break
                except OSError:
                    assert time.monotonic() < deadline, f"gunicorn on {port} did not start"
                    time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)


def test_sign_in_limit_holds_across_two_gunicorn_processes(two_servers):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{two_servers[0]}/en/accounts/signin").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    statuses = []
    for attempt in range(14):  # the limit is 10 a minute; the attempts alternate between processes
        data = urllib.parse.urlencode(
            {"csrf_token": token, "email": "nobody@example.org", "password": "wrong"}
        ).encode()
        try:
            statuses.append(opener.open(f"{two_servers[attempt % 2]}/en/accounts/signin", data=data).status)
        except urllib.error.HTTPError as exc:
            statuses.append(exc.code)
    assert statuses == [422] * 10 + [429] * 4  # 422: the wrong password, then the limit


def test_the_admin_home_says_when_production_counts_limits_in_memory(app, app_factory):
    from helpers import make_user, sign_in

    warning = "Rate limits are counted in each worker"
    admin = make_user(email="admin@example.org", role="admin")
    production = app_factory(PLAZA_ENV="production", RATELIMIT_STORAGE_URI="memory://")
    page = sign_in(production.test_client(), admin).get("/en/admin/")
    assert page.status_code == 200 and warning in page.get_data(as_text=True)
    shared = app_factory(PLAZA_ENV="production", RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    assert warning not in sign_in(shared.test_client(), admin).get("/en/admin/").get_data(as_text=True)
