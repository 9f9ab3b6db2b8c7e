"""Configuration from the environment: production secrets, numbers that name their variable, cookie and proxy settings."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config


def test_production_refuses_a_short_or_default_secret(monkeypatch):
    monkeypatch.setenv("PLAZA_ENV", "production")
    for bad in ("short", "dev-only-secret-change-me"):
        monkeypatch.setenv("SECRET_KEY", bad)
        with pytest.raises(ConfigError, match="SECRET_KEY"):
            load_config()
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert load_config()["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "name,value",
    [("MAIL_PORT", "abc"), ("MAIL_PORT", "70000"), ("MAX_CONTENT_LENGTH", "lots"), ("PLAZA_PROXY_FIX", "yes")],
)
def test_bad_numbers_name_their_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        load_config()


def test_cookies_and_rate_limit_headers_config(monkeypatch):
    cfg = load_config()
    assert cfg["REMEMBER_COOKIE_SAMESITE"] == "Lax" and cfg["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert cfg["RATELIMIT_HEADERS_ENABLED"] is True
    assert cfg["PLAZA_PROXY_FIX"] == 0
    monkeypatch.setenv("PLAZA_PROXY_FIX", "1")
    assert load_config()["PLAZA_PROXY_FIX"] == 1


@pytest.mark.fresh_app
def test_proxy_fix_gives_each_visitor_their_own_address(app_factory):
    from flask import request

    app = app_factory(PLAZA_PROXY_FIX=1)
    app.add_url_rule("/_test/ip", "test_ip", lambda: request.remote_addr)
    client = app.test_client()
    seen = client.get(
        "/_test/ip", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    ).get_data(as_text=True)
    assert seen == "203.0.113.7"
    plain = app_factory()
    plain.add_url_rule("/_test/ip", "test_ip", lambda: request.remote_addr)
    seen = (
        plain.test_client()
        .get("/_test/ip", headers={"X-Forwarded-For": "203.0.113.7"}, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        .get_data(as_text=True)
    )
    assert seen == "127.0.0.1"  # without the option, the header is not trusted
