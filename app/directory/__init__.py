"""Directory: Popolo people, organisations, posts and memberships; representatives; public bodies."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core import registry


def init_app(app) -> None:
    from . import labels, models  # noqa: F401  (models: tables for create_all and migrations)
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .cli import directory_cli
    from .demo import load_demo
    from .routes import area_section, bp, dashboard_panel

    labels.register(app)
    app.cli.add_command(directory_cli)
    app.register_blueprint(bp, url_prefix="/<lang>")
    app.register_blueprint(admin_bp, url_prefix="/<lang>")
    app.register_blueprint(api_bp)
    registry.add_nav(app, "directory.representatives", _l("Representatives"), order=30)
    registry.add_nav(app, "directory.people", _l("People"), order=31)
    registry.add_admin_nav(app, "directory_admin.index", _l("Directory"), order=30)
    registry.add_area_section(app, area_section, order=20)
    registry.add_dashboard_panel(app, dashboard_panel, order=30)
    registry.add_demo_loader(app, load_demo, order=20)
    from .content import content_status

    registry.add_content_status(app, content_status, order=25)

    @app.after_request
    def popolo_cors(resp):
        # every Popolo answer is open to other sites, errors (404) and OPTIONS included
        from flask import request

        if request.path == "/api/popolo.json" or request.path.startswith(("/api/persons/", "/api/organizations/")):
            resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp
