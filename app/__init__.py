"""Plaza: civic services for any country in one Flask app."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os

from flask import Flask
from werkzeug.routing import IntegerConverter

from .config import load_config
from .extensions import compress, csrf, db, limiter, login_manager, migrate
from .profiles import load_profile

# Components, in the order they are set up. A component is a package under app/ with an
# init_app(app) function; core comes first, admin last (it shows what the others add).
COMPONENTS = ["accounts", "areas", "directory", "reports", "foi", "write", "record", "translations", "admin", "demo"]


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
    logging.basicConfig(level=logging.INFO if not app.testing else logging.WARNING)

    app.extensions["plaza_profile"] = load_profile(app.config["PLAZA_PROFILE"])

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)

    from . import core

    core.init_app(app)
    only = os.environ.get("PLAZA_COMPONENTS")  # e.g. "accounts,areas": develop one part alone
    for name in COMPONENTS:
        if only and name not in only.split(","):
            continue
        if importlib.util.find_spec(f"{__name__}.{name}") is None:
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        module.init_app(app)
    return app
