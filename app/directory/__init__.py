"""Directory: Popolo people, organisations, posts and memberships; representatives; public bodies."""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l

from ..core import registry
from . import admin, api, labels, models, routes  # noqa: F401  (views on the blueprints; tables)
from .blueprint import admin_bp, api_bp, bp
from .cli import directory_cli
from .content import content_status
from .demo import load_demo
from .panels import area_section, dashboard_panel

_POPOLO_PATHS = ("/api/persons/", "/api/organizations/")


def _popolo_cors(resp):
    # every Popolo answer is open to other sites, errors (404) and OPTIONS included
    if request.path == "/api/popolo.json" or request.path.startswith(_POPOLO_PATHS):
        resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def init_app(app) -> None:
    labels.register(app)
    registry.add_labels(app, "audit_action", labels.AUDIT_ACTIONS)
    app.cli.add_command(directory_cli)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    registry.add_nav(app, "directory.representatives", _l("Representatives"), order=30)
    registry.add_nav(app, "directory.people", _l("People"), order=31)
    registry.add_admin_nav(app, "directory_admin.index", _l("Directory"), order=30)
    registry.add_area_section(app, area_section, order=20)
    registry.add_dashboard_panel(app, dashboard_panel, order=30)
    registry.add_demo_loader(app, load_demo, order=20)
    registry.add_content_status(app, content_status, order=25)
    app.after_request(_popolo_cors)
