"""The app started as `make run` starts it (a subprocess, the worker thread on) serves pages every time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STARTS = 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _flask(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None  # not listening yet


@pytest.fixture(scope="module")
def run_env(tmp_path_factory):
    """A fresh SQLite database with the demo data, as `make run` prepares it."""
    folder = tmp_path_factory.mktemp("make_run")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PLAZA_", "FLASK_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{folder / 'plaza.db'}",
        UPLOAD_FOLDER=str(folder / "uploads"),
        MAIL_PORT=str(_free_port()),
    )  # nothing listens: the worker keeps the mail and retries
    for args in (("db", "upgrade"), ("demo", "load", "--if-empty")):
        done = _flask(env, *args)
        assert done.returncode == 0, done.stdout + done.stderr
    return env


def test_ten_starts_in_a_row_each_serve_the_home_page(run_env):
    env = dict(run_env, PLAZA_START_WORKER="1")
    answers = []
    for _ in range(STARTS):
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            status = None
            deadline = time.monotonic() + 60
            while status is None and time.monotonic() < deadline and server.poll() is None:
                time.sleep(0.2)
                status = _status(f"http://127.0.0.1:{port}/en/")
            # The worker's first pass runs at start; a page after it must still be served.
            time.sleep(0.3)
            answers.append((status, _status(f"http://127.0.0.1:{port}/en/reports/")))
        finally:
            server.terminate()
            _, err = server.communicate(timeout=30)
        assert answers[-1] == (200, 200), err[-3000:]
    assert answers == [(200, 200)] * STARTS
