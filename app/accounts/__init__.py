"""Accounts: sign-up, sign-in, email confirmation, password reset, settings, roles."""

from __future__ import annotations

import hmac

from flask import g, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core import audit as _audit  # noqa: F401 - core_audit table for create_all
from ..core import registry
from ..extensions import login_manager
from . import demo, signins
from .cli import accounts_cli
from .routes import bp


def init_app(app) -> None:
    @login_manager.user_loader
    def load_user(session_id: str):
        user = signins.load(session_id)  # None once this sign-in has ended (sign-out …)
        if user is None or user.banned_at is not None:  # a ban ends open sessions too
            return None
        stamp = (session_id or "").split(".")[1]
        if not hmac.compare_digest(stamp, user.session_stamp):  # the password changed since
            return None
        g.user_language = user.language
        return user

    @app.before_request
    def load_signed_in_user():
        # Load the user up front so that g.user_language is there for `/` negotiation and
        # error pages (the layout would load it anyway on every page). No query when signed out.
        if request.endpoint != "static":
            current_user._get_current_object()

    login_manager.login_view = "accounts.signin"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.localize_callback = str  # evaluates the lazy message in the request's language
    login_manager.login_message_category = "info"

    app.register_blueprint(bp, url_prefix="/<lang>")
    app.cli.add_command(accounts_cli)
    app.cli.add_command(accounts_cli, name="users")  # the older name, used by the README
    registry.add_demo_loader(app, demo.load, order=10)
