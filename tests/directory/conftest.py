"""Fixtures for the directory tests: the Welsh boundaries plus EveryPolitician's Welsh Popolo
file in a database of their own (imported once per session), and small synthetic maps."""

from __future__ import annotations

import json

import pytest
from helpers import POPOLO, WELSH_IMPORTS, cli, import_welsh_areas, make_user, sign_in, use_welsh_languages

from app import create_app
from app.extensions import db

use_wales_profile = use_welsh_languages


@pytest.fixture(scope="session")
def wales_app(private_database, upload_dir):
    """Welsh areas (with wards, so names are ambiguous) and the Popolo file, imported once."""
    url = private_database("dirwales")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "UPLOAD_FOLDER": upload_dir,
            "SERVER_NAME": None,
        }
    )
    use_wales_profile(app)
    with app.app_context():
        db.create_all()
        import_welsh_areas(app)
        app.config["POPOLO_OUTPUT"] = cli(app, "directory", "import-popolo", str(POPOLO)).output
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def wales(wales_app):
    with wales_app.test_request_context("/en/"):
        from flask import g

        g.lang = "en"
        yield wales_app
        db.session.rollback()


@pytest.fixture
def wales_client(wales_app):
    return wales_app.test_client()


@pytest.fixture(scope="session")
def popolo_data():
    return json.loads(POPOLO.read_text(encoding="utf-8"))


@pytest.fixture
def welsh_areas_app(app):
    """The function-scoped app with the Senedd regions and constituencies and the councils."""
    use_welsh_languages(app)
    import_welsh_areas(app, WELSH_IMPORTS[:3])
    return app


def login(client, app, role="moderator", email="mod@example.org"):
    """A user with `role`, signed in on `client`; returns the id."""
    with app.app_context():
        uid = make_user(email, name="Mod Erator", role=role, confirmed=False).id
    sign_in(client, uid)
    return uid
