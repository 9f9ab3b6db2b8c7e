"""The record's blueprints, defined once; its subpackages add their views to them."""

from __future__ import annotations

from flask import Blueprint

# Citizen pages under /<lang>/record/…, JSON under /record/api/…, admin pages under /<lang>/admin/record/….
bp = Blueprint("record", __name__, template_folder="templates", url_prefix="/<lang>/record")
api_bp = Blueprint("record_api", __name__, url_prefix="/record/api")
admin_bp = Blueprint("record_admin", __name__, template_folder="templates", url_prefix="/<lang>/admin/record")
