"""The admin blueprint, defined once: every admin page is under /<lang>/admin/."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates", url_prefix="/<lang>/admin")
