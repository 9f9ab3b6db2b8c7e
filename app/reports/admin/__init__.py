"""Reports' staff and admin pages, on the `reports_admin` blueprint (/<lang>/admin/reports/…)."""

from __future__ import annotations

from . import moderate, questions, reports, sends, setup, states  # noqa: F401 - views register on the blueprint
from .content import content_status

__all__ = ["content_status"]
