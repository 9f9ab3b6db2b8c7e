"""Freedom of information: requests to public authorities by email, replies published, due dates
from the country's law (like Alaveteli)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core import registry
from . import admin, api, lists, models, request_actions, routes  # noqa: F401  (routes on the blueprints; tables)
from .blueprint import admin_bp, api_bp, bp
from .demo import load_demo
from .jobs import foi_cli, run_daily_job
from .labels import AUDIT_ACTIONS, INBOX_NOTES
from .mail.receiving import handle_incoming
from .panels import dashboard_panel
from .search import install_hooks


def init_app(app) -> None:
    app.config.setdefault("FOI_DAILY_LIMIT", 5)
    install_hooks()  # the search index follows every change, in the same transaction
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.cli.add_command(foi_cli)
    registry.add_nav(app, "foi.index", _l("Freedom of information"), order=40)
    registry.add_admin_nav(app, "foi_admin.home", _l("FOI requests"), order=50)
    registry.add_inbox_handler(app, handle_incoming)
    registry.add_labels(app, "audit_action", AUDIT_ACTIONS)
    registry.add_labels(app, "inbox_note", INBOX_NOTES)
    registry.add_job(app, "foi-daily", run_daily_job, every_seconds=6 * 3600)
    registry.add_dashboard_panel(app, dashboard_panel, order=40)
    registry.add_demo_loader(app, load_demo, order=40)
