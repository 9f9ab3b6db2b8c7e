"""Names are kept on one line: line breaks and control characters are dropped, every script kept."""

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
    resp = client.post("/en/accounts/settings", data={"name": "Chen Citizen\nBcc: evil@example.com", "language": "en"})
    assert resp.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user.name == "Chen Citizen Bcc: evil@example.com"
    # A name made only of control characters is no name.
    resp = client.post("/en/accounts/settings", data={"name": "\r\n\t", "language": "en"})
    assert resp.status_code == 422
    client.post("/en/accounts/signout")
    resp = client.post(
        "/en/accounts/signup",
        data={"name": "Eve\rTo: x@example.com", "email": "eve@example.org", "password": "long enough pw"},
    )
    assert resp.status_code == 303
    assert db.session.scalar(select(User.name).where(User.email == "eve@example.org")) == "Eve To: x@example.com"
