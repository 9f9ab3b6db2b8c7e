"""Directory's blueprints, each defined once with its URL prefix: public pages, admin, Popolo API."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("directory", __name__, template_folder="templates", url_prefix="/<lang>")
admin_bp = Blueprint("directory_admin", __name__, template_folder="templates", url_prefix="/<lang>/admin/directory")
# The Popolo URLs keep their names (/api/popolo.json, /api/persons/…, /api/organizations/…).
api_bp = Blueprint("directory_api", __name__, url_prefix="/api")
