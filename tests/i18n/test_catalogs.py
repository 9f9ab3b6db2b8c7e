"""The shipped catalogs: complete, not fuzzy, placeholders intact, the pinned plural table."""

# When a test here fails because a string is new, run `make i18n` and translate (docs/i18n.md).

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.core import i18n_tools
from app.core.i18n import build_translations

from .conftest import write_catalog

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
SHIPPED = ["en", "es", "fr", "ar", "cy"]

# The table the project pinned (docs/i18n.md). The code's table must say exactly this.
PINNED = {
    "en": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
    "fr": "nplurals=3; plural=(n == 0 || n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "cy": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);",
}
# Same keywords as `make i18n` (Makefile): Babel's defaults plus the lazy variants.
KEYWORDS = dict(DEFAULT_KEYWORDS)
KEYWORDS.update({"_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2), "lazy_ngettext": (1, 2)})


def _read(path: Path):
    with open(path, "rb") as fh:
        return read_po(fh)


def _key(msgid, context):
    return (context or "", msgid if isinstance(msgid, str) else msgid[0])


@pytest.fixture(scope="module")
def extracted():
    with open(TRANSLATIONS / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(TRANSLATIONS / "babel.cfg"))
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        found.setdefault(_key(message, context), f"{filename}:{lineno}")
    return found


def test_extraction_finds_the_layout_strings(extracted):
    # the test itself must see templates and Python code, or it proves nothing
    assert ("", "Skip to content") in extracted  # core/templates/base.html
    assert ("", "Page not found") in extracted  # core/i18n.py
    assert ("navigation", "Main") in extracted  # pgettext in base.html


@pytest.mark.parametrize("code", SHIPPED)
def test_every_string_in_code_and_templates_is_in_the_catalog(extracted, code):
    path = TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"{path} is missing: run `make i18n` (pybabel init for a new language)"
    have = {_key(m.id, m.context) for m in _read(path) if m.id}
    missing = sorted(f"{where}: {key[1]!r}" for key, where in extracted.items() if key not in have)
    assert not missing, f"{len(missing)} string(s) missing from {path}; run `make i18n`:\n" + "\n".join(missing[:40])


def test_the_template_is_current(extracted):
    have = {_key(m.id, m.context) for m in _read(TRANSLATIONS / "messages.pot") if m.id}
    missing = sorted(k[1] for k in extracted if k not in have)
    assert not missing, f"translations/messages.pot is stale; run `make i18n`: {missing[:20]}"


def test_the_code_pins_the_agreed_table():
    for code, header in PINNED.items():
        assert i18n_tools.plural_header(code) == header


@pytest.mark.parametrize("code", SHIPPED)
def test_plural_forms_header_is_the_pinned_one(code):
    catalog = _read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po")
    header = dict(catalog.mime_headers)["Plural-Forms"]
    assert i18n_tools.parse_plural_header(header) == i18n_tools.parse_plural_header(PINNED[code])
    for message in catalog:
        if message.id and message.pluralizable:
            assert len(message.string) == catalog.num_plurals, message.id


@pytest.mark.parametrize("code", SHIPPED)
def test_catalog_is_complete_and_placeholders_are_intact(code):
    problems = i18n_tools.catalog_problems(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", code)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("code", SHIPPED)
def test_babel_check_finds_no_format_errors(code):
    catalog = _read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po")
    errors = [(m.id, errs) for m, errs in catalog.check()]
    assert not errors, errors[:10]


# -- the checker itself must catch what it claims to ----------------------------------
BAD_PO = r"""
msgid ""
msgstr ""
"Language: fr\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
"Content-Type: text/plain; charset=UTF-8\n"

msgid "Hello %(name)s"
msgstr "Bonjour %(nom)s"

msgid "Open %s"
msgstr "Ouvrir"

msgid "Due {date}"
msgstr "Échéance {jour}"

msgid "Empty"
msgstr ""

#, fuzzy
msgid "Fuzzy"
msgstr "Flou"

msgid "%(num)s report in %(area)s"
msgid_plural "%(num)s reports in %(area)s"
msgstr[0] "%(num)s signalement"
msgstr[1] ""

msgid "Fine %(name)s"
msgstr "Bien %(name)s"
"""


def test_the_checker_catches_every_kind_of_problem(tmp_path):
    path = tmp_path / "fr.po"
    path.write_text(BAD_PO, encoding="utf-8")
    problems = "\n".join(i18n_tools.catalog_problems(path, "fr"))
    assert "Plural-Forms" in problems
    assert "'Hello %(name)s'" in problems
    assert "'Open %s'" in problems
    assert "'Due {date}'" in problems
    assert "'Empty' is untranslated" in problems
    assert "'Fuzzy' is fuzzy" in problems
    assert "2 plural forms, needs 3" in problems
    assert "untranslated plural form" in problems
    assert "do not fit" in problems  # the singular form dropped %(area)s
    assert "Fine" not in problems


def test_fix_headers_pins_the_header_and_remaps_forms(tmp_path):
    # A catalog written with Babel's Arabic table, where forms 4 and 5 are the other way round.
    po = tmp_path / "ar" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    babel_ar = "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=0 && n%100<=2 ? 4 : 5"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: ar\\n"\n'
        f'"Plural-Forms: nplurals=6; plural=({babel_ar});\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\n'
        'msgstr[0] "zero"\nmsgstr[1] "one"\nmsgstr[2] "two"\nmsgstr[3] "few"\n'
        'msgstr[4] "hundreds"\nmsgstr[5] "many"\n\n'
        'msgid "Open"\nmsgstr "افتح"\n',
        encoding="utf-8",
    )
    cy = tmp_path / "cy" / "LC_MESSAGES" / "messages.po"
    cy.parent.mkdir(parents=True)
    cy.write_text(
        'msgid ""\nmsgstr ""\n"Language: cy\\n"\n'
        '"Plural-Forms: nplurals=5; plural=(n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 0);\\n"\n\n'
        'msgid "%(num)s day"\nmsgid_plural "%(num)s days"\n'
        'msgstr[0] ""\nmsgstr[1] ""\nmsgstr[2] ""\nmsgstr[3] ""\nmsgstr[4] ""\n',
        encoding="utf-8",
    )
    assert i18n_tools.fix_headers(tmp_path) == 0
    ar = _read(po)
    assert dict(ar.mime_headers)["Plural-Forms"] == PINNED["ar"]
    forms = next(m for m in ar if m.pluralizable).string
    assert forms == ("zero", "one", "two", "few", "many", "hundreds")
    assert next(m for m in ar if m.id == "Open").string == "افتح"
    cy_cat = _read(cy)
    assert dict(cy_cat.mime_headers)["Plural-Forms"] == PINNED["cy"]
    assert len(next(m for m in cy_cat if m.pluralizable).string) == 6
    # running it again changes nothing
    before = po.read_bytes()
    i18n_tools.fix_headers(tmp_path)
    assert po.read_bytes() == before


def test_the_command_line(tmp_path, capsys):
    assert i18n_tools.main(["nonsense"]) == 2
    assert i18n_tools.main(["check"]) in (0, 1)
    assert "catalog(s)" in capsys.readouterr().out


# -- rendering plurals with the shipped headers ----------------------------------------
NUMBERS = (0, 1, 2, 3, 5, 6, 11, 21, 100, 101, 102)
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")
EXPECTED = {
    "ar": {0: 0, 1: 1, 2: 2, 3: 3, 5: 3, 6: 3, 11: 4, 21: 4, 100: 5, 101: 5, 102: 5},
    "cy": {0: 0, 1: 1, 2: 2, 3: 3, 5: 5, 6: 4, 11: 5, 21: 5, 100: 5, 101: 5, 102: 5},
}


@pytest.mark.parametrize("code", ["ar", "cy"])
def test_plural_rendering_uses_the_pinned_form(tmp_path, code):
    header = dict(_read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").mime_headers)["Plural-Forms"]
    n_forms = i18n_tools.parse_plural_header(header)[0]
    forms = tuple(f"form{i} %(num)s" for i in range(n_forms))
    write_catalog(tmp_path, code, {("%(num)s day", "%(num)s days"): forms}, header)
    chain = build_translations(code, "en", directory=tmp_path)
    cldr = Locale.parse(code)
    categories = [c for c in CLDR_ORDER if c in cldr.plural_form.tags | {"other"}]
    for n in NUMBERS:
        got = chain.ngettext("%(num)s day", "%(num)s days", n)
        assert got == f"form{EXPECTED[code][n]} %(num)s", (code, n, got)
        # and the form is the one CLDR names for n
        assert categories[EXPECTED[code][n]] == cldr.plural_form(n), (code, n)


def test_runtime_plural_function_is_the_pinned_one(tmp_path):
    for code in SHIPPED:
        header = dict(_read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").mime_headers)["Plural-Forms"]
        write_catalog(tmp_path, code, {"x": "y"}, header)
        chain = build_translations(code, code, directory=tmp_path)
        pinned = i18n_tools.plural_function(i18n_tools.PLURAL_FORMS[code][1])
        for n in (*NUMBERS, 1000000, 2000000, 1000001):
            assert chain.plural(n) == pinned(n), (code, n)


def test_po_files_are_utf8_and_parse(tmp_path):
    for code in SHIPPED:
        raw = (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").read_bytes()
        raw.decode("utf-8")
        read_po(io.BytesIO(raw))


def test_plural_forms_equal_to_the_source_are_kept_but_filler_is_dropped(tmp_path):
    """Welsh takes the singular noun after every numeral ("142 person"), so a translation may
    equal the English singular in every form; only pybabel's filler for blank forms (singular in
    form 0, plural in the rest) or an empty form means "not translated"."""
    header = dict(_read(TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").mime_headers)["Plural-Forms"]
    write_catalog(
        tmp_path,
        "cy",
        {
            ("%(num)s person", "%(num)s people"): ("%(num)s person",) * 6,
            ("%(num)s day", "%(num)s days"): ("", "", "", "", "", ""),
            ("%(num)s cat", "%(num)s cats"): ("%(num)s cath", "", "", "", "", ""),
        },
        header,
    )
    write_catalog(tmp_path, "en", {}, None)
    chain = build_translations("cy", "en", directory=tmp_path)
    assert chain.ngettext("%(num)s person", "%(num)s people", 142) == "%(num)s person"
    assert chain.ngettext("%(num)s day", "%(num)s days", 3) == "%(num)s days"  # filler: the source answers
    assert chain.ngettext("%(num)s cat", "%(num)s cats", 3) == "%(num)s cats"  # half done: the source answers


def test_shipped_plurals_equal_to_the_english_plural_are_kept(tmp_path):
    header = dict(_read(TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").mime_headers)["Plural-Forms"]
    forms = ("%(num)s organisation", "%(num)s d’organisations", "%(num)s organisations")
    write_catalog(tmp_path, "fr", {("%(num)s organisation", "%(num)s organisations"): forms}, header)
    write_catalog(tmp_path, "en", {}, None)
    chain = build_translations("fr", "en", directory=tmp_path)
    assert chain.ngettext("%(num)s organisation", "%(num)s organisations", 0) == "%(num)s organisation"
    assert chain.ngettext("%(num)s organisation", "%(num)s organisations", 1000000) == "%(num)s d’organisations"
