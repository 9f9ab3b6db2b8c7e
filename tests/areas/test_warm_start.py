"""Warm start: PLAZA_WARM_START=1 builds the spatial index when the app is made, and a request
reuses it until an import changes the index version."""

from __future__ import annotations

from app.areas import queries
from app.extensions import db


def test_warm_start_builds_the_index_before_the_first_request(app, app_factory):
    with app.app_context():
        key = str(db.engine.url)
    queries._CACHE.clear()
    warm = app_factory(PLAZA_WARM_START=True)
    built = queries._CACHE.get(key)
    assert built is not None
    with warm.test_request_context("/mapit/point/4326/0.5,50.5"):
        assert queries._index() is built  # served, not rebuilt
        queries.bump_index_version()  # what every import does
        db.session.flush()
        assert queries._index() is not built


def test_without_warm_start_nothing_is_built_at_start(app_factory):
    queries._CACHE.clear()
    app_factory(PLAZA_WARM_START=False)
    assert queries._CACHE == {}
