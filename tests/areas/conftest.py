"""Fixtures for the areas tests: small synthetic maps, and the real Welsh boundaries imported
once per test session into a database of their own (the shared `app` fixture empties its tables
after every test, so the Welsh data lives apart and its tests use `wales_client`)."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.profiles import Language

WALES = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "wales"
PG_URL = os.environ.get("DATABASE_URL", "")


def use_wales_profile(app):
    """Swap the app's profile for a Welsh-style one: English and Welsh, UK postcodes."""
    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(
        prof,
        languages=(prof.language("en"), Language("cy", "Cymraeg", "cy", "cy_GB")),
        default_language="en",
        postcodes=True,
        postcode_pattern=r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}",
        postcode_example="CF10 1EP",
    )
    return app


def square(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def feature(geometry, **props):
    return {"type": "Feature", "geometry": geometry, "properties": props}


def write_fc(path: Path, features, **extra) -> str:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, **extra}), encoding="utf-8")
    return str(path)


@pytest.fixture
def small_map(tmp_path):
    """Two regions side by side (x 0-1 and 1-2, y 0-1), each with two districts."""
    regions = write_fc(tmp_path / "regions.json", [
        feature(square(0, 0, 1, 1), name="West", name_fr="Ouest", code="R1"),
        feature(square(1, 0, 2, 1), name="East", name_fr="Est", code="R2"),
    ])
    districts = write_fc(tmp_path / "districts.json", [
        feature(square(0, 0, 1, 0.5), name="Southwest", code="D1"),
        feature(square(0, 0.5, 1, 1), name="Northwest", code="D2"),
        feature(square(1, 0, 2, 0.5), name="Sóuthéast", code="D3"),
        feature(square(1, 0.5, 2, 1), name="Northeast", code="D4"),
    ])
    return regions, districts


def import_small_map(runner, small_map):
    regions, districts = small_map
    r1 = runner.invoke(args=["areas", "import-geojson", regions, "--type", "REG", "--name-field", "name",
                             "--name-lang", "en", "--name-field-fr", "name_fr", "--code-field", "code",
                             "--code-scheme", "test", "--type-name", "Region", "--level", "1"])
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(args=["areas", "import-geojson", districts, "--type", "DIS", "--name-field", "name",
                             "--code-field", "code", "--code-scheme", "test", "--parent-type", "REG",
                             "--type-name", "District"])
    assert r2.exit_code == 0, r2.output
    return r1, r2


WELSH_TYPES = [
    ("SPE", "1", "Senedd region", "Rhanbarth y Senedd"),
    ("SPC", "2", "Senedd constituency", "Etholaeth y Senedd"),
    ("UTA", "2", "Council", "Cyngor"),
    ("UTW", "3", "Ward", "Ward"),
]
WELSH_IMPORTS = [
    ["nawer.json", "--type", "SPE", "--name-field", "NAWER13NM", "--name-field-cy", "NAWER13NMW",
     "--code-field", "NAWER13CD"],
    ["nawc.json", "--type", "SPC", "--name-field", "NAWC13NM", "--code-field", "NAWC13CD", "--parent-type", "SPE"],
    ["lad.json", "--type", "UTA", "--name-field", "LAD13NM", "--name-field-cy", "LAD13NMW", "--code-field", "LAD13CD"],
    ["wards_by_lad", "--type", "UTW", "--name-field", "WD13NM", "--name-field-cy", "WD13NMW",
     "--code-field", "WD13CD", "--parent-type", "UTA"],
]


def import_wales(app) -> float:
    runner = app.test_cli_runner()
    started = time.monotonic()
    for code, level, en, cy in WELSH_TYPES:
        res = runner.invoke(args=["areas", "type", code, "--level", level, "--name", f"en={en}", "--name", f"cy={cy}"])
        assert res.exit_code == 0, res.output
    for args in WELSH_IMPORTS:
        res = runner.invoke(args=["areas", "import-geojson", str(WALES / args[0]), *args[1:],
                                  "--name-lang", "en", "--code-scheme", "gss"])
        assert res.exit_code == 0, res.output
    return time.monotonic() - started


@pytest.fixture(scope="session")
def wales_app(private_database, upload_dir):
    """An app on its own database holding all the Welsh boundaries, imported once."""
    url = private_database("wales")
    app = create_app({
        "TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test",
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "UPLOAD_FOLDER": upload_dir,
        "SERVER_NAME": None,
    })
    use_wales_profile(app)
    with app.app_context():
        db.create_all()
        app.config["WALES_IMPORT_SECONDS"] = import_wales(app)
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def wales_client(wales_app):
    return wales_app.test_client()
