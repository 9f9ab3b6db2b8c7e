"""Plaza: civic services for any country in one Flask app."""

from __future__ import annotations

import importlib
import logging

from flask import Flask
from werkzeug.routing import IntegerConverter

from . import core
from .components import COMPONENTS, resolve
from .config import load_config, rate_limit_warning
from .extensions import compress, csrf, db, limiter, login_manager, migrate
from .profiles import load_profile

__all__ = ["COMPONENTS", "create_app"]


class DatabaseId(IntegerConverter):
    """`<int:…>` in every route: ids past a 32-bit column (PostgreSQL INTEGER) are unknown pages,
    not database errors."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = DatabaseId
    app.config.update(load_config(config))
    # The names asked for become the full list to run, dependencies added (app/components.py).
    app.config["PLAZA_COMPONENTS"] = resolve(app.config["PLAZA_COMPONENTS"])
    logging.basicConfig(level=logging.INFO if not app.testing else logging.WARNING)

    app.extensions["plaza_profile"] = load_profile(app.config["PLAZA_PROFILE"])
    if warning := rate_limit_warning(app.config):
        app.logger.warning(warning)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)

    core.init_app(app)
    # A component is a package under app/ with init_app(app); one that is off is never imported
    # here, so it adds no route, link, panel, CLI group, job or mail handler.
    for name in app.config["PLAZA_COMPONENTS"]:
        importlib.import_module(f"{__name__}.{name}").init_app(app)
    core.start_worker_when_asked(app)
    return app
