"""Reports: a local problem, routed to the body that can fix it, followed in public to "fixed"."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l

from ..accounts.services import user_banned
from ..core import cleans_own_input, registry
from ..core.errors import add_error_renderer
from ..directory import services as directory
from . import admin, models, open311, open311_updates, routes  # noqa: F401 - tables and views register themselves
from .admin import content_status
from .blueprint import admin_bp, bp, open311_bp
from .cli import reports_cli
from .extras import area_section, body_section, dashboard_panel, demo_loader, inbox_handler
from .georeport import error_response
from .labels import AUDIT_ACTIONS, INBOX_NOTES
from .operations import on_user_banned
from .questionnaire import send_due
from .routes import room_for_photos
from .sending import process_sends
from .states import state_label


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(None, []).insert(0, room_for_photos)
    app.register_blueprint(admin_bp)
    app.register_blueprint(open311_bp)
    add_error_renderer(app, "/open311/", error_response)
    cleans_own_input(app, "/open311/")  # it drops control characters itself, as documented
    app.cli.add_command(reports_cli)
    app.jinja_env.globals["report_state_label"] = state_label
    # Translators: main menu item leading to problem reports
    registry.add_nav(app, "reports.index", _l("Reports"), order=30)
    registry.add_admin_nav(app, "reports_admin.index", _l("Problem reports"), order=40, audience="staff")
    # Translators: main menu item leading to the form for a new problem report
    registry.add_nav(app, "reports.new", _l("Report a problem"), order=29)
    registry.add_job(app, "reports.sends", process_sends, 60)
    registry.add_job(app, "reports.questionnaires", send_due, 3600)
    registry.add_area_section(app, area_section, order=40)
    directory.register_organisation_section(app, body_section, order=40)
    registry.add_dashboard_panel(app, dashboard_panel, order=40)
    registry.add_demo_loader(app, demo_loader, order=60)
    registry.add_inbox_handler(app, inbox_handler)
    registry.add_content_status(app, content_status, order=30)
    registry.add_labels(app, "audit_action", AUDIT_ACTIONS)
    registry.add_labels(app, "inbox_note", INBOX_NOTES)
    # One receiver for every app: it acts only for apps where reports are set up.
    user_banned.connect(_banned_receiver, weak=False)
    app.before_request(_fresh_state_names)


def _fresh_state_names():  # admins' state names are read once per request
    g.pop("_report_state_names", None)


def _banned_receiver(sender, **kwargs):
    if "reports" in getattr(sender, "blueprints", {}):
        on_user_banned(sender, **kwargs)
