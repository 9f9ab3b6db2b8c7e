"""Admin: the dashboard components add panels to; users, outbox, holding pen, audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core import audit as _audit  # noqa: F401 - core_audit table for create_all
from ..core import registry
from . import labels, panels, routes, routes_mail  # noqa: F401 - routes register the pages on bp
from .blueprint import bp


def init_app(app) -> None:
    app.register_blueprint(bp)
    labels.register(app)
    registry.add_admin_nav(app, "admin.home", _l("Dashboard"), order=1)
    registry.add_admin_nav(app, "admin.users", _l("Users"), order=2)
    registry.add_admin_nav(app, "admin.outbox_list", _l("Outgoing mail"), order=3)
    registry.add_admin_nav(app, "admin.inbox_list", _l("Holding pen"), order=4, audience="admin")
    registry.add_admin_nav(app, "admin.audit_log", _l("Audit log"), order=5, audience="admin")
    registry.add_dashboard_panel(app, panels.users_panel, order=10)
    registry.add_dashboard_panel(app, panels.mail_panel, order=20)
    registry.add_dashboard_panel(app, panels.activity_panel, order=25)
