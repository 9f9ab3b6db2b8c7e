"""Areas: boundaries, point and postcode lookup, place search and a MapIt-compatible API."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from ..core import registry
from ..extensions import db
from . import (
    models,  # noqa: F401  (tables for create_all and migrations)
    queries,
)
from .admin import bp as admin_bp
from .api import bp as api_bp
from .cli import areas_cli
from .demo import load_demo
from .routes import bp
from .type_names import content_status


def init_app(app) -> None:
    app.register_blueprint(bp, url_prefix="/<lang>")
    app.register_blueprint(admin_bp, url_prefix="/<lang>")
    app.register_blueprint(api_bp, url_prefix="/mapit")
    app.cli.add_command(areas_cli)
    registry.add_nav(app, "areas.index", _l("Areas"), order=20)
    registry.add_admin_nav(app, "areas_admin.types", _l("Area types"), order=20, audience="admin")
    registry.add_demo_loader(app, load_demo, order=10)
    registry.add_content_status(app, content_status, order=20)
    if app.config.get("PLAZA_WARM_START"):
        warm(app)

    @app.after_request
    def mapit_cors(resp):
        # also for answers no areas view produced (unknown /mapit/ URLs, 405s)
        if request.path.startswith("/mapit/"):
            resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp


def warm(app) -> None:
    """Build the spatial index now (PLAZA_WARM_START=1), so the first lookup does not pay for
    it; under `gunicorn --preload` the forked workers share it. Each request still reads the
    index version (one cheap statement) and rebuilds only after an import changed it."""
    with app.app_context():
        try:
            queries._index()
        except SQLAlchemyError as exc:  # no tables yet (before `flask db upgrade`): build lazily
            app.logger.warning("Spatial index not built at start: %s", exc.__class__.__name__)
        finally:
            db.session.remove()
            db.engine.dispose()  # forked workers must not share the parent's connections
