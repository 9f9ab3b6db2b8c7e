"""Fixtures for the directory tests: the Welsh boundaries plus EveryPolitician's Welsh Popolo
file in a database of their own (imported once per session), and small synthetic maps."""

from __future__ import annotations

import dataclasses
import json
import os

import pytest
from directory_helpers import POPOLO, WALES

from app import create_app
from app.extensions import db
from app.profiles import Language

PG_URL = os.environ.get("DATABASE_URL", "")

WELSH_TYPES = [("SPE", "1", "Senedd region", "Rhanbarth y Senedd"),
               ("SPC", "2", "Senedd constituency", "Etholaeth y Senedd"),
               ("UTA", "2", "Council", "Cyngor"), ("UTW", "3", "Ward", "Ward")]
WELSH_IMPORTS = [
    ["nawer.json", "--type", "SPE", "--name-field", "NAWER13NM", "--name-field-cy", "NAWER13NMW",
     "--code-field", "NAWER13CD"],
    ["nawc.json", "--type", "SPC", "--name-field", "NAWC13NM", "--code-field", "NAWC13CD", "--parent-type", "SPE"],
    ["lad.json", "--type", "UTA", "--name-field", "LAD13NM", "--name-field-cy", "LAD13NMW", "--code-field", "LAD13CD"],
    ["wards_by_lad", "--type", "UTW", "--name-field", "WD13NM", "--name-field-cy", "WD13NMW",
     "--code-field", "WD13CD", "--parent-type", "UTA"],
]


def use_wales_profile(app):
    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(
        prof, languages=(prof.language("en"), Language("cy", "Cymraeg", "cy", "cy_GB")), default_language="en")
    return app


def import_areas(app, imports=WELSH_IMPORTS):
    runner = app.test_cli_runner()
    for code, level, en, cy in WELSH_TYPES:
        res = runner.invoke(args=["areas", "type", code, "--level", level, "--name", f"en={en}", "--name", f"cy={cy}"])
        assert res.exit_code == 0, res.output
    for args in imports:
        res = runner.invoke(args=["areas", "import-geojson", str(WALES / args[0]), *args[1:],
                                  "--name-lang", "en", "--code-scheme", "gss"])
        assert res.exit_code == 0, res.output


@pytest.fixture(scope="session")
def wales_app(private_database, upload_dir):
    """Welsh areas (with wards, so names are ambiguous) and the Popolo file, imported once."""
    url = private_database("dirwales")
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "UPLOAD_FOLDER": upload_dir,
                      "SERVER_NAME": None})
    use_wales_profile(app)
    with app.app_context():
        db.create_all()
        import_areas(app)
        res = app.test_cli_runner().invoke(args=["directory", "import-popolo", str(POPOLO)])
        assert res.exit_code == 0, res.output
        app.config["POPOLO_OUTPUT"] = res.output
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
    use_wales_profile(app)
    import_areas(app, WELSH_IMPORTS[:3])
    return app


def login(client, app, role="moderator", email="mod@example.org"):
    from app.accounts.models import User

    with app.app_context():
        user = User(email=email, name="Mod Erator", role=role)
        db.session.add(user)
        db.session.commit()
        uid = user.id
    with client.session_transaction() as sess:
        sess["_user_id"] = _session_id(app, uid)
        sess["_fresh"] = True
    return uid


def _session_id(app, user_id) -> str:
    """What Flask-Login keeps in the session for this user (id plus password stamp)."""
    from app.accounts.models import User

    with app.app_context():
        session_id = db.session.get(User, int(user_id)).get_id()  # starts a server-side sign-in
        db.session.commit()
        return session_id
