"""Shared fixtures: the app on SQLite (default) or PostgreSQL (DATABASE_URL), a real SMTP server.

Each test session gets its own database: a temporary SQLite file, or a PostgreSQL schema with a
unique name that is dropped at the end, so runs never depend on (or clash with) each other.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db

PG_URL = os.environ.get("DATABASE_URL", "")

# Other people's prose (Alaveteli's emails, debate transcripts) stays in ../shared/data, which a
# fresh clone does not have. Tests that read it ask for the `shared_data` fixture and carry the
# `shared_data` mark; they are skipped with a reason where it is absent. CI sets
# PLAZA_REQUIRE_SHARED_DATA=1 so that a missing folder fails those tests instead.
SHARED_DATA = Path(os.environ.get("PLAZA_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
TEST_DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config):
    config.addinivalue_line("markers", "shared_data: reads ../shared/data (skipped where it is absent)")


def _shared_data_missing() -> str | None:
    if SHARED_DATA.is_dir():
        return None
    return f"needs {SHARED_DATA} (other people's prose, not copied into the repository; .ci/run has it)"


def pytest_collection_modifyitems(config, items):
    """A test that takes the `shared_data` fixture carries the mark too (`pytest -m shared_data`
    selects them all); where the folder is absent they are skipped with the reason, unless
    PLAZA_REQUIRE_SHARED_DATA=1 asks for them to fail."""
    reason = _shared_data_missing()
    skip = reason is not None and os.environ.get("PLAZA_REQUIRE_SHARED_DATA") != "1"
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.shared_data)
        if skip and "shared_data" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The root of ../shared/data (the only place tests name it)."""
    reason = _shared_data_missing()
    if reason:
        if os.environ.get("PLAZA_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return SHARED_DATA


def _new_database(tmp_path_factory, name: str):
    """(url, drop): a PostgreSQL schema of its own when DATABASE_URL says so, else a SQLite file."""
    if PG_URL.startswith("postgres"):
        schema = f"plaza_{name}_{uuid.uuid4().hex[:10]}"
        base = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop():
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()

        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options=-csearch_path%3D{schema}", drop
    return f"sqlite:///{tmp_path_factory.mktemp(name) / f'{name}.db'}", lambda: None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url, drop = _new_database(tmp_path_factory, "test")
    yield url
    drop()


@pytest.fixture(scope="session")
def private_database(tmp_path_factory):
    """Factory of databases of one's own, for data sets imported once per session (Wales)."""
    drops = []

    def make(name: str) -> str:
        url, drop = _new_database(tmp_path_factory, name)
        drops.append(drop)
        return url

    yield make
    for drop in drops:
        drop()


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("uploads"))


_schema_ready = {}


def make_app(database_url, upload_dir, **overrides):
    config = {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "UPLOAD_FOLDER": upload_dir,
        "SERVER_NAME": None,
        "INCOMING_EMAIL_DOMAIN": "plaza.test",
        "SERVER_BASE_URL": "http://plaza.test",
        "MAIL_PORT": 1,  # nothing listens: tests that send mail use the smtp fixture
    }
    config.update(overrides)
    app = create_app(config)
    if database_url not in _schema_ready:
        with app.app_context():
            db.create_all()
        _schema_ready[database_url] = True
    return app


def _empty_tables(app):
    with app.app_context():
        tables = [t for t in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            if names:
                with db.engine.begin() as conn:
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            with db.engine.begin() as conn:
                for t in tables:
                    conn.execute(t.delete())
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app_factory(database_url, upload_dir):
    """Build an app with extra config; tables are emptied after the test."""
    made = []

    def factory(**overrides):
        app = make_app(database_url, upload_dir, **overrides)
        made.append(app)
        return app

    yield factory
    if made:
        _empty_tables(made[0])


@pytest.fixture
def app(app_factory):
    app = app_factory()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class SMTPSink:
    """A real SMTP server (aiosmtpd) on a free local port, collecting what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages = []
        self._lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = message_from_bytes(envelope.content, policy=policy.default)
                with sink._lock:
                    sink.messages.append(
                        {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": msg,
                         "raw": envelope.content}
                    )
                return "250 OK"

        with socket.socket() as probe:  # a free port (aiosmtpd cannot start on port 0)
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def clear(self):
        with self._lock:
            self.messages.clear()

    def body(self, index=-1) -> str:
        msg = self.messages[index]["message"]
        part = msg.get_body(preferencelist=("plain",)) if msg.is_multipart() else msg
        return part.get_content()


@pytest.fixture
def smtp():
    sink = SMTPSink()
    yield sink
    sink.stop()


@pytest.fixture
def mail_app(app_factory, smtp):
    """An app whose outbox sends to the in-process SMTP server."""
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    with app.app_context():
        yield app
