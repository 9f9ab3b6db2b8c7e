"""Reports: a local problem, routed to the body that can fix it, followed in public to "fixed"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core import registry


def init_app(app) -> None:
    from . import models  # noqa: F401 - tables
    from .admin import admin_bp
    from .cli import reports_cli
    from .open311 import open311_bp
    from .routes import bp, room_for_photos
    from .routing import process_sends

    app.register_blueprint(bp, url_prefix="/<lang>")
    app.before_request_funcs.setdefault(None, []).insert(0, room_for_photos)
    app.register_blueprint(admin_bp, url_prefix="/<lang>")
    app.register_blueprint(open311_bp)
    from ..core.errors import add_error_renderer
    from .open311 import error_response

    add_error_renderer(app, "/open311/", error_response)
    from ..core import cleans_own_input

    cleans_own_input(app, "/open311/")  # it drops control characters itself, as documented
    app.cli.add_command(reports_cli)
    from .states import state_label

    app.jinja_env.globals["report_state_label"] = state_label
    # Translators: main menu item leading to problem reports
    registry.add_nav(app, "reports.index", _l("Reports"), order=30)
    registry.add_admin_nav(app, "reports_admin.index", _l("Problem reports"), order=40, audience="staff")
    # Translators: main menu item leading to the form for a new problem report
    registry.add_nav(app, "reports.new", _l("Report a problem"), order=29)
    registry.add_job(app, "reports.sends", process_sends, 60)
    from .questionnaire import send_due

    registry.add_job(app, "reports.questionnaires", send_due, 3600)
    from .extras import area_section, body_section, dashboard_panel, demo_loader, inbox_handler

    registry.add_area_section(app, area_section, order=40)
    try:
        from ..directory import services as directory
    except ImportError:  # no directory installed: no organisation pages to add to
        directory = None
    if directory is not None and hasattr(directory, "register_organisation_section"):
        directory.register_organisation_section(app, body_section, order=40)
    registry.add_dashboard_panel(app, dashboard_panel, order=40)
    registry.add_demo_loader(app, demo_loader, order=60)
    registry.add_inbox_handler(app, inbox_handler)
    from .admin_states import content_status

    registry.add_content_status(app, content_status, order=30)
    from ..accounts.services import user_banned

    # One receiver for every app: it acts only for apps where reports are set up.
    user_banned.connect(_banned_receiver, weak=False)

    @app.before_request
    def _fresh_state_names():  # admins' state names are read once per request
        from flask import g

        g.pop("_report_state_names", None)


def _banned_receiver(sender, **kwargs):
    if "reports" in getattr(sender, "blueprints", {}):
        from .services import on_user_banned

        on_user_banned(sender, **kwargs)
