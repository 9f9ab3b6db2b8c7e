"""Fixtures for the i18n tests: a core(+accounts) app on a throw-away database, test-only
profiles, and temporary compiled catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import g

from app import create_app

HERE = Path(__file__).resolve().parent
TEST_PROFILES = HERE / "profiles"


@pytest.fixture
def core_app_factory(monkeypatch, tmp_path):
    """The app with core and accounts only, never touching the shared test database (so it
    cannot leave a partial schema behind for other components' tests)."""
    monkeypatch.setenv("PLAZA_COMPONENTS", "accounts")

    def factory(**overrides):
        profile = overrides.get("PLAZA_PROFILE", "demo")
        if (TEST_PROFILES / f"{profile}.toml").is_file():
            overrides["PLAZA_PROFILE"] = str(TEST_PROFILES / f"{profile}.toml")
        config = {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'core.db'}",
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "SERVER_BASE_URL": "http://plaza.test",
        }
        config.update(overrides)
        return create_app(config)

    return factory


def write_catalog(directory: Path, code: str, messages: dict, plural_forms: str | None = None):
    """Compile a catalog for `code` into directory/<code>/LC_MESSAGES/messages.mo.

    messages: {msgid: text} or {(singular, plural): (form0, form1, ...)} or
    {("ctx", msgid): text} for pgettext (key tuple of length 2 whose value is a str).
    """
    catalog = Catalog(locale=code.split("_")[0], domain="messages")
    if plural_forms:
        n, expr = plural_forms.split(";", 1)
        catalog._num_plurals = int(n.split("=")[1])
        catalog._plural_expr = expr.split("=", 1)[1].strip().rstrip(";")
    for key, text in messages.items():
        if isinstance(key, tuple) and isinstance(text, str):
            catalog.add(key[1], text, context=key[0])
        else:
            catalog.add(key, text)
    out = Path(directory) / code / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "messages.mo", "wb") as fh:
        write_mo(fh, catalog)
    return out / "messages.mo"


@pytest.fixture
def in_profile(core_app_factory):
    """in_profile(profile, tag): a request context of that profile's app in language `tag`."""
    contexts = []

    def enter(profile, tag):
        app = core_app_factory(PLAZA_PROFILE=profile)
        ctx = app.test_request_context("/")
        ctx.push()
        contexts.append(ctx)
        g.lang = tag
        return app

    yield enter
    for ctx in reversed(contexts):
        ctx.pop()
