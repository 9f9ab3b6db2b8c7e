"""Translated error pages in the layout; JSON errors for JSON endpoints; never a stack trace."""

from __future__ import annotations

import logging
import sqlite3

from flask import current_app, g, jsonify, make_response, redirect, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound, ServiceUnavailable
from werkzeug.routing import RequestRedirect

from ..extensions import db
from .i18n import _lazy_messages, canonical_tag
from .negotiation import negotiate

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/api/", "/mapit/", "/open311/")
RETRY_AFTER_SECONDS = 30  # when the database cannot be reached
_SQLITE_OUTAGES = ("database is locked", "unable to open database", "disk i/o error")


def database_unreachable(exc: Exception) -> bool:
    """An outage, not a bug: the server is down or restarting, the pool is exhausted, the
    connection was cut, SQLite's file is locked. Worth a 503 and a retry, not a 500."""
    if isinstance(exc, PoolTimeout) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return True
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    if isinstance(exc.orig, sqlite3.Error):  # SQLite says "operational" of a missing table too: a bug
        return any(words in str(exc.orig).lower() for words in _SQLITE_OUTAGES)
    return True  # PostgreSQL: the server is down, restarting, refused or cut the connection


def _as_anonymous() -> None:
    """The error page must render without the database: the signed-in user cannot be loaded."""
    try:
        from ..extensions import login_manager

        g._login_user = login_manager.anonymous_user()
    except Exception:  # noqa: BLE001
        log.debug("could not set an anonymous user for the error page", exc_info=True)


def wants_json() -> bool:
    prefixes = tuple(current_app.config.get("PLAZA_JSON_PREFIXES", ())) + JSON_PREFIXES
    if request.path.startswith(prefixes):
        return True
    return request.path.endswith(".json")


def _redirect_to_language():
    """/accounts/signin -> /<best language>/accounts/signin, when that route exists."""
    first = request.path.lstrip("/").split("/", 1)[0]
    if canonical_tag(first) or wants_json():
        return None
    target = "/" + negotiate() + request.path
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(target, method="GET")
    except RequestRedirect:
        pass
    except HTTPException:
        return None
    qs = request.query_string.decode("latin-1")
    resp = redirect(target + ("?" + qs if qs else ""), 302)
    resp.vary.add("Accept-Language")
    resp.vary.add("Cookie")
    return resp


def add_error_renderer(app, prefix: str, renderer) -> None:
    """A component whose API has its own error format (Open311's list of {code, description})
    renders errors under its path prefix: renderer(code, description) -> response."""
    app.extensions.setdefault("plaza_error_renderers", {})[prefix] = renderer


def _rollback() -> None:
    """A failed statement leaves PostgreSQL's transaction unusable; the error page reads the
    database (translations, the user), so start it afresh, and never fail because of it."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - no database at all must not stop an error page
        log.debug("rollback before the error page failed", exc_info=True)


def render_error(code: int, description: str | None = None):
    """The error page for `code`; rendered without the database when that cannot be reached."""
    _rollback()
    try:
        return _render_error(code, description)
    except Exception as exc:
        if not database_unreachable(exc) or g.get("plaza_database_down"):
            raise
        log.error("database unreachable while rendering a %s page: %s", code, exc)
        g.plaza_database_down = True
        _as_anonymous()
        return _render_error(code, description)


def _render_error(code: int, description: str | None = None):
    for prefix, renderer in current_app.extensions.get("plaza_error_renderers", {}).items():
        if request.path.startswith(prefix):
            try:
                return renderer(code, description or str(_lazy_messages(code)[0]))
            except Exception:
                log.exception("error renderer for %s failed", prefix)
    if wants_json():
        resp = jsonify({"error": description or _lazy_messages(code)[0], "code": code})
        resp.status_code = code
        return resp
    if not g.get("lang"):
        try:
            g.lang = canonical_tag(request.path.lstrip("/").split("/", 1)[0]) or negotiate()
        except Exception:  # never let negotiation turn an error page into a 500
            g.lang = None
    title, text = _lazy_messages(code)
    try:
        html = render_template("core/error.html", code=code, title=title, text=text)
    except Exception:
        log.exception("error page failed to render")
        html = f"<!doctype html><title>{code}</title><h1>{code}</h1>"
    return html, code


def register(app) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, RequestRedirect):
            return exc
        if isinstance(exc, NotFound):
            resp = _redirect_to_language()
            if resp is not None:
                return resp
        if exc.code is None or exc.code < 400:
            return exc
        resp = render_error(exc.code)
        if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            resp = make_response(resp)
            resp.headers["Allow"] = ", ".join(exc.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if database_unreachable(exc):
            log.error("database unreachable on %s %s: %s", request.method, request.path, exc)
            g.plaza_database_down = True
            _as_anonymous()
            resp = make_response(render_error(ServiceUnavailable.code))
            resp.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return resp
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.config.get("PROPAGATE_UNEXPECTED"):
            raise exc
        return render_error(InternalServerError.code)
