"""The translations blueprint, defined once, and the access rules its pages share."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort
from flask_login import current_user

from ..core.profile import current_profile
from ..extensions import login_manager
from . import services

bp = Blueprint("translations", __name__, template_folder="templates")


def may_translate(lang) -> bool:
    user = current_user
    if not user.is_authenticated:
        return False
    return user.is_admin or user.can_translate(lang.tag) or user.can_translate(lang.catalog)


def translator_required(view):
    """Admins, and translators granted this locale; the locale must have a catalog."""

    @wraps(view)
    def wrapped(locale, *args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        lang = current_profile().language(locale)
        if lang is None:
            abort(404)
        if not may_translate(lang):
            abort(403)
        if lang not in services.editor_languages():
            abort(404)
        return view(lang, *args, **kwargs)

    return wrapped


def uid():
    return current_user.id if current_user.is_authenticated else None
