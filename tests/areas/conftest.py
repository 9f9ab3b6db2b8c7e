"""Fixtures for the areas tests: small synthetic maps, and the Welsh boundaries of tests/data
imported once per test session into a database of their own (its tests use `wales_client`)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from helpers import import_welsh_areas, use_welsh_languages

from app import create_app
from app.extensions import db


def use_wales_profile(app):
    """Swap the app's profile for a Welsh-style one: English and Welsh, UK postcodes."""
    return use_welsh_languages(
        app, postcodes=True, postcode_pattern=r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", postcode_example="CF10 1EP"
    )


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
    regions = write_fc(
        tmp_path / "regions.json",
        [
            feature(square(0, 0, 1, 1), name="West", name_fr="Ouest", code="R1"),
            feature(square(1, 0, 2, 1), name="East", name_fr="Est", code="R2"),
        ],
    )
    districts = write_fc(
        tmp_path / "districts.json",
        [
            feature(square(0, 0, 1, 0.5), name="Southwest", code="D1"),
            feature(square(0, 0.5, 1, 1), name="Northwest", code="D2"),
            feature(square(1, 0, 2, 0.5), name="Sóuthéast", code="D3"),
            feature(square(1, 0.5, 2, 1), name="Northeast", code="D4"),
        ],
    )
    return regions, districts


def import_small_map(runner, small_map):
    regions, districts = small_map
    r1 = runner.invoke(
        args=[
            "areas",
            "import-geojson",
            regions,
            "--type",
            "REG",
            "--name-field",
            "name",
            "--name-lang",
            "en",
            "--name-field-fr",
            "name_fr",
            "--code-field",
            "code",
            "--code-scheme",
            "test",
            "--type-name",
            "Region",
            "--level",
            "1",
        ]
    )
    assert r1.exit_code == 0, r1.output
    r2 = runner.invoke(
        args=[
            "areas",
            "import-geojson",
            districts,
            "--type",
            "DIS",
            "--name-field",
            "name",
            "--code-field",
            "code",
            "--code-scheme",
            "test",
            "--parent-type",
            "REG",
            "--type-name",
            "District",
        ]
    )
    assert r2.exit_code == 0, r2.output
    return r1, r2


def import_wales(app) -> float:
    started = time.monotonic()
    import_welsh_areas(app)
    return time.monotonic() - started


@pytest.fixture(scope="session")
def wales_app(private_database, upload_dir):
    """An app on its own database holding all the Welsh boundaries, imported once."""
    url = private_database("wales")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
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
        import_wales(app)  # its time is printed by benchmarks/areas_lookup.py, never asserted
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def wales_client(wales_app):
    return wales_app.test_client()
