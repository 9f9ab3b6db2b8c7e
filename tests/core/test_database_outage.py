"""With the database unreachable, visitors get a translated 503 page with Retry-After, never a bare 500."""

from __future__ import annotations

import logging
import re
import socket

import pytest

from app import create_app


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def down(tmp_path):
    """An app whose database server does not answer (nothing listens on its port)."""
    logging.disable(logging.CRITICAL)  # the outage is logged loudly; the test reads the answers
    try:
        yield create_app(
            {
                "TESTING": False,
                "SECRET_KEY": "test-secret",
                "UPLOAD_FOLDER": str(tmp_path),
                "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{_closed_port()}/test",
            }
        ).test_client()
    finally:
        logging.disable(logging.NOTSET)


@pytest.mark.parametrize("path", ["/en/", "/en/reports/", "/en/foi/", "/en/accounts/signin", "/es/write/"])
def test_pages_answer_503_with_retry_after_and_the_layout(down, path):
    response = down.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    page = response.get_data(as_text=True)
    assert re.search(r"<h1>[^<]+</h1>", page) and 'lang="' in page and "Traceback" not in page


def test_the_page_is_in_the_visitors_language_from_the_shipped_catalogs(down):
    page = down.get("/es/nothing-here").get_data(as_text=True)
    assert "Página no encontrada" in page  # a 404 rendered without the database, in Spanish


def test_json_apis_answer_503_in_their_own_format(down):
    mapit = down.get("/mapit/point/4326/-3.1791,51.4816")
    assert mapit.status_code == 503 and mapit.get_json()["code"] == 503
    open311 = down.get("/open311/v2/services.json")
    assert open311.status_code == 503 and open311.get_json()[0]["code"] == "503"


def test_hsts_on_https_in_production_only(app_factory):
    production = app_factory(PLAZA_ENV="production")
    secure = production.test_client().get("/en/", base_url="https://plaza.test")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in production.test_client().get("/en/").headers
    development = app_factory().test_client().get("/en/", base_url="https://plaza.test")
    assert "Strict-Transport-Security" not in development.headers
