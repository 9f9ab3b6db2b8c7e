"""The reports blueprints, defined once with their URL prefixes; view modules add routes to them."""

from __future__ import annotations

from flask import Blueprint

from ..extensions import csrf

# Citizens' pages: /<lang>/reports/…
bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/<lang>/reports")
# Staff, moderators and admins: /<lang>/admin/reports/…
admin_bp = Blueprint("reports_admin", __name__, template_folder="templates", url_prefix="/<lang>/admin/reports")
# Open311 GeoReport v2 for machines: no language in the URL, no CSRF (API keys instead)
open311_bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(open311_bp)
