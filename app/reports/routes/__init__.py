"""Citizens' pages of reports, on the `reports` blueprint (/<lang>/reports/…): each module adds its
views to the blueprint when imported."""

from __future__ import annotations

from . import alerts, feeds, lists, new, report, reporter  # noqa: F401 - views register on the blueprint
from .new import room_for_photos

__all__ = ["room_for_photos"]
