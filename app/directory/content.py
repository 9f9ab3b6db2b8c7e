"""Organisation and body names per language (content translations, issue 7).

Names in other languages are OtherName rows with a language (edited on an organisation's admin
page as "cy = …" lines); without one, the organisation's main name (the profile's default
language) is shown, never an empty name.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from .models import Organisation, OtherName


def _without_name(tag: str):
    langs = {tag.lower(), tag.split("-")[0].lower()}
    named = select(OtherName.organisation_id).where(
        OtherName.organisation_id.is_not(None), func.lower(OtherName.lang).in_(langs)
    )
    return Organisation.id.not_in(named)


def untranslated(tag: str, limit: int = 200) -> tuple[list[Organisation], int]:
    """Organisations with no name of their own in this language (none for the default language)."""
    if tag == current_app.extensions["plaza_profile"].default_language:
        return [], 0
    total = db.session.scalar(select(func.count(Organisation.id)).where(_without_name(tag))) or 0
    rows = db.session.scalars(
        select(Organisation).where(_without_name(tag)).order_by(Organisation.name).limit(limit)
    ).all()
    return list(rows), total


def content_status(tag: str):
    """registry.add_content_status: organisation names missing in this language."""
    if tag == current_app.extensions["plaza_profile"].default_language:
        count = 0
    else:
        count = db.session.scalar(select(func.count(Organisation.id)).where(_without_name(tag))) or 0
    return [(_l("Organisation and body names"), count, url_for("directory_admin.untranslated", locale=tag))]
