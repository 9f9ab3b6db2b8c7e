"""Sign-up, confirmation through a real SMTP server, sign-in, sign-out, reset, settings."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.models import User
from app.core.mail import OutboxMessage, send_pending
from app.extensions import db

from .conftest import PASSWORD


def _link(body: str, part: str) -> str:
    match = re.search(r"http://plaza\.test(/\S*" + part + r"/\S+)", body)
    assert match, body
    return match.group(1)


def test_signup_confirm_signin_through_real_smtp(mail_app, smtp):
    client = mail_app.test_client()
    resp = client.post(
        "/es/accounts/signup", data={"name": "Ana María", "email": " Ana@Example.ORG ", "password": PASSWORD}
    )
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/es/accounts/check-email")
    user = db.session.scalar(select(User))
    assert user.email == "ana@example.org" and user.language == "es" and not user.is_confirmed
    assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash

    # Not confirmed yet: the right password still does not sign in, and the page offers a new link.
    resp = client.post("/es/accounts/signin", data={"email": "ana@example.org", "password": PASSWORD})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403
    assert 'action="/es/accounts/confirm/resend"' in html
    with client.session_transaction() as sess:
        assert "_user_id" not in sess

    assert send_pending() == (1, 0)
    msg = smtp.messages[0]["message"]
    assert smtp.messages[0]["to"] == ["ana@example.org"]
    assert msg["Content-Language"] == "es"
    path = _link(smtp.body(), "confirm")
    assert path.startswith("/es/accounts/confirm/")

    resp = client.get(path)
    assert resp.status_code == 302 and "/es/accounts/signin" in resp.headers["Location"]
    db.session.refresh(user)
    assert user.is_confirmed
    first = user.confirmed_at
    resp = client.get(path, follow_redirects=True)  # twice: harmless
    assert resp.status_code == 200
    db.session.refresh(user)
    assert user.confirmed_at == first

    resp = client.post("/en/accounts/signin", data={"email": "ANA@example.org", "password": PASSWORD})
    assert resp.status_code == 303
    assert resp.headers["Location"] == "/es/"  # the user's own language
    # The language preference now drives / negotiation, over cookie and Accept-Language.
    client.set_cookie("plaza_lang", "ar")
    resp = client.get("/", headers={"Accept-Language": "fr"})
    assert resp.headers["Location"].endswith("/es/")
    html = client.get("/en/").get_data(as_text=True)
    assert 'action="/en/accounts/signout"' in html

    resp = client.post("/en/accounts/signout")
    assert resp.status_code == 303
    resp = client.get("/en/accounts/settings")
    assert resp.status_code == 302 and "/accounts/signin" in resp.headers["Location"]


def test_wrong_password_and_unknown_email_look_the_same(app, client, make_user):
    make_user()
    wrong = client.post("/en/accounts/signin", data={"email": "ana@example.org", "password": "nope-nope-nope"})
    unknown = client.post("/en/accounts/signin", data={"email": "who@example.org", "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 422

    def problem(resp):
        return re.search(r'id="signin-problem">([^<]*)<', resp.get_data(as_text=True)).group(1)

    assert problem(wrong) == problem(unknown)
    assert "not right" in problem(wrong)


def test_signup_with_existing_email_emails_the_owner(app, client, make_user):
    make_user()
    resp = client.post(
        "/en/accounts/signup", data={"name": "Intruder", "email": "ana@example.org", "password": "another password"}
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/accounts/check-email")
    assert db.session.scalar(select(User).where(User.name == "Intruder")) is None
    mail = db.session.scalars(select(OutboxMessage)).all()
    assert len(mail) == 1 and mail[0].to_addr == "ana@example.org"
    assert "already has one" in mail[0].body_text and "/en/accounts/reset" in mail[0].body_text


def test_signup_validation_keeps_values(app, client):
    resp = client.post("/fr/accounts/signup", data={"name": "Zoé", "email": "not-an-email", "password": "short"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'value="Zoé"' in html and 'value="not-an-email"' in html
    assert 'aria-describedby="email-hint email-error"' in html and 'id="password-error"' in html
    assert db.session.scalar(select(User)) is None


def test_banned_user_cannot_sign_in_and_is_signed_out(app, client, make_user, signin):
    user = make_user()
    assert signin(client).status_code == 303
    from app.core.models import utcnow

    user.banned_at, user.ban_reason = utcnow(), "spam"
    db.session.commit()
    resp = client.get("/en/accounts/settings")
    assert resp.status_code == 302  # the open session ended
    resp = signin(client)
    assert resp.status_code == 403 and "suspended" in resp.get_data(as_text=True)


def test_safe_next_only(app, client, make_user, signin):
    make_user()
    resp = signin(client, next="/en/accounts/settings")
    assert resp.headers["Location"] == "/en/accounts/settings"
    client.post("/en/accounts/signout")
    for bad in ("//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        resp = signin(client, next=bad)
        assert resp.headers["Location"] == "/en/", bad
        client.post("/en/accounts/signout")


def test_password_reset_by_email(mail_app, smtp, make_user):
    client = mail_app.test_client()
    make_user()
    resp = client.post("/en/accounts/reset", data={"email": "ana@example.org"})
    assert resp.status_code == 303
    unknown = client.post("/en/accounts/reset", data={"email": "nobody@example.org"})
    assert unknown.headers["Location"] == resp.headers["Location"]
    assert send_pending() == (1, 0)
    path = _link(smtp.body(), "reset")
    assert "new password" in client.get(path).get_data(as_text=True)
    resp = client.post(path, data={"password": "brand new secret", "confirm": "different"})
    assert resp.status_code == 422
    resp = client.post(path, data={"password": "brand new secret", "confirm": "brand new secret"})
    assert resp.status_code == 303
    assert client.get(path).status_code == 400  # used once: no longer works
    assert (
        client.post(
            "/en/accounts/signin", data={"email": "ana@example.org", "password": "brand new secret"}
        ).status_code
        == 303
    )


def test_bad_tokens_are_400_not_500(app, client):
    assert client.get("/en/accounts/confirm/garbage").status_code == 400
    assert client.get("/en/accounts/reset/garbage").status_code == 400


def test_settings_name_language_password(app, client, make_user, signin):
    user = make_user()
    signin(client)
    html = client.get("/en/accounts/settings").get_data(as_text=True)
    assert 'value="Ana"' in html and '<option lang="en" selected value="en">' in html
    resp = client.post("/en/accounts/settings", data={"name": "أمينة", "language": "ar"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/ar/accounts/settings"
    db.session.refresh(user)
    assert user.name == "أمينة" and user.language == "ar"
    resp = client.post("/en/accounts/settings", data={"name": "", "language": "xx"})
    assert resp.status_code == 422
    resp = client.post(
        "/en/accounts/settings/password",
        data={"current": "wrong one", "password": "new secret 123", "confirm": "new secret 123"},
    )
    assert resp.status_code == 422 and 'id="current-error"' in resp.get_data(as_text=True)
    resp = client.post(
        "/en/accounts/settings/password",
        data={"current": PASSWORD, "password": "new secret 123", "confirm": "new secret 123"},
    )
    assert resp.status_code == 303
    client.post("/en/accounts/signout")
    assert signin(client, password="new secret 123").status_code == 303


def test_resend_confirmation(app, client, make_user):
    make_user(confirmed=False)
    resp = client.post("/en/accounts/confirm/resend", data={"email": "ana@example.org"})
    assert resp.status_code == 303
    resp = client.post("/en/accounts/confirm/resend", data={"email": "nobody@example.org"})
    assert resp.status_code == 303
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert [r.to_addr for r in rows] == ["ana@example.org"]


def test_changing_the_password_ends_other_sessions(app, make_user, signin):
    make_user()
    here, elsewhere = app.test_client(), app.test_client()
    signin(here)
    signin(elsewhere, remember="y")
    assert elsewhere.get("/en/accounts/settings").status_code == 200
    resp = here.post(
        "/en/accounts/settings/password",
        data={"current": PASSWORD, "password": "new secret 123", "confirm": "new secret 123"},
    )
    assert resp.status_code == 303
    # This browser stays signed in; the other one (remember cookie included) is signed out.
    assert here.get("/en/accounts/settings").status_code == 200
    resp = elsewhere.get("/en/accounts/settings")
    assert resp.status_code == 302 and "/en/accounts/signin" in resp.headers["Location"]


def test_signout_clears_the_whole_session(client, make_user, signin):
    make_user()
    with client.session_transaction() as sess:
        sess["foi_draft"] = "secret-draft-token"
        sess["accounts_next"] = "/en/foi/new/7"
    signin(client, remember="y")
    assert client.get_cookie("remember_token") is not None
    resp = client.post("/en/accounts/signout")
    assert resp.status_code == 303
    with client.session_transaction() as sess:
        assert "foi_draft" not in sess and "accounts_next" not in sess and "_user_id" not in sess
    assert client.get_cookie("remember_token") is None  # the remember-me cookie goes too
    assert "You are signed out." in client.get(resp.headers["Location"]).get_data(as_text=True)


def test_the_signin_message_is_in_the_language_of_the_next_page(client, make_user, signin):
    make_user(language="es")
    resp = signin(client, lang="en")
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/es/")
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Has iniciado sesión." in html and "You are signed in." not in html


def test_remember_cookie_is_samesite_lax(client, make_user, signin):
    make_user()
    resp = signin(client, remember="y")
    cookies = [h for h in resp.headers.getlist("Set-Cookie") if h.startswith("remember_token=")]
    assert cookies and "SameSite=Lax" in cookies[0] and "HttpOnly" in cookies[0]
