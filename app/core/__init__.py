"""What every component shares: layout, i18n, htmx helpers, errors, security, mail."""

from __future__ import annotations

import os

from flask import abort, current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import configure_mappers
from werkzeug.middleware.proxy_fix import ProxyFix

from ..extensions import babel
from . import audit as _audit  # noqa: F401 - core_audit table for create_all/migrations
from . import errors, formatting, i18n, registry, security, static
from .auth import in_audience
from .mail import models as _mail_models  # noqa: F401 - tables for create_all/migrations
from .mail.cli import mail_cli, outbox_cli
from .mail.inbox import process_waiting
from .routes import bp
from .worker import jobs_cli, start_thread


def init_app(app) -> None:
    # Autoescape every markup template, Atom feeds included (Flask's default misses .atom).
    app.jinja_env.autoescape = lambda name: name is None or name.endswith(
        (".html", ".htm", ".xml", ".xhtml", ".svg", ".atom")
    )
    domain = i18n.PlazaDomain()
    babel.init_app(
        app,
        locale_selector=i18n.locale_selector,
        timezone_selector=i18n.timezone_selector,
        default_translation_directories=str(i18n.TRANSLATIONS_DIR),
    )
    app.extensions["plaza_domain"] = domain
    _proxy_fix(app)
    i18n.install_jinja(app, domain)
    formatting.register(app)
    security.register(app)
    static.register(app)
    errors.register(app)
    _refuse_nul(app)
    _language_urls(app)
    _context(app)

    app.register_blueprint(bp)
    app.cli.add_command(mail_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(jobs_cli)
    registry.add_nav(app, "core.home", _l("Home"), order=0)
    # Mail whose delivery was interrupted after it was stored (see inbox.process_waiting).
    registry.add_job(app, "core.inbox_waiting", process_waiting, every_seconds=300)


def _proxy_fix(app) -> None:
    """PLAZA_PROXY_FIX=n: trust n reverse proxies' X-Forwarded-For/-Proto/-Host (the visitor's
    address for rate limits, https links). Off by default: direct clients could forge them."""
    hops = int(app.config.get("PLAZA_PROXY_FIX") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def cleans_own_input(app, prefix: str) -> None:
    """An API under `prefix` documents its own handling of control characters (Open311 drops
    them), so the NUL check below leaves its values alone."""
    app.extensions.setdefault("plaza_cleans_own_input", []).append(prefix)


def _refuse_nul(app) -> None:
    """No text anyone types holds a NUL character; PostgreSQL refuses to store one, so a form
    carrying it is answered 400 (translated) before any view writes half of it."""

    @app.before_request
    def no_nul():
        values = [v for _, v in request.args.items(multi=True)]
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            values += [v for _, v in request.form.items(multi=True)]
        if "\x00" in request.path:
            abort(404)  # no page has such an address
        own = tuple(app.extensions.get("plaza_cleans_own_input", ()))
        if any("\x00" in v for v in values) and not (own and request.path.startswith(own)):
            abort(400)


def _language_urls(app) -> None:
    @app.url_value_preprocessor
    def pull_lang(endpoint, values):
        # Request-scoped values kept on g. In production every request has a fresh app context;
        # in tests (and in `with app.app_context()` blocks) requests share one, so start clean.
        for key in ("_login_user", "lang", "user_language"):
            g.pop(key, None)
        if not values or "lang" not in values:
            return
        raw = values.pop("lang")
        tag = i18n.canonical_tag(raw)
        if tag is None:
            closest = i18n.closest_tag(raw)
            if closest is None:
                abort(404)
            # /ar-EG/x -> /ar/x: 302, as the variant may be served one day
            path = request.path.replace(f"/{raw}", f"/{closest}", 1)
            qs = request.query_string.decode("latin-1")
            abort(redirect(path + ("?" + qs if qs else ""), 302))
        if tag != raw:
            # /pt_br/x and /pt-br/x -> /pt-BR/x
            path = request.path.replace(f"/{raw}", f"/{tag}", 1)
            qs = request.query_string.decode("latin-1")
            abort(redirect(path + ("?" + qs if qs else ""), 301))
        g.lang = tag

    @app.url_defaults
    def add_lang(endpoint, values):
        if "lang" in values or not app.url_map.is_endpoint_expecting(endpoint, "lang"):
            return
        values["lang"] = g.get("lang") or current_app.extensions["plaza_profile"].default_language

    @app.after_request
    def content_language(resp):
        if g.get("lang") and resp.mimetype == "text/html":
            resp.headers.setdefault("Content-Language", g.lang)
        return resp


def _context(app) -> None:
    @app.context_processor
    def layout_context():
        prof = current_app.extensions["plaza_profile"]
        lang = i18n.current_language()

        def lang_url(tag):
            """The current page in another language (home when it cannot be rebuilt)."""
            if (
                request.endpoint
                and request.view_args is not None
                and "lang" in (request.url_rule.arguments if request.url_rule else ())
            ):
                args = dict(request.view_args)
                args["lang"] = tag
                try:
                    url = url_for(request.endpoint, **args)
                    if request.method == "GET" and request.query_string:
                        url += "?" + request.query_string.decode("latin-1")
                    return url
                except Exception:  # noqa: BLE001 - any build error means: go home
                    pass
            return url_for("core.home", lang=tag)

        def x_default_url():
            """The current page without its language: "/" and "/<path>" choose the visitor's."""
            url = lang_url(prof.default_language)
            prefix = f"/{prof.default_language}/"
            return "/" + url[len(prefix) :] if url.startswith(prefix) else url

        def nav():
            return [n for n in registry.nav_items() if n.endpoint in app.view_functions]

        def admin_nav():
            """The admin links the signed-in user may open."""
            return [
                n for n in registry.admin_nav_items() if n.endpoint in app.view_functions and in_audience(n.audience)
            ]

        return {
            "profile": prof,
            "lang": lang,
            "site_name": prof.text(prof.site_name, lang.tag),
            "lang_url": lang_url,
            "x_default_url": x_default_url,
            "nav_items": nav,
            "admin_nav_items": admin_nav,
            "has_endpoint": lambda e: e in app.view_functions,
        }


def start_worker_when_asked(app) -> None:
    """`make run` (PLAZA_START_WORKER=1) runs the mail and jobs worker in a thread of the server.
    Called by create_app after every component is set up, with the mappers configured first: a
    thread started earlier could touch a model whose relationships name a class not yet imported,
    and SQLAlchemy would keep that failure for the life of the process."""
    if app.config.get("PLAZA_START_WORKER") or os.environ.get("PLAZA_START_WORKER", "") in ("1", "true", "yes"):
        configure_mappers()
        start_thread(app)
