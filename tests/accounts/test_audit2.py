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


def test_per_email_limit_holds_across_addresses(app_factory):
    from app.extensions import limiter

    app = app_factory(RATELIMIT_ENABLED=True, ACCOUNTS_RESET_EMAIL_LIMIT="2 per hour")
    with app.app_context():
        limiter.reset()
        client = app.test_client()
        codes = [client.post("/en/accounts/reset", data={"email": "victim@example.org"},
                             environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code for i in range(3)]
        assert codes == [303, 303, 429]
        resp = client.post("/en/accounts/reset", data={"email": "victim@example.org"},
                           environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert resp.status_code == 429 and resp.headers.get("Retry-After")
        other = client.post("/en/accounts/reset", data={"email": "someone@example.org"},
                            environ_base={"REMOTE_ADDR": "10.0.0.9"})
        assert other.status_code == 303
        limiter.reset()


def test_form_expired_page(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        resp = client.post("/es/accounts/signup", data={"csrf_token": "stale", "name": "A",
                                                        "email": "a@example.org", "password": "long enough pw"},
                           headers={"Referer": "http://localhost/es/accounts/signup?next=/es/foi/"})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400
        assert '<html lang="es"' in html and "<footer" in html
        assert 'href="/es/accounts/signup?next=/es/foi/"' in html
        assert "Este formulario ha caducado" in html and "Solicitud incorrecta" not in html
        assert db.session.scalar(select(User)) is None


def test_internationalised_addresses(client):
    resp = client.post("/en/accounts/signup", data={"name": "José", "email": "josé@example.com",
                                                   "password": "long enough pw"})
    assert resp.status_code == 422
    assert "non-Latin letters before the @" in resp.get_data(as_text=True)
    assert db.session.scalar(select(User)) is None
    resp = client.post("/en/accounts/signup", data={"name": "Jose", "email": "Jose@Exämple.com",
                                                   "password": "long enough pw"})
    assert resp.status_code == 303
    assert db.session.scalar(select(User.email)) == "jose@xn--exmple-cua.com"  # what mail servers take


def test_accounts_stored_with_a_unicode_domain_are_still_found(app, make_user):
    from app.accounts.services import by_email, register

    make_user(email="ana@exämple.com")
    assert by_email("ANA@exämple.com").email == "ana@exämple.com"
    assert register("Ana again", "ana@exämple.com", "long enough pw", "en") is None  # no second account


def test_cli_promotes_an_existing_account_and_resets_a_password(app, runner, make_user, client):
    from app.core.audit import AuditEntry

    make_user(email="ana@example.org")
    result = runner.invoke(args=["users", "set-role", "ANA@example.org", "admin"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "ana@example.org")) == "admin"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role"))
    assert entry.detail == {"from": "citizen", "to": "admin", "via": "cli"}
    assert runner.invoke(args=["users", "set-role", "nobody@example.org", "admin"]).exit_code != 0

    result = runner.invoke(args=["users", "set-password", "ana@example.org", "--password-stdin"],
                           input="a brand new password\n")
    assert result.exit_code == 0, result.output
    assert client.post("/en/accounts/signin", data={"email": "ana@example.org",
                                                    "password": "a brand new password"}).status_code == 303
    short = runner.invoke(args=["users", "set-password", "ana@example.org", "--password-stdin"], input="short\n")
    assert short.exit_code != 0
    again = runner.invoke(args=["users", "create-admin", "ana@example.org", "--password-stdin"], input="x" * 12 + "\n")
    assert again.exit_code != 0 and "set-role" in again.output
