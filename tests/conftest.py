"""Shared fixtures: the app on SQLite (default) or PostgreSQL (DATABASE_URL), a real SMTP server.

Each test session gets its own database: a temporary SQLite file, or a PostgreSQL schema with a
unique name that is dropped at the end, so runs never depend on (or clash with) each other. Apps
are built once per configuration; each test runs in a transaction rolled back at its end (see
app_factory). Generic helpers (make_user, sign_in, cli, the Welsh test data) are in helpers.py.
"""

from __future__ import annotations

import copy
import os
import socket
import threading
import uuid
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask import Flask, has_app_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine

from app import create_app
from app.extensions import db, limiter

PG_URL = os.environ.get("DATABASE_URL", "")

# Other people's prose (Alaveteli's emails, debate transcripts) stays in ../shared/data, which a
# fresh clone does not have. Tests that read it ask for the `shared_data` fixture and carry the
# `shared_data` mark; they are skipped with a reason where it is absent. CI sets
# PLAZA_REQUIRE_SHARED_DATA=1 so that a missing folder fails those tests instead.
SHARED_DATA = Path(os.environ.get("PLAZA_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
TEST_DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config):
    config.addinivalue_line("markers", "shared_data: reads ../shared/data (skipped where it is absent)")
    config.addinivalue_line(
        "markers",
        "commits: the test's data is really committed (other connections, threads "
        "or processes see it); tables are emptied after it instead of a rollback",
    )
    config.addinivalue_line(
        "markers",
        "fresh_app: the test changes an app's routes or hooks, so app_factory "
        "makes it apps of its own instead of the session's",
    )


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
def alaveteli_mail(shared_data) -> Path:
    """Alaveteli's test emails (placeholders EMAIL_TO, EMAIL_FROM ... where addresses go)."""
    return shared_data / "mail" / "alaveteli"


def pytest_generate_tests(metafunc):
    """A test taking `alaveteli_eml` runs once per Alaveteli email (or is skipped without them)."""
    if "alaveteli_eml" not in metafunc.fixturenames:
        return
    files = sorted((SHARED_DATA / "mail" / "alaveteli").glob("*.eml"))
    if files:
        metafunc.parametrize("alaveteli_eml", files, ids=[p.name for p in files])
    else:
        reason = _shared_data_missing() or "no Alaveteli emails"
        marks = () if os.environ.get("PLAZA_REQUIRE_SHARED_DATA") == "1" else (pytest.mark.skip(reason=reason),)
        metafunc.parametrize("alaveteli_eml", [pytest.param(None, marks=marks)], ids=["missing"])


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
    _forget_apps()
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


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """Real argon2, at its lowest cost: the default (~0.15 s a hash) was a third of the suite's time."""
    from argon2 import PasswordHasher

    from app.accounts import services as accounts

    saved = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = saved


# ---- one app per configuration, each test inside a transaction rolled back at its end ----------
#
# Building an app costs 0.5-1 s, so apps are made once per distinct configuration (config
# overrides plus the environment) and kept for the session. Each test runs inside one outer
# transaction per database, on one connection that every session of every app on that database
# joins with SAVEPOINTs (join_transaction_mode="create_savepoint"): the code's commits release a
# savepoint, its rollbacks go back to one, and the outer transaction is rolled back at the end of
# the test, so the next test finds the tables as they were. Tests whose data must be committed
# for other connections or threads (a live server, worker threads, subprocesses, code that opens
# its own connection) say so with @pytest.mark.commits or the `commits` fixture: they commit for
# real and the tables are emptied after them.

_APPS: dict[str, Flask] = {}
_MAX_APPS = 12  # apps made for a single test (a temporary catalog) should not pile up
_schema_ready: set[str] = set()
_BOUND: dict[str, object] = {}  # database URL -> the test's connection, while a test runs


class _TestSession(FlaskSession):
    """Flask-SQLAlchemy's session, sent to the running test's connection for its database."""

    def get_bind(self, *args, **kwargs):
        bind = super().get_bind(*args, **kwargs)
        if isinstance(bind, Engine):
            return _BOUND.get(bind.url.render_as_string(hide_password=False), bind)
        return bind


db.session.session_factory.class_ = _TestSession
db.session.session_factory.kw["join_transaction_mode"] = "create_savepoint"


_SAVEPOINTS = {"on": False}  # True while a test runs inside a rolled-back transaction


def _sqlite_savepoints(engine):
    """pysqlite manages transactions itself and breaks SAVEPOINT: while a test runs inside a
    transaction, let SQLAlchemy emit BEGIN (the recipe in SQLAlchemy's pysqlite documentation).
    Committing tests keep pysqlite's own behaviour, in which reads take no lock between
    statements, so a live server's threads can write while the test reads."""

    @event.listens_for(engine, "checkout")
    def _transactions_by_sqlalchemy(dbapi_connection, _record, _proxy):
        dbapi_connection.isolation_level = None if _SAVEPOINTS["on"] else ""

    @event.listens_for(engine, "begin")
    def _begin(conn):
        if conn.connection.dbapi_connection.isolation_level is None:
            conn.exec_driver_sql("BEGIN")


# Settings the app reads on each request, never while it is built: a test's own value (a temporary
# catalog folder) is set on the shared app for that test instead of building an app for it.
_RUNTIME_CONFIG = {"PLAZA_TRANSLATIONS_DIR"}


def _app_key(database_url, overrides) -> str:
    env = sorted((k, v) for k, v in os.environ.items() if not k.startswith("PYTEST_"))
    return repr((database_url, sorted((k, repr(v)) for k, v in overrides.items()), env))


def make_app(database_url, upload_dir, fresh=False, **overrides):
    """The app for this configuration: built once, then kept for the session (unless fresh)."""
    key = _app_key(database_url, overrides)
    if key in _APPS and not fresh:
        _APPS[key] = _APPS.pop(key)  # most recently used last
        return _APPS[key]
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
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_savepoints(db.engine)
        url = _url(app)
        if url not in _schema_ready:
            db.create_all()
            _schema_ready.add(url)
    if not fresh:
        _APPS[key] = app
    return app


def _url(app) -> str:
    return db.engines[None].url.render_as_string(hide_password=False) if has_app_context() else ""


def _dispose(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _forget_apps():
    while _APPS:
        _dispose(_APPS.pop(next(iter(_APPS))))


def _trim_apps():
    while len(_APPS) > _MAX_APPS:
        _dispose(_APPS.pop(next(iter(_APPS))))


def _empty_tables(app):
    with app.app_context():
        db.session.remove()
        tables = list(reversed(db.metadata.sorted_tables))
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            if names:
                with db.engine.begin() as conn:
                    conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            with db.engine.begin() as conn:
                for t in tables:
                    conn.execute(t.delete())


def _restart_sequences(conn):
    """PostgreSQL does not roll sequences back: restart them, so ids never depend on test order."""
    seqs = (
        conn.execute(
            text("SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema()")
        )
        .scalars()
        .all()
    )
    for name in seqs:
        conn.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))


class _Binding:
    """One test's outer transaction on one database."""

    def __init__(self, app):
        with app.app_context():
            self.url = _url(app)
            self.conn = db.engine.connect()
        # Code that asks session.get_bind() for its URL (app/foi/search.py) gets the engine's.
        self.conn.url = self.conn.engine.url
        self.trans = self.conn.begin()
        if self.conn.dialect.name == "postgresql":
            _restart_sequences(self.conn)
        _BOUND[self.url] = self.conn

    def close(self):
        _BOUND.pop(self.url, None)
        if self.trans.is_active:
            self.trans.rollback()
        self.conn.close()


def _snapshot(app):
    env = app.jinja_env
    # registries kept in extensions (inbox handlers, sections ...) are lists, dicts and sets
    contents = {k: _copy2(v) for k, v in app.extensions.items() if type(v) in (list, dict, set)}
    return (
        app,
        dict(app.config),
        (dict(app.extensions), contents),
        env.loader,
        list(app.jinja_loader.searchpath),
        dict(env.globals),
        dict(env.filters),
    )


def _copy2(value):
    """A copy two levels deep (the registry is a dict of lists)."""
    if isinstance(value, dict):
        return {k: copy.copy(v) if type(v) in (list, dict, set) else v for k, v in value.items()}
    return copy.copy(value)


def _put_back(live, saved):
    """Give a container its saved contents again, in place (code may hold on to it)."""
    if isinstance(live, list):
        live[:] = saved
    elif isinstance(live, dict):
        for key in [k for k in live if k not in saved]:
            del live[key]
        for key, value in saved.items():
            if type(value) in (list, dict, set) and type(live.get(key)) is type(value):
                _put_back(live[key], value)
            else:
                live[key] = value
    else:
        live.clear()
        live.update(saved)


def _restore(snapshot):
    """Put back what tests change on an app: config, extensions (the profile), templates."""
    app, config, (extensions, contents), loader, searchpath, globals_, filters = snapshot
    app.config.clear()
    app.config.update(config)
    app.extensions.clear()
    app.extensions.update(extensions)
    for key, saved in contents.items():
        if app.extensions[key] != saved:
            _put_back(app.extensions[key], saved)
    env = app.jinja_env
    if env.loader is not loader or app.jinja_loader.searchpath != searchpath:
        env.loader = loader
        app.jinja_loader.searchpath[:] = searchpath
        env.cache.clear()
    for live, saved in ((env.globals, globals_), (env.filters, filters)):
        if live != saved:
            live.clear()
            live.update(saved)


@pytest.fixture
def fresh_app():
    """Opt-in: this test changes an app's set-up (routes, blueprints, hooks), which a shared app
    cannot take back: app_factory makes it apps of its own. Same as @pytest.mark.fresh_app."""
    return True


@pytest.fixture
def commits():
    """Opt-in: this test's data is really committed (for other connections, threads or
    processes); the tables are emptied after it. Same as @pytest.mark.commits."""
    return True


def _wants(request, name) -> bool:
    return request.node.get_closest_marker(name) is not None or name in request.fixturenames


@pytest.fixture
def app_factory(request, database_url, upload_dir):
    """app_factory(**config) -> the app for that configuration (kept for the session); whatever
    the test changes in its config or extensions is put back after the test, and its rows go."""
    committing, fresh = _wants(request, "commits"), _wants(request, "fresh_app")
    _SAVEPOINTS["on"] = not committing
    used: dict[int, tuple] = {}
    bindings: dict[str, _Binding] = {}

    def factory(**overrides):
        runtime = {k: overrides.pop(k) for k in list(overrides) if k in _RUNTIME_CONFIG}
        app = make_app(database_url, upload_dir, fresh=fresh, **overrides)
        # The limiter is one object for every app, set up by the last init_app: follow this app.
        limiter.enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
        if not used and getattr(limiter, "_storage", None) is not None:
            try:  # counts from earlier tests do not carry over (limiter.reset() asserts the
                limiter._storage.reset()  # storage is truthy, which an empty in-memory one is not)
            except Exception:  # noqa: BLE001 - a store that cannot be reached holds no counts
                pass
        if id(app) not in used:
            used[id(app)] = _snapshot(app)
            with app.app_context():
                url = _url(app)
            if not committing and url not in bindings:
                bindings[url] = _Binding(app)
        saved = used[id(app)][1]
        for key in _RUNTIME_CONFIG:  # each call gets what it asks for (the default when nothing)
            if key in runtime:
                app.config[key] = runtime[key]
            elif key in saved:
                app.config[key] = saved[key]
            else:
                app.config.pop(key, None)
        return app

    yield factory
    for snap in used.values():
        with snap[0].app_context():
            db.session.remove()
        _restore(snap)
    for binding in bindings.values():
        binding.close()
    if committing and used:
        _empty_tables(next(iter(used.values()))[0])
    if fresh:
        for snap in used.values():
            _dispose(snap[0])
    _SAVEPOINTS["on"] = False
    _trim_apps()


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
                        {
                            "from": envelope.mail_from,
                            "to": list(envelope.rcpt_tos),
                            "message": msg,
                            "raw": envelope.content,
                        }
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


@pytest.fixture(scope="session")
def _smtp_server():
    sink = SMTPSink()
    yield sink
    sink.stop()


@pytest.fixture
def smtp(_smtp_server):
    """The session's SMTP server, emptied for this test."""
    _smtp_server.clear()
    yield _smtp_server
    _smtp_server.clear()


@pytest.fixture
def mail_app(app_factory, smtp):
    """An app whose outbox sends to the in-process SMTP server."""
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    with app.app_context():
        yield app
