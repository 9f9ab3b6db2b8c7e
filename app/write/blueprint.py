"""Write's blueprints, each defined once with its URL prefix: public pages and moderation."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("write", __name__, template_folder="templates", url_prefix="/<lang>/write")
admin_bp = Blueprint("write_admin", __name__, template_folder="templates", url_prefix="/<lang>/admin/write")
