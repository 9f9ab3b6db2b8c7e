"""Email addresses: non-Latin letters before the @ are refused with a message; Unicode domains are stored as mail servers take them and still found."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db


def test_internationalised_addresses(client):
    resp = client.post(
        "/en/accounts/signup", data={"name": "José", "email": "josé@example.com", "password": "long enough pw"}
    )
    assert resp.status_code == 422
    assert "non-Latin letters before the @" in resp.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None
    resp = client.post(
        "/en/accounts/signup", data={"name": "Jose", "email": "Jose@Exämple.com", "password": "long enough pw"}
    )
    assert resp.status_code == 303
    assert db.session.scalar(select(User.email)) == "jose@xn--exmple-cua.com"  # what mail servers take


def test_accounts_stored_with_a_unicode_domain_are_still_found(app, make_user):
    from app.accounts.services import by_email, register

    make_user(email="ana@exämple.com")
    assert by_email("ANA@exämple.com").email == "ana@exämple.com"
    assert register("Ana again", "ana@exämple.com", "long enough pw", "en") is None  # no second account
