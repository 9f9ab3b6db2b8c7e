"""Fixtures: a temporary translations directory (template + shipped catalogs), a test profile
with a language CLDR does not know, users and sign-in."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from helpers import make_user, sign_in

from app.core.i18n_tools import PLURAL_FORMS

__all__ = ["add_user", "sign_in"]

SKIP = "Skip to content"
HOME = "Report problems, find who represents you, and ask public bodies for information."
HELLO = "Hello %(name)s"
LINK = 'Read <a href="%(url)s">the rules</a> first.'
REPORTS = ("%(num)s report", "%(num)s reports")

TEMPLATE = [
    # (msgid or (singular, plural), context, locations, comments)
    ("Home", None, [("app/core/__init__.py", 40)], []),
    (SKIP, None, [("app/core/templates/base.html", 21)], []),
    (HOME, None, [("app/core/templates/core/home.html", 4)], []),
    (HELLO, None, [("app/accounts/routes.py", 10)], ["Translators: greeting on the account page"]),
    (LINK, None, [("app/reports/templates/reports/new.html", 7)], []),
    (REPORTS, None, [("app/reports/routes.py", 99)], []),
    ("Main", "navigation", [("app/core/templates/base.html", 24)], []),
]

PROFILE = """
name = "Test Land"
site_name = { en = "Plaza Test" }
territory = "GB"
default_language = "en"
timezone = "Europe/London"
weekend = [5, 6]
phone_region = "GB"
distance_unit = "km"

[[languages]]
tag = "en"
format_locale = "en_GB"

[[languages]]
tag = "cy"
format_locale = "cy_GB"

[[languages]]
tag = "ar"
format_locale = "ar_EG"

[[languages]]
tag = "tum"
name = "chiTumbuka"
catalog = "tum"
plural = "nplurals=2; plural=(n != 1);"
format_locale = "en_MW"

[holidays]
country = ""
extra = []

[map]
lat = 10.0
lon = 10.0
zoom = 9
tile_url = ""
attribution = ""

[postcodes]
enabled = false

[areas]
representative_types = []

[reports]
duplicate_distance_m = 100

[write]
max_recipients = 5
moderation = false
"""


def write_template(directory: Path, entries=TEMPLATE) -> None:
    cat = Catalog(project="Plaza", fuzzy=False)
    for msgid, ctx, locs, comments in entries:
        cat.add(msgid, locations=locs, context=ctx, auto_comments=comments)
    with open(directory / "messages.pot", "wb") as fh:
        write_po(fh, cat)


def write_catalog(directory: Path, code: str, translations: dict, fuzzy=(), entries=TEMPLATE) -> Path:
    """A shipped catalog as `make i18n` leaves it (pinned Plural-Forms)."""
    cat = Catalog(locale=code, project="Plaza", fuzzy=False)
    cat._num_plurals, cat._plural_expr = PLURAL_FORMS[code]
    n = PLURAL_FORMS[code][0]
    for msgid, ctx, locs, comments in entries:
        key = msgid if isinstance(msgid, str) else msgid[0]
        value = translations.get(key, "" if isinstance(msgid, str) else ("",) * n)
        cat.add(
            msgid, value, locations=locs, context=ctx, auto_comments=comments, flags=("fuzzy",) if key in fuzzy else ()
        )
    path = directory / code / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        write_po(fh, cat)
    return path


@pytest.fixture
def tdir(tmp_path):
    d = tmp_path / "translations"
    d.mkdir()
    write_template(d)
    write_catalog(d, "en", {})
    write_catalog(d, "cy", {"Home": "Hafan"}, fuzzy=())
    write_catalog(d, "ar", {"Home": "الرئيسية", HELLO: "مرحبا %(name)s"}, fuzzy=(HELLO,))
    return d


@pytest.fixture(scope="session")
def profile_path(tmp_path_factory):
    """One file for the session, so that the apps built on it are shared by the tests."""
    p = tmp_path_factory.mktemp("profile") / "testland.toml"
    p.write_text(PROFILE, encoding="utf-8")
    return str(p)


@pytest.fixture
def make(app_factory, tdir, profile_path):
    """make(profile=None) -> an app on the shared test database with the temporary catalogs."""

    def factory(profile=None, **extra):
        return app_factory(PLAZA_PROFILE=profile or profile_path, PLAZA_TRANSLATIONS_DIR=str(tdir), **extra)

    return factory


def add_user(app, email, role="citizen", locales=()):
    """A user (translator of `locales`) made in its own app context; returns the id."""
    with app.app_context():
        return make_user(email, name=email.split("@")[0], role=role, confirmed=False, translator_locales=locales).id


def read_po_bytes(data: bytes):
    return read_po(io.BytesIO(data))
