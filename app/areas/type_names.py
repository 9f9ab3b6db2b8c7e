"""Area type names per language, edited by admins (content translations, issue 7).

A type's names live in AreaType.names (language tag -> name; "" is the name the import gave).
A missing language falls back to the profile's default language, then to the import's name:
never empty. Services do not commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.profile import current_profile
from ..extensions import db
from .models import AreaType

MAX_LENGTH = 100


@dataclass(frozen=True)
class TypeNames:
    code: str
    level: int
    names: dict  # language tag -> the name written for it ("" = the import's name)
    fallback: str  # what a language without its own name shows (default language, else import)


def _fallback(names: dict, code: str) -> str:
    default = current_profile().default_language
    return names.get(default) or names.get("") or next((v for v in names.values() if v), code)


def all_types() -> list[TypeNames]:
    rows = db.session.scalars(select(AreaType).order_by(AreaType.level, AreaType.code)).all()
    return [TypeNames(t.code, t.level, dict(t.names or {}), _fallback(t.names or {}, t.code)) for t in rows]


def save_names(code: str, values: dict[str, str]) -> bool:
    """Set a type's names for the given languages (an empty value removes that language's name).

    Returns whether anything changed. The caller checks the values (length, default present).
    """
    t = db.session.get(AreaType, code)
    if t is None:
        raise LookupError(code)
    names = dict(t.names or {})
    before = dict(names)
    for tag, value in values.items():
        value = (value or "").strip()
        if value:
            names[tag] = value
        else:
            names.pop(tag, None)
    if names == before:
        return False
    t.names = names
    return True


def missing(tag: str) -> int:
    """How many types have no name of their own in this language."""
    default = current_profile().default_language
    count = 0
    for t in db.session.scalars(select(AreaType)):
        names = t.names or {}
        own = names.get(tag) or names.get(tag.split("-")[0])
        if not own and tag == default:
            own = names.get("")
        count += not own
    return count


def content_status(tag: str):
    """registry.add_content_status: area type names missing in this language."""
    return [(_l("Area type names"), missing(tag), url_for("areas_admin.types"))]
