"""Jurisdiction: which FOI law applies to an authority, its names, the calendar its deadlines count
on, and whether an authority can be asked at all."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from ..core.i18n import current_language
from ..core.profile import current_profile
from ..extensions import db
from .duedates import Calendar
from .models import FoiHoliday

DEFUNCT_TAGS = ("defunct",)
LAW_TAG = "foi-law:"


def law_for(body) -> object | None:
    """The law that applies to an authority: a `foi-law:<code>` tag overrides the profile's first."""
    prof = current_profile()
    for tag in getattr(body, "tags", ()) or ():
        if tag.startswith(LAW_TAG) and prof.foi_law(tag[len(LAW_TAG) :]):
            return prof.foi_law(tag[len(LAW_TAG) :])
    return prof.foi_law()


def law_by_code(code: str):
    return current_profile().foi_law(code) or current_profile().foi_law()


def law_name(law, lang: str | None = None, short: bool = False) -> str:
    """The law's name in `lang`, or else in the language of the page (or mail) being rendered."""
    if law is None:
        return ""
    if lang is None:
        lang = current_language().tag
    return current_profile().text(law.short_name if short else law.name, lang)


def review_body(law, lang: str | None = None) -> str | None:
    """The outside body that hears complaints under this law, or None when the authority itself
    reviews its decision (an internal review)."""
    if law is None or law.review_kind != "external":
        return None
    if lang is None:
        lang = current_language().tag
    return current_profile().text(law.review_body, lang) or None


def calendar() -> Calendar:
    extra = tuple(db.session.scalars(select(FoiHoliday.day)))
    return Calendar.for_profile(current_profile(), extra)


def local_today() -> dt.date:
    return dt.datetime.now(ZoneInfo(current_profile().timezone)).date()


def why_not_askable(body) -> str | None:
    """None when requests can be sent; otherwise a translated explanation."""
    if body is None:
        return _("This authority does not exist.")
    if any(t in DEFUNCT_TAGS for t in body.tags):
        return _("This authority no longer exists, so it cannot be sent requests.")
    if not body.foi_email:
        return _(
            "We do not have an address for requests to this authority yet. If you know it, please tell the site's team."
        )
    if law_for(body) is None:
        return _("This site is not set up with a law for information requests.")
    return None


def letter_template(body, lang: str | None = None) -> str:
    law = law_for(body)
    return _(
        "Dear %(authority)s,\n\nUnder the %(law)s, I would like to request the following "
        "information:\n\n\n\nYours faithfully,",
        authority=body.name,
        law=law_name(law, lang),
    )
