"""Settings from environment variables, with safe development defaults."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """The environment asks for something the app cannot run with."""


def _database_url(raw: str | None) -> str:
    if not raw:
        (ROOT / "instance").mkdir(exist_ok=True)
        return f"sqlite:///{ROOT / 'instance' / 'plaza.db'}"
    # psycopg 3 is the driver we ship; accept the plain scheme partners will paste.
    for prefix in ("postgresql://", "postgres://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


# A CSP host source ("https://img.example.org", "*.example.org", "https:"): nothing that could
# close the directive (";", ",", quotes) gets into the header.
_CSP_SOURCE = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*:|(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[A-Za-z0-9.-]+(?::(?:\d+|\*))?(?:/[^\s;,'\"]*)?)$"
)


def _img_sources(raw: str) -> list[str]:
    """PLAZA_IMG_SOURCES: space-separated image hosts the pages may show (photos of people)."""
    sources = raw.split()
    for src in sources:
        if not _CSP_SOURCE.match(src):
            raise ConfigError(f"PLAZA_IMG_SOURCES: '{src}' is not a host such as https://images.example.org")
    return sources


DEV_SECRET = "dev-only-secret-change-me"
MIN_SECRET_LENGTH = 32


def _int_env(env, name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    """An integer setting; a wrong value is a ConfigError that names the variable."""
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and {maximum}" if maximum is not None else ""
        raise ConfigError(f"{name} must be between {minimum}{upper}, not {value}.")
    return value


def load_config(overrides: dict | None = None) -> dict:
    env = os.environ
    production = env.get("PLAZA_ENV", "development") == "production"
    secret = env.get("SECRET_KEY")
    if production and not secret:
        raise ConfigError("SECRET_KEY must be set when PLAZA_ENV=production.")
    if production and (secret == DEV_SECRET or len(secret) < MIN_SECRET_LENGTH):
        raise ConfigError(
            f"SECRET_KEY must be a random value of at least {MIN_SECRET_LENGTH} characters "
            "when PLAZA_ENV=production, e.g. from: python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'"
        )
    redis_url = env.get("REDIS_URL")
    cfg = {
        "PLAZA_ENV": "production" if production else env.get("PLAZA_ENV", "development"),
        "SECRET_KEY": secret or DEV_SECRET,
        "SQLALCHEMY_DATABASE_URI": _database_url(env.get("DATABASE_URL")),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PLAZA_PROFILE": env.get("PLAZA_PROFILE", "demo"),
        # The components this deployment runs, comma-separated (default all); see app/components.py.
        "PLAZA_COMPONENTS": env.get("PLAZA_COMPONENTS", ""),
        "MAIL_SERVER": env.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": _int_env(env, "MAIL_PORT", 1025, 1, 65535),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "Plaza <plaza@localhost>"),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "") == "1",
        "MAIL_USERNAME": env.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD"),
        "INCOMING_EMAIL_DOMAIN": env.get("INCOMING_EMAIL_DOMAIN", "localhost"),
        "SERVER_BASE_URL": env.get("SERVER_BASE_URL", "http://127.0.0.1:5000"),
        # An empty Atom feed's <updated> (ISO 8601); unset: the time the code was deployed.
        "SITE_STARTED_AT": env.get("SITE_STARTED_AT"),
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER", str(ROOT / "instance" / "uploads")),
        "MAX_CONTENT_LENGTH": _int_env(env, "MAX_CONTENT_LENGTH", 20 * 1024 * 1024, 1024),
        # Limits must hold across every worker and host: REDIS_URL in production. Without it each
        # process counts alone (see rate_limit_warning). When the store fails, requests go on and
        # the failure is logged (fail open: a Redis outage must not answer 500 to everyone);
        # meanwhile each process keeps counting in memory.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Several sites may share one Redis: each counts under its own prefix.
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "plaza"),
        # X-RateLimit-* headers, and Retry-After on a 429, so people (and clients) know when to retry.
        "RATELIMIT_HEADERS_ENABLED": True,
        # Requests per Open311 API key over every view that needs one (Flask-Limiter syntax).
        "OPEN311_KEY_RATE_LIMIT": env.get("OPEN311_KEY_RATE_LIMIT", "100/hour"),
        # Behind a reverse proxy (nginx in front of gunicorn): how many proxies to trust for
        # X-Forwarded-For/-Proto/-Host. 0 = none (direct); 1 = one nginx. Without it, every visitor
        # has the proxy's address, and rate limits lock everyone out together.
        "PLAZA_PROXY_FIX": _int_env(env, "PLAZA_PROXY_FIX", 0, 0, 10),
        # Strict-Transport-Security on HTTPS answers in production (seconds; 0 turns it off).
        "PLAZA_HSTS_MAX_AGE": _int_env(env, "PLAZA_HSTS_MAX_AGE", 31_536_000, 0, 63_072_000),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/xml",
            "text/plain",
            "application/json",
            "application/javascript",
            "text/javascript",
            "application/atom+xml",
            "image/svg+xml",
            "application/geo+json",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_REGISTER": True,
        "PLAZA_START_WORKER": False,
        # Build read-mostly caches (the spatial index) when the app is made, before serving.
        "PLAZA_WARM_START": env.get("PLAZA_WARM_START") == "1",
        "CSP_IMG_SOURCES": _img_sources(env.get("PLAZA_IMG_SOURCES", "")),
        # Rows per page of admin tables and API lists (citizen lists choose their own length).
        "PLAZA_PER_PAGE": _int_env(env, "PLAZA_PER_PAGE", 50, 1, 1000),
    }
    if overrides:
        cfg.update(overrides)
        if "DATABASE_URL" in overrides:
            cfg["SQLALCHEMY_DATABASE_URI"] = _database_url(overrides["DATABASE_URL"])
    return cfg


def rate_limit_warning(config) -> str | None:
    """What to tell the operator when production counts rate limits in each process's memory."""
    if config.get("PLAZA_ENV") == "production" and str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory"):
        return (
            "Rate limits are counted in each worker's memory: with several workers or hosts a "
            "visitor gets several times the limit. Set REDIS_URL (e.g. redis://127.0.0.1:6379/0)."
        )
    return None
