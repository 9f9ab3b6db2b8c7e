"""Layout, error pages, security headers, static caching and compression."""

from __future__ import annotations

import gzip
import re

import pytest
from flask import Blueprint, abort

CODES = [400, 403, 404, 405, 410, 413, 429, 500]


@pytest.fixture
def boom_app(fresh_app, app_factory):
    app = app_factory(PROPAGATE_UNEXPECTED=False)
    bp = Blueprint("boom", __name__)

    @bp.route("/boom/<int:code>", methods=["GET"])
    def boom(code):
        if code == 500:
            raise RuntimeError("secret traceback detail")
        abort(code)

    app.register_blueprint(bp, url_prefix="/<lang>")
    app.add_url_rule("/api/boom", "api_boom", lambda: (_ for _ in ()).throw(RuntimeError("x")))
    with app.app_context():
        yield app


@pytest.mark.parametrize("code", CODES)
def test_error_pages_are_translated_in_the_layout(boom_app, code):
    client = boom_app.test_client()
    if code == 405:
        resp = client.post("/es/boom/405")
    else:
        resp = client.get(f"/es/boom/{code}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == code
    assert '<html lang="es"' in html
    assert 'class="skip"' in html and "<footer" in html  # the site layout
    assert "Traceback" not in html and "secret traceback detail" not in html
    # The page is in Spanish, not the English source text
    english = {
        400: "Bad request",
        403: "Not allowed",
        404: "Page not found",
        405: "Method not allowed",
        410: "Gone",
        413: "Too large",
        429: "Too many requests",
        500: "Something went wrong",
    }
    assert f"<h1>{english[code]}</h1>" not in html
    assert re.search(r"<h1>[^<]+</h1>", html)


def test_arabic_error_page_is_right_to_left(boom_app):
    resp = boom_app.test_client().get("/ar/boom/404")
    assert '<html lang="ar" dir="rtl">' in resp.get_data(as_text=True)


def test_json_endpoints_answer_json_errors(boom_app):
    client = boom_app.test_client()
    resp = client.get("/api/does-not-exist")
    assert resp.status_code == 404 and resp.is_json
    assert resp.get_json()["code"] == 404
    resp = client.get("/api/boom")
    assert resp.status_code == 500 and resp.is_json
    assert "x" != resp.get_json()["error"]


def test_security_headers(client):
    resp = client.get("/en/")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]


def test_no_inline_scripts_or_styles(client):
    html = client.get("/en/").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html and " style=" not in html
    assert "<script" not in html  # the home page uses no enhancement (test_scripts_only_where_used.py)


def test_static_files_are_fingerprinted_and_cached_long(client):
    html = client.get("/en/").get_data(as_text=True)
    href = re.search(r'href="(/static/css/plaza.css\?v=\w+)"', html).group(1)
    resp = client.get(href)
    assert resp.status_code == 200
    assert resp.cache_control.max_age == 365 * 24 * 3600 and resp.cache_control.immutable
    assert resp.cache_control.public and not resp.cache_control.no_cache  # no-cache would revalidate
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = client.get("/static/css/plaza.css?v=old")
    assert stale.cache_control.max_age == 300 and not stale.cache_control.no_cache


def test_static_files_are_compressed(client):
    import brotli

    html = client.get("/en/foi/").get_data(as_text=True)  # a page with htmx
    for src in (
        re.search(r'href="(/static/css/plaza.css\?v=\w+)"', html).group(1),
        re.search(r'src="(/static/vendor/htmx.min.js\?v=\w+)"', html).group(1),
    ):
        plain = client.get(src, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers
        resp = client.get(src, headers={"Accept-Encoding": "gzip"})
        assert resp.headers.get("Content-Encoding") == "gzip", src
        assert gzip.decompress(resp.data) == plain.data
        assert int(resp.headers["Content-Length"]) == len(resp.data) < len(plain.data)
        assert "Accept-Encoding" in resp.headers["Vary"]
        resp = client.get(src, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert resp.headers.get("Content-Encoding") == "br"
        assert brotli.decompress(resp.data) == plain.data
        # The browser's revalidation with the compressed ETag gets a 304.
        again = client.get(src, headers={"Accept-Encoding": "gzip, deflate, br", "If-None-Match": resp.headers["ETag"]})
        assert again.status_code == 304 and not again.data


def test_responses_are_compressed(client):
    resp = client.get("/en/", headers={"Accept-Encoding": "gzip"})
    assert resp.headers.get("Content-Encoding") == "gzip"
    assert b"<html" in gzip.decompress(resp.data)


def test_session_cookie_flags(app_factory, monkeypatch):
    monkeypatch.setenv("PLAZA_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-0123456789")
    app = app_factory()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_skip_link_nav_and_language_switcher(client):
    html = client.get("/fr/").get_data(as_text=True)
    assert '<a class="skip" href="#main">' in html and 'id="main"' in html
    for tag in ("en", "es", "fr", "ar"):
        assert f'hreflang="{tag}" lang="{tag}"' in html
    assert 'href="/fr/areas/"' in html  # nav links appear for installed components


def test_favicon_does_not_hit_the_language_routes(client):
    assert client.get("/favicon.ico").status_code == 204
