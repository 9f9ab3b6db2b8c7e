"""Accounts: sign-up, sign-in, email confirmation, password reset, settings, roles."""

from __future__ import annotations

from flask import g

from ..extensions import db, login_manager
from .models import User


def init_app(app) -> None:
    @login_manager.user_loader
    def load_user(user_id: str):
        try:
            user = db.session.get(User, int(user_id))
        except (TypeError, ValueError):
            return None
        if user is not None:
            g.user_language = user.language
        return user

    login_manager.login_view = "accounts.signin"
