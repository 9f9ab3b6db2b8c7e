"""Anonymous pages without forms set no cookie (so shared caches can hold them); CSRF still works."""

from __future__ import annotations

import re

import pytest

from app.accounts.models import User
from app.accounts.services import hash_password
from app.core.models import utcnow
from app.extensions import db

PASSWORD = "cookieless password"


@pytest.fixture
def csrf_app(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_anonymous_pages_without_forms_set_no_cookie(csrf_app):
    for url in ("/en/", "/es/", "/fr/areas/", "/en/reports/", "/ar/directory/people/"):
        client = csrf_app.test_client()  # a first visit, in the browser's own language
        resp = client.get(url, headers={"Accept-Language": url.split("/")[1]})
        if resp.status_code == 404:  # a component that is not installed
            continue
        assert resp.status_code == 200, url
        assert "Set-Cookie" not in resp.headers, url
        assert 'name="csrf-token"' not in resp.get_data(as_text=True)
    # Reading another language than the browser's remembers it, but still opens no session.
    resp = csrf_app.test_client().get("/es/", headers={"Accept-Language": "en"})
    assert resp.headers.getlist("Set-Cookie") and all(
        c.startswith("plaza_lang=es;") for c in resp.headers.getlist("Set-Cookie")
    )


def test_a_language_cookie_that_differs_is_updated(csrf_app):
    client = csrf_app.test_client()
    client.set_cookie("plaza_lang", "es")
    resp = client.get("/en/", headers={"Accept-Language": "en"})
    assert "plaza_lang=en;" in resp.headers.get("Set-Cookie", "")


def test_a_page_with_a_post_form_still_works_with_csrf(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/en/accounts/signin")
    assert "session=" in page.headers.get("Set-Cookie", "")  # the form's token needs the session
    token = _token(page.get_data(as_text=True))
    data = {"email": "nobody@example.org", "password": "wrong password"}
    assert client.post("/en/accounts/signin", data=data).status_code == 400  # no token: refused
    resp = client.post("/en/accounts/signin", data={**data, "csrf_token": token})
    assert resp.status_code == 422  # the token was accepted (the password, of course, was not)
    # From now on the session exists, so every page carries the token for htmx.
    html = client.get("/en/").get_data(as_text=True)
    assert '<meta name="csrf-token" content="' in html


def test_signed_in_pages_carry_the_token_and_htmx_posts_send_it_as_a_header(csrf_app):
    db.session.add(
        User(
            email="u@example.org",
            name="U",
            role="citizen",
            language="en",
            password_hash=hash_password(PASSWORD),
            confirmed_at=utcnow(),
            translator_locales=[],
        )
    )
    db.session.commit()
    client = csrf_app.test_client()
    token = _token(client.get("/en/accounts/signin").get_data(as_text=True))
    resp = client.post(
        "/en/accounts/signin", data={"email": "u@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert resp.status_code == 303
    html = client.get("/en/").get_data(as_text=True)
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)
    # An htmx request has no token field, only the header plaza.js adds.
    assert client.post("/en/accounts/signout", headers={"HX-Request": "true"}).status_code == 400
    resp = client.post("/en/accounts/signout", headers={"HX-Request": "true", "X-CSRFToken": meta})
    assert resp.status_code == 303
    assert "Sign in" in client.get("/en/").get_data(as_text=True)
