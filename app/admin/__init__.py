"""Admin: the dashboard components add panels to; users, outbox, holding pen, audit log."""

from __future__ import annotations


def init_app(app) -> None:
    from ..core import audit as _audit  # noqa: F401 - core_audit table for create_all
    from ..core import registry
    from . import panels
    from .routes import bp

    app.register_blueprint(bp, url_prefix="/<lang>")
    registry.add_dashboard_panel(app, panels.users_panel, order=10)
    registry.add_dashboard_panel(app, panels.mail_panel, order=20)
    registry.add_dashboard_panel(app, panels.activity_panel, order=25)
