"""Sessions end for good: cookies replayed after sign-out, "sign out everywhere" or a new password open nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import SignIn
from app.extensions import db

from .conftest import PASSWORD

SETTINGS = "/en/accounts/settings"


def _cookies(client) -> dict:
    return {c.key: c.value for c in client._cookies.values()}


def _replay(app, cookies: dict):
    """A second browser holding copies of the cookies (a stolen or shared computer's)."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value, domain="localhost")
    return other


def test_session_and_remember_cookies_replayed_after_sign_out_open_nothing(app, make_user, signin):
    make_user()
    client = app.test_client()
    assert signin(client, remember="y").status_code == 303
    copied = _cookies(client)
    assert {"session", "remember_token"} <= set(copied)
    assert _replay(app, copied).get(SETTINGS).status_code == 200  # the copies work while signed in

    assert client.post("/en/accounts/signout").status_code == 303
    assert client.get(SETTINGS).status_code == 302
    assert _replay(app, copied).get(SETTINGS).status_code == 302  # session cookie and remember-me
    assert _replay(app, {"remember_token": copied["remember_token"]}).get(SETTINGS).status_code == 302


def test_sign_out_ends_only_this_browser(app, make_user, signin):
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    signin(laptop)
    signin(phone)
    laptop.post("/en/accounts/signout")
    assert phone.get(SETTINGS).status_code == 200
    assert laptop.get(SETTINGS).status_code == 302


def test_sign_out_everywhere_ends_every_browser(app, make_user, signin):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    signin(laptop)
    signin(phone, remember="y")
    copied = _cookies(phone)
    page = laptop.get(SETTINGS).get_data(as_text=True)
    assert 'action="/en/accounts/signout/everywhere"' in page
    resp = laptop.post("/en/accounts/signout/everywhere")
    assert resp.status_code == 303
    assert laptop.get(SETTINGS).status_code == 302
    assert phone.get(SETTINGS).status_code == 302
    assert _replay(app, copied).get(SETTINGS).status_code == 302
    open_rows = db.session.scalar(
        select(func.count()).select_from(SignIn).where(SignIn.user_id == user.id, SignIn.ended_at.is_(None))
    )
    assert open_rows == 0


def test_a_new_password_ends_the_other_sessions_and_keeps_this_one(app, make_user, signin):
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    signin(laptop)
    signin(phone)
    resp = laptop.post(
        "/en/accounts/settings/password",
        data={"current": PASSWORD, "password": "another long secret", "confirm": "another long secret"},
    )
    assert resp.status_code == 303
    assert laptop.get(SETTINGS).status_code == 200
    assert phone.get(SETTINGS).status_code == 302


def test_a_forged_or_old_style_cookie_value_opens_nothing(app, make_user, signin):
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = f"{user.id}.{user.session_stamp}", True  # no sign-in key
    assert client.get(SETTINGS).status_code == 302
    with client.session_transaction() as sess:
        sess["_user_id"] = f"{user.id}.{user.session_stamp}.made-up-key"
    assert client.get(SETTINGS).status_code == 302
