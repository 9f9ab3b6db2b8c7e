"""Rate limits, CSRF (and its form-expired page), and the `flask users` commands."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db, limiter


def test_signin_rate_limit_gives_translated_429(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, ACCOUNTS_SIGNIN_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        limiter.reset()
        codes = [
            client.post("/ar/accounts/signin", data={"email": "x@example.org", "password": "whatever1"}).status_code
            for _ in range(4)
        ]
        assert codes == [422, 422, 422, 429]
        resp = client.post("/ar/accounts/signin", data={"email": "x@example.org", "password": "whatever1"})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 429
        assert '<html lang="ar" dir="rtl">' in html and "<footer" in html  # in the layout
        assert "Too many requests" not in html  # translated
        assert client.get("/ar/accounts/signin").status_code == 200  # GET is not limited
        limiter.reset()


def test_signup_and_reset_are_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, ACCOUNTS_SIGNUP_LIMIT="1 per minute", ACCOUNTS_RESET_LIMIT="1 per minute")
    client = app.test_client()
    with app.app_context():
        limiter.reset()
        data = {"name": "A", "email": "a@example.org", "password": "long enough pw"}
        assert client.post("/en/accounts/signup", data=data).status_code == 303
        assert client.post("/en/accounts/signup", data=data).status_code == 429
        assert client.post("/en/accounts/reset", data={"email": "a@example.org"}).status_code == 303
        assert client.post("/en/accounts/reset", data={"email": "a@example.org"}).status_code == 429
        limiter.reset()


def test_csrf_is_enforced_when_enabled(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        resp = client.post(
            "/en/accounts/signup", data={"name": "A", "email": "a@example.org", "password": "long enough pw"}
        )
        assert resp.status_code == 400
        assert db.session.scalar(select(User)) is None
        html = client.get("/en/accounts/signup").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        resp = client.post(
            "/en/accounts/signup",
            data={"csrf_token": token, "name": "A", "email": "a@example.org", "password": "long enough pw"},
        )
        assert resp.status_code == 303
        assert db.session.scalar(select(User)).email == "a@example.org"
        # sign-out is a POST with a token too
        assert client.post("/en/accounts/signout").status_code == 400


def test_create_admin_from_stdin(app, runner, client):
    result = runner.invoke(
        args=["users", "create-admin", "Root@Example.org", "--name", "Rūta", "--password-stdin"],
        input="s3cret-admin-pw\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.role, user.is_confirmed) == ("root@example.org", "Rūta", "admin", True)
    resp = client.post("/en/accounts/signin", data={"email": "root@example.org", "password": "s3cret-admin-pw"})
    assert resp.status_code == 303
    assert client.get("/en/admin/").status_code == 200

    again = runner.invoke(
        args=["users", "create-admin", "root@example.org", "--password-stdin"], input="another-pw-1\n"
    )
    assert again.exit_code != 0 and "already exists" in again.output
    bad = runner.invoke(args=["users", "create-admin", "not an email", "--password-stdin"], input="another-pw-1\n")
    assert bad.exit_code != 0 and "valid email" in bad.output
    short = runner.invoke(args=["users", "create-admin", "b@example.org", "--password-stdin"], input="short\n")
    assert short.exit_code != 0
    assert db.session.scalar(select(User).where(User.email == "b@example.org")) is None


def test_create_admin_prompts_for_password(app, runner):
    result = runner.invoke(args=["users", "create-admin", "p@example.org"], input="prompted-pw-1\nprompted-pw-1\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User)).role == "admin"


def test_per_email_limit_holds_across_addresses(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, ACCOUNTS_RESET_EMAIL_LIMIT="2 per hour")
    with app.app_context():
        limiter.reset()
        client = app.test_client()
        codes = [
            client.post(
                "/en/accounts/reset", data={"email": "victim@example.org"}, environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}
            ).status_code
            for i in range(3)
        ]
        assert codes == [303, 303, 429]
        resp = client.post(
            "/en/accounts/reset", data={"email": "victim@example.org"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
        )
        assert resp.status_code == 429 and resp.headers.get("Retry-After")
        other = client.post(
            "/en/accounts/reset", data={"email": "someone@example.org"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
        )
        assert other.status_code == 303
        limiter.reset()


def test_form_expired_page(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    with app.app_context():
        resp = client.post(
            "/es/accounts/signup",
            data={"csrf_token": "stale", "name": "A", "email": "a@example.org", "password": "long enough pw"},
            headers={"Referer": "http://localhost/es/accounts/signup?next=/es/foi/"},
        )
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400
        assert '<html lang="es"' in html and "<footer" in html
        assert 'href="/es/accounts/signup?next=/es/foi/"' in html
        assert "Este formulario ha caducado" in html and "Solicitud incorrecta" not in html
        assert db.session.scalar(select(User)) is None


def test_cli_promotes_an_existing_account_and_resets_a_password(app, runner, make_user, client):
    from app.core.audit import AuditEntry

    make_user(email="ana@example.org")
    result = runner.invoke(args=["users", "set-role", "ANA@example.org", "admin"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.role).where(User.email == "ana@example.org")) == "admin"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role"))
    assert entry.detail == {"from": "citizen", "to": "admin", "via": "cli"}
    assert runner.invoke(args=["users", "set-role", "nobody@example.org", "admin"]).exit_code != 0

    result = runner.invoke(
        args=["users", "set-password", "ana@example.org", "--password-stdin"], input="a brand new password\n"
    )
    assert result.exit_code == 0, result.output
    assert (
        client.post(
            "/en/accounts/signin", data={"email": "ana@example.org", "password": "a brand new password"}
        ).status_code
        == 303
    )
    short = runner.invoke(args=["users", "set-password", "ana@example.org", "--password-stdin"], input="short\n")
    assert short.exit_code != 0
    again = runner.invoke(args=["users", "create-admin", "ana@example.org", "--password-stdin"], input="x" * 12 + "\n")
    assert again.exit_code != 0 and "set-role" in again.output
