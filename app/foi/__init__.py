"""Freedom of information: requests to public authorities by email, replies published, due dates
from the country's law (like Alaveteli)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core import registry


def init_app(app) -> None:
    from . import models  # noqa: F401  (tables for create_all and migrations)
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .demo import load_demo
    from .jobs import foi_cli, run_daily_job
    from .panels import dashboard_panel
    from .receiving import handle_incoming
    from .routes import bp
    from .search import install_hooks

    app.config.setdefault("FOI_DAILY_LIMIT", 5)
    install_hooks()  # the search index follows every change, in the same transaction
    app.register_blueprint(bp, url_prefix="/<lang>")
    app.register_blueprint(admin_bp, url_prefix="/<lang>")
    app.register_blueprint(api_bp, url_prefix="/api/foi")
    app.cli.add_command(foi_cli)
    registry.add_nav(app, "foi.index", _l("Freedom of information"), order=40)
    registry.add_admin_nav(app, "foi_admin.home", _l("FOI requests"), order=50)
    registry.add_inbox_handler(app, handle_incoming)
    registry.add_job(app, "foi-daily", run_daily_job, every_seconds=6 * 3600)
    registry.add_dashboard_panel(app, dashboard_panel, order=40)
    registry.add_demo_loader(app, load_demo, order=40)
