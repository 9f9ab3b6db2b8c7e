"""The deployment's country profile (PLAZA_PROFILE), loaded once by create_app."""

from __future__ import annotations

from flask import current_app

from ..profiles import Profile


def current_profile() -> Profile:
    return current_app.extensions["plaza_profile"]
