"""Audit 2 fixes in accounts: names on one line, sign-out forgets the browser's session."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.services import clean_name
from app.extensions import db


def test_clean_name_keeps_scripts_and_drops_control_characters():
    assert clean_name("Chen Citizen\r\nBcc: evil@example.com") == "Chen Citizen Bcc: evil@example.com"
    assert clean_name("  أحمد\u2028 \x00علي\x85 ") == "أحمد علي"
    assert clean_name(None) == ""


def test_settings_and_signup_store_names_on_one_line(client, make_user, signin):
    make_user()
    signin(client)
    resp = client.post("/en/accounts/settings", data={"name": "Chen Citizen\nBcc: evil@example.com",
                                                     "language": "en"})
    assert resp.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user.name == "Chen Citizen Bcc: evil@example.com"
    # A name made only of control characters is no name.
    resp = client.post("/en/accounts/settings", data={"name": "\r\n\t", "language": "en"})
    assert resp.status_code == 422
    client.post("/en/accounts/signout")
    resp = client.post("/en/accounts/signup", data={"name": "Eve\rTo: x@example.com", "email": "eve@example.org",
                                                   "password": "long enough pw"})
    assert resp.status_code == 303
    assert db.session.scalar(select(User.name).where(User.email == "eve@example.org")) == "Eve To: x@example.com"


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
