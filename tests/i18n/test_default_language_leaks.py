"""No text of the profile's default language (Arabic here) leaks onto pages in another language."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app.core.i18n import build_translations
from app.directory.models import Organisation
from app.extensions import db
from tests.helpers import make_user, sign_in

PROFILE = Path(__file__).resolve().parent / "profiles" / "arabic-default.toml"
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]+")
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


class _Text(HTMLParser):
    """Visible text and attribute values, minus elements that say they are Arabic (lang="ar…"),
    such as the language switcher's autonym."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.out: list[str] = []

    def _arabic(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        marked = (attrs.get("lang") or "").lower().startswith("ar")
        if tag not in self.VOID:
            self.stack.append(marked or self._arabic())
        if not (marked or self._arabic()):
            self.out.extend(
                v for k, v in attrs.items() if k in ("title", "placeholder", "aria-label", "alt", "value") and v
            )

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._arabic():
            self.out.append(data)


def arabic_runs(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return ARABIC.findall(" ".join(parser.out))


def _plain_get_paths(app, lang: str) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or set(rule.arguments) - {"lang"}:
            continue
        if rule.endpoint == "static" or "lang" not in rule.arguments:
            continue
        paths.append(rule.build({"lang": lang}, append_unknown=False)[1])
    return sorted(set(paths))


@pytest.mark.parametrize("code", ["en", "fr", "es", "cy"])
def test_every_count_message_is_in_the_page_language_not_the_default(code):
    """Every plural message of a catalog answers from that catalog (or the English source),
    never from the Arabic default: English's own catalog repeats the source, which is right."""
    from babel.messages.pofile import read_po

    with open(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    chain = build_translations(code, "ar", directory=TRANSLATIONS)
    leaks = []
    for message in catalog:
        if not isinstance(message.id, tuple) or not all(message.string):
            continue
        for n in (1, 2, 5, 13):
            text = chain.ngettext(message.id[0], message.id[1], n)
            if message.context:
                text = chain.npgettext(message.context, message.id[0], message.id[1], n)
            if ARABIC.search(text):
                leaks.append((message.id[0], n, text))
    assert leaks == []


def test_english_gaps_show_the_source_text_not_the_default_language():
    chain = build_translations("en", "ar", directory=TRANSLATIONS)
    assert chain.ngettext("%(num)s organisation", "%(num)s organisations", 13) == "%(num)s organisations"
    assert chain.gettext("A message no catalog has") == "A message no catalog has"


def _seed():
    """A few bodies, so list pages show their counts ("13 organisations" was Arabic)."""
    for i in range(13):
        db.session.add(Organisation(name=f"Body {i}", classification="council", foi_email=f"foi{i}@example.org"))
    db.session.flush()


@pytest.mark.parametrize("lang", ["en", "fr", "es", "cy"])
def test_no_arabic_on_any_page_in_another_language(app_factory, lang):
    app = app_factory(PLAZA_PROFILE=str(PROFILE))
    with app.app_context():
        admin = make_user(email="admin@example.org", name="Ada Admin", role="admin")
        _seed()
        client = app.test_client()
        sign_in(client, admin)
        leaks, seen = {}, 0
        for path in _plain_get_paths(app, lang):
            response = client.get(path)
            if response.status_code != 200 or not response.mimetype == "text/html":
                continue
            seen += 1
            runs = arabic_runs(response.get_data(as_text=True))
            if runs:
                leaks[path] = runs[:5]
    assert seen > 30
    assert leaks == {}, "\n".join(f"{k}: {v}" for k, v in leaks.items())
