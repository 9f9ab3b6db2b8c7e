"""Postcodes as people write them, and MapIt's postcode shortcuts (the door re-exports these)."""

from __future__ import annotations

from sqlalchemy import select

from ..core.profile import current_profile
from ..extensions import db
from .models import Postcode
from .queries import AreaInfo


def postcode_point(text: str) -> tuple[str, float, float] | None:
    prof = current_profile()
    if not prof.postcode_valid(text or ""):
        return None
    row = db.session.scalar(select(Postcode).where(Postcode.code == prof.normalise_postcode(text)))
    return (row.code, row.lat, row.lon) if row else None


def ward_shortcuts(found: list[AreaInfo]) -> dict:
    """MapIt's postcode shortcuts: {"ward": id, "council": its parent's id} for the area of a ward
    type (the profile's areas.ward_types); with wards of two types at once (two tiers of
    councils), {"ward": {TYPE: id, …}, "council": {TYPE: parent id, …}} keyed by the ward type."""
    wards = [a for a in found if a.type in current_profile().ward_types]
    if len(wards) == 1:
        return {"ward": wards[0].id, "council": wards[0].parent_id}
    if len(wards) > 1:
        return {
            "ward": {a.type: a.id for a in wards},
            "council": {a.type: a.parent_id for a in wards},
        }
    return {}


def display_postcode(code: str) -> str:
    """A stored (normalised) postcode written the country's way: spaces where the profile's
    example has them, counted from the end ('CF991SN' -> 'CF99 1SN' for the example 'CF99 1SN'),
    if that still matches the pattern; else as stored."""
    prof = current_profile()
    example = (prof.postcode_example or "").strip()
    out = code
    for i, ch in enumerate(reversed(example)):
        if ch == " " and 0 < i < len(out):
            out = out[: len(out) - i] + " " + out[len(out) - i :]
    return out if out != code and prof.postcode_valid(out) else code
