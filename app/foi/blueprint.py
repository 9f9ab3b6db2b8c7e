"""FOI's blueprints, each defined once with its URL prefix: public pages, admin pages, JSON API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("foi", __name__, template_folder="templates", url_prefix="/<lang>/foi")
admin_bp = Blueprint("foi_admin", __name__, template_folder="templates", url_prefix="/<lang>/admin/foi")
api_bp = Blueprint("foi_api", __name__, url_prefix="/api/foi")
