"""Language negotiation and language URLs (docs/i18n.md)."""

from __future__ import annotations

import re

import pytest
from flask import g

from app.core.negotiation import LANG_COOKIE, best_match, parse_accept_language

MULTI = ["en", "cy", "ar", "pt-BR", "zh-Hans", "sr-Latn"]


# -- units -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header,expected",
    [
        ("fr-CA,fr;q=0.9,en;q=0.5", ["fr-CA", "fr", "en"]),
        ("en;q=0.5, cy", ["cy", "en"]),  # q-values order, not position
        ("da, en-gb;q=0.8, en;q=0.7", ["da", "en-gb", "en"]),
        ("es;q=0.8,de;q=0.8", ["es", "de"]),  # ties keep the header's order
        ("en;q=0, cy;q=0.1", ["cy"]),  # q=0 means "not this"
        ("en;q=abc", []),
        ("*", []),
        ("", []),
        (";;;,,,q=1", []),
        ("\x00\xff<script>", []),
        ("en" + ",en" * 10000, ["en"] * 40),  # long headers are cut, not choked on
    ],
)
def test_parse_accept_language(header, expected):
    assert parse_accept_language(header) == expected


@pytest.mark.parametrize(
    "requested,available,expected",
    [
        (["pt"], ["en", "pt-BR"], "pt-BR"),  # a bare language reaches its regional variant
        (["pt-PT"], ["en", "pt-BR"], "pt-BR"),
        (["zh-CN"], ["en", "zh-Hans", "zh-Hant"], "zh-Hans"),  # territory implies script
        (["zh-TW"], ["en", "zh-Hans", "zh-Hant"], "zh-Hant"),
        (["zh"], ["en", "zh-Hant"], None),  # plain zh is Simplified: not Traditional
        (["sr-Latn-RS"], ["en", "sr"], None),  # Latin Serbian must not land on Cyrillic sr
        (["sr-Latn-RS"], ["en", "sr", "sr-Latn"], "sr-Latn"),
        (["sr"], ["en", "sr-Latn"], None),
        (["en-US"], ["cy", "en"], "en"),
        (["EN-gb"], ["cy", "en"], "en"),
        (["pt_br"], ["en", "pt-BR"], "pt-BR"),
        (["cy-GB", "en"], ["en", "cy"], "cy"),
        (["de", "fr"], ["en", "fr"], "fr"),  # first acceptable, in order
        (["tum"], ["en", "tum"], "tum"),  # a language CLDR does not know still matches itself
        (["und", "root", "i-klingon", "x-private", "123", "zz-ZZ"], ["en", "cy"], None),
        (["en-US-u-ca-gregory"], ["ar", "en"], "en"),
    ],
)
def test_best_match(requested, available, expected):
    assert best_match(requested, available) == expected


# -- URLs ------------------------------------------------------------------------------
@pytest.fixture
def multi(core_app_factory):
    app = core_app_factory(PLAZA_PROFILE="multi")

    def things():
        from flask import render_template_string

        return render_template_string(
            '{% extends "base.html" %}{% block content %}<p id="t">{{ _("Page not found") }}</p>{% endblock %}'
        )

    app.add_url_rule("/<lang>/things/", "things", things)
    app.add_url_rule("/<lang>/things/<int:item>", "thing", lambda item: things())

    @app.before_request
    def fake_signed_in_user():
        # what accounts does for a signed-in user with a saved preference
        from flask import request

        if request.headers.get("X-Test-User-Language"):
            g.user_language = request.headers["X-Test-User-Language"]

    return app


@pytest.fixture
def client(multi):
    return multi.test_client()


def test_root_negotiates_with_302_and_vary(client):
    resp = client.get("/", headers={"Accept-Language": "pt;q=0.9, en;q=0.1"})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/pt-BR/"
    vary = {v.strip() for v in resp.headers["Vary"].split(",")}
    assert {"Cookie", "Accept-Language"} <= vary


@pytest.mark.parametrize(
    "header,expected",
    [
        ("zh-CN,zh;q=0.9", "/zh-Hans/"),
        ("sr-Latn-RS", "/sr-Latn/"),
        ("de-DE, fr;q=0.5", "/en/"),  # nothing acceptable: the profile default
        ("garbage;;;q==", "/en/"),
        ("", "/en/"),
        ("ar-JO", "/ar/"),
    ],
)
def test_root_negotiation_cases(client, header, expected):
    resp = client.get("/", headers={"Accept-Language": header})
    assert resp.status_code == 302 and resp.headers["Location"] == expected


def test_cookie_beats_header_and_user_preference_beats_both(client):
    client.set_cookie(LANG_COOKIE, "cy")
    resp = client.get("/", headers={"Accept-Language": "ar"})
    assert resp.headers["Location"] == "/cy/"
    resp = client.get("/", headers={"Accept-Language": "ar", "X-Test-User-Language": "pt-BR"})
    assert resp.headers["Location"] == "/pt-BR/"
    # a stale preference for a language the profile no longer offers is ignored
    resp = client.get("/", headers={"Accept-Language": "ar", "X-Test-User-Language": "fr"})
    assert resp.headers["Location"] == "/cy/"
    client.set_cookie(LANG_COOKIE, "xx-garbage")
    assert client.get("/", headers={"Accept-Language": "ar"}).headers["Location"] == "/ar/"


def test_reading_a_page_remembers_the_language(client):
    resp = client.get("/cy/things/")
    assert resp.status_code == 200
    assert f"{LANG_COOKIE}=cy" in resp.headers.get("Set-Cookie", "")
    assert "HttpOnly" in resp.headers["Set-Cookie"] and "SameSite=Lax" in resp.headers["Set-Cookie"]
    assert client.get("/", headers={"Accept-Language": "ar"}).headers["Location"] == "/cy/"
    # no Set-Cookie once it is remembered: pages stay cacheable
    assert LANG_COOKIE not in client.get("/cy/things/").headers.get("Set-Cookie", "")
    # error pages and redirects do not set it
    assert LANG_COOKIE not in client.get("/ar/nowhere/").headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    "path,target",
    [
        ("/pt_BR/things/", "/pt-BR/things/"),
        ("/pt-br/things/", "/pt-BR/things/"),
        ("/PT_br/things/3?x=1", "/pt-BR/things/3?x=1"),
        ("/EN/things/", "/en/things/"),
        ("/zh-hans/", "/zh-Hans/"),
    ],
)
def test_non_canonical_language_redirects_301(client, path, target):
    resp = client.get(path)
    assert resp.status_code == 301
    assert resp.headers["Location"] == target


@pytest.mark.parametrize(
    "path,target",
    [
        ("/ar-EG/things/", "/ar/things/"),
        ("/en-US/things/3?x=1", "/en/things/3?x=1"),
        ("/cy_GB/", "/cy/"),
        ("/pt-PT/things/", "/pt-BR/things/"),
        ("/zh-Hans-SG/", "/zh-Hans/"),
    ],
)
def test_region_variant_redirects_302_to_the_closest_served_language(client, path, target):
    resp = client.get(path)
    assert resp.status_code == 302
    assert resp.headers["Location"] == target


@pytest.mark.parametrize(
    "path",
    ["/de/things/", "/xx/things/", "/fr/", "/pt/things/", "/en/nowhere/", "/de-DE/things/", "/zh-Hant/", "/zh-TW/"],
)
def test_unknown_language_or_page_is_404(client, path):
    resp = client.get(path)
    assert resp.status_code == 404
    assert "<html" in resp.get_data(as_text=True)


def test_path_without_language_redirects_to_best(client):
    resp = client.get("/things/3?page=2", headers={"Accept-Language": "cy"})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/cy/things/3?page=2"
    assert "Accept-Language" in resp.headers["Vary"]
    assert client.get("/nowhere/at/all").status_code == 404


def test_page_headers_and_html_lang_dir(client):
    resp = client.get("/ar/things/")
    html = resp.get_data(as_text=True)
    assert resp.headers["Content-Language"] == "ar"
    assert '<html lang="ar" dir="rtl">' in html
    resp = client.get("/cy/things/")
    assert resp.headers["Content-Language"] == "cy"
    assert '<html lang="cy" dir="ltr">' in resp.get_data(as_text=True)
    resp = client.get("/pt-BR/things/")
    assert '<html lang="pt-BR" dir="ltr">' in resp.get_data(as_text=True)


def test_hreflang_alternates_and_x_default(client):
    html = client.get("/cy/things/3?sort=new").get_data(as_text=True)
    links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))
    assert set(links) == set(MULTI) | {"x-default"}
    # absolute URLs, as search engines want them
    assert links["ar"].startswith("http://localhost/ar/things/3")
    assert links["pt-BR"].startswith("http://localhost/pt-BR/things/3")
    # x-default: the address without a language, which redirects each reader to theirs
    assert links["x-default"].startswith("http://localhost/things/3")


def test_language_switcher_keeps_the_current_page(client):
    html = client.get("/ar/things/3?sort=new").get_data(as_text=True)
    footer = html[html.index("<footer") :]
    for tag in MULTI:
        href = f'href="/{tag}/things/3?sort=new"'
        assert href.replace("&", "&amp;") in footer or href in footer, tag
    assert 'aria-current="true">العربية' in footer
    assert 'lang="cy"' in footer and "Cymraeg" in footer


def test_demo_profile_home_in_each_language(core_app_factory):
    client = core_app_factory().test_client()
    for tag, direction in (("en", "ltr"), ("es", "ltr"), ("fr", "ltr"), ("ar", "rtl")):
        resp = client.get(f"/{tag}/")
        assert resp.status_code == 200
        assert f'<html lang="{tag}" dir="{direction}">' in resp.get_data(as_text=True)
    assert client.get("/cy/").status_code == 404  # Welsh is not offered by the demo


def test_wales_profile_offers_welsh(core_app_factory):
    client = core_app_factory(PLAZA_PROFILE="gb-wls").test_client()
    resp = client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.8"})
    assert resp.headers["Location"] == "/cy/"
    html = client.get("/cy/").get_data(as_text=True)
    assert '<html lang="cy" dir="ltr">' in html
    assert client.get("/ar/").status_code == 404
