"""Errors never become bare server pages: NUL refused up front, a failed statement rolled back before the error page, Open311 errors in GeoReport's shape."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import text

from app.core.errors import add_error_renderer
from app.extensions import db


def test_nul_in_a_form_or_query_is_a_translated_400(client):
    resp = client.post(
        "/es/accounts/signup",
        data={"name": "Ana\x00", "email": "a@example.org", "password": "x" * 12, "password2": "x" * 12},
    )
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'lang="es"' in html and "Traceback" not in html
    assert client.get("/en/people/?q=a%00b").status_code == 400


@pytest.mark.fresh_app
def test_error_page_after_a_failed_statement_renders_in_the_layout(app_factory):
    app = app_factory(PROPAGATE_UNEXPECTED=False)

    @app.route("/broken-statement")
    def broken():
        db.session.execute(text("SELECT * FROM no_such_table_anywhere"))

    resp = app.test_client().get("/broken-statement")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 500 and "<nav" in html and "Traceback" not in html


def test_open311_errors_from_outside_the_views_are_error_lists(client):
    resp = client.put("/open311/v2/servicerequestupdates.xml")  # GET and POST exist
    assert resp.status_code == 405 and resp.mimetype == "text/xml"
    root = ET.fromstring(resp.data)
    assert root.tag == "errors" and root.find("error/code").text == "405"
    assert root.find("error/description").text
    resp = client.get("/open311/v2/no-such-thing.json")
    assert resp.status_code == 404 and resp.get_json() == [{"code": "404", "description": "Page not found"}]
    resp = client.delete("/open311/v2/requests.json")
    assert resp.status_code == 405 and resp.get_json()[0]["code"] == "405" and "GET" in resp.headers["Allow"]


def test_a_failing_renderer_falls_back_to_the_plain_error(app_factory):
    app = app_factory()

    def boom(code, description):
        raise RuntimeError("renderer broke")

    add_error_renderer(app, "/mapit/", boom)
    resp = app.test_client().get("/mapit/area/999999")
    assert resp.status_code == 404 and resp.get_json()["code"] == 404


def test_nul_in_api_queries_is_a_json_400(client):
    for url in ("/mapit/areas/Car?type=A%00B", "/mapit/code/gss/W01?x=%00"):
        resp = client.get(url)
        assert resp.status_code == 400 and resp.get_json()["code"] == 400
    assert client.get("/mapit/areas/Car%00diff").status_code == 404
