"""Content admins write per language: the site name and the static pages (about, privacy, help).

Every text falls back to the profile's default language, then to a built-in text: never empty.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core import registry
from ..core.i18n import force_language
from ..core.i18n_tools import SOURCE_LANGUAGE
from ..core.models import utcnow
from ..core.profile import current_profile
from ..extensions import db
from .models import ContentText, TranslationLog
from .services import bump, version_token

PAGES = {
    # Translators: title of the static page about the site
    "about": _l("About"),
    # Translators: title of the static page about personal data
    "privacy": _l("Privacy"),
    # Translators: title of the static help page
    "help": _l("Help"),
}
_TITLE_MSGIDS = {"about": "About", "privacy": "Privacy", "help": "Help"}  # to tell a missing translation


@dataclass(frozen=True)
class ContentItem:
    key: str
    label: object  # lazy string
    multiline: bool = False


def items() -> list[ContentItem]:
    out = [ContentItem("site_name", _l("Site name"))]
    for slug, title in PAGES.items():
        out.append(ContentItem(f"page:{slug}:title", _l("Title of the page “%(page)s”", page=title)))
        out.append(ContentItem(f"page:{slug}:body", _l("Text of the page “%(page)s”", page=title), True))
    return out


def item(key: str) -> ContentItem | None:
    return next((i for i in items() if i.key == key), None)


def _all() -> dict[tuple[str, str], str]:
    """All content texts, cached per process until the version row changes."""
    token = version_token()
    store = current_app.extensions.setdefault("plaza_translations", {})
    hit = store.get("content")
    if hit is not None and hit[0] == token and token is not None:
        return hit[1]
    rows = db.session.execute(select(ContentText.key, ContentText.lang, ContentText.text)).all()
    data = {(k, lang): t for k, lang, t in rows if t and t.strip()}
    store["content"] = (token, data)
    return data


def own_text(key: str, tag: str) -> str | None:
    """The text written for exactly this language, or None."""
    return _all().get((key, tag))


def profile_text(key: str, tag: str) -> str | None:
    """What the profile (or, for page titles, the interface catalog) says in exactly this language,
    or None when it has nothing in it."""
    if key.startswith("page:") and key.endswith(":title"):
        slug = key.split(":")[1]
        with force_language(tag):
            title = str(PAGES[slug])
        english = tag.split("-")[0] == SOURCE_LANGUAGE
        return title if english or title != _TITLE_MSGIDS[slug] else None
    if key != "site_name":
        return None
    names = current_profile().site_name
    if isinstance(names, str):
        return names or None
    return names.get(tag) or names.get(tag.split("-")[0]) or names.get("") or None  # "": every language


def builtin(key: str, tag: str) -> str:
    prof = current_profile()
    if key == "site_name":
        return prof.text(prof.site_name, tag)
    if key.startswith("page:") and key.endswith(":title"):
        return str(PAGES[key.split(":")[1]])
    return ""


def text(key: str, tag: str) -> tuple[str, str]:
    """(text, language it is in). An admin's text in this language, then the profile's own text in
    this language, and only then the admin's text in the default language, then the built-in one:
    an English name typed by an admin must not hide the profile's Welsh name."""
    for t in dict.fromkeys((tag, tag.split("-")[0])):
        value = own_text(key, t)
        if value:
            return value, t
    value = profile_text(key, tag)
    if value:
        return value, tag
    default = current_profile().default_language
    value = own_text(key, default)
    if value:
        return value, default
    return builtin(key, tag), tag


def save(key: str, values: dict[str, str], user_id: int | None) -> int:
    """Store the texts of one item for several languages; returns how many changed."""
    changed = 0
    rows = {r.lang: r for r in db.session.execute(select(ContentText).where(ContentText.key == key)).scalars()}
    for tag, value in values.items():
        value = (value or "").replace("\r\n", "\n").strip()
        row = rows.get(tag)
        old = row.text if row else ""
        if value and value == profile_text(key, tag):
            value = (
                ""  # the profile's own text, prefilled in the form: store no copy that would hide later profile changes
            )
        if value == old:
            continue
        if row is None:
            row = ContentText(key=key, lang=tag, text=value)
            db.session.add(row)
        row.text, row.updated_by, row.updated_at = value, user_id, utcnow()
        db.session.add(
            TranslationLog(catalog=tag, key=key, msgid=key, old=[old], new=[value], source="content", user_id=user_id)
        )
        changed += 1
    if changed:
        bump(user_id)
    return changed


def missing(tag: str) -> list[ContentItem]:
    """Content with no text of its own in this language (the translation status page)."""
    out = []
    for it in items():
        if own_text(it.key, tag):
            continue
        if profile_text(it.key, tag):
            continue
        if it.key.endswith(":title"):
            continue  # built-in titles are translated in the interface catalogs
        out.append(it)
    return out


def component_statuses(tag: str) -> list[tuple[object, int, str]]:
    """(label, missing count, admin URL) from every component that registered a content status."""
    out = []
    for func in registry.content_statuses():
        try:
            out.extend(func(tag) or [])
        except Exception:  # one broken component must not take the status page down
            logging.getLogger(__name__).exception("content status %r failed for %s", func, tag)
    return out
