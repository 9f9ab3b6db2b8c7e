"""Catalog maintenance: one pinned Plural-Forms table, and the commands `make i18n` runs.

    python -m app.core.i18n_tools fix-headers   # after `pybabel update` / `pybabel init`
    python -m app.core.i18n_tools check         # exit 1 when a catalog is incomplete or wrong

Tools disagree about plural rules (Babel, Weblate and older gettext tables differ for Arabic,
Welsh, Spanish and French), so Plaza pins ONE table here. `fix-headers` writes it into every
catalog's header and gives every plural entry exactly that many forms, moving existing
translations to the new form numbers when a tool had written another order. The runtime reads
the rule from the compiled catalog's header, so what is pinned here is what pages use.
"""

from __future__ import annotations

import gettext
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..profiles import PROFILE_DIR, ProfileError, available_profiles, load_profile

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "translations"

# The pinned table: catalog language -> (nplurals, C expression). Order of forms follows CLDR
# (zero, one, two, few, many, other), keeping only the categories the language has.
PLURAL_FORMS: dict[str, tuple[int, str]] = {
    "en": (2, "(n != 1)"),
    "es": (3, "(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)"),
    "fr": (3, "(n == 0 || n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)"),
    "ar": (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5)"),
    "cy": (6, "(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5)"),
}

# The language the source strings are written in: its catalog is filled from the source.
SOURCE_LANGUAGE = "en"

# Numbers that exercise every form of every pinned language.
SAMPLE_NUMBERS = (0, 1, 2, 3, 5, 6, 11, 21, 100, 101, 102, 111, 1000000, 2000000)

_HEADER_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?);?\s*$")


def plural_header(code: str) -> str:
    n, expr = PLURAL_FORMS[code]
    return f"nplurals={n}; plural={expr};"


def parse_plural_header(header: str) -> tuple[int, str]:
    m = _HEADER_RE.match(header or "")
    if not m:
        raise ValueError(f"not a Plural-Forms header: {header!r}")
    return int(m.group(1)), m.group(2).strip()


def plural_function(expr: str):
    """gettext's own compiler: the very function the runtime uses for this expression."""
    return gettext.c2py(expr)


def pinned_rule(catalog_code: str) -> tuple[int, str] | None:
    """The pinned rule for a catalog code (pt_BR -> pt), or one a profile declares, or None."""
    base = re.split(r"[_@-]", catalog_code)[0]
    if catalog_code in PLURAL_FORMS:
        return PLURAL_FORMS[catalog_code]
    if base in PLURAL_FORMS:
        return PLURAL_FORMS[base]
    return _profile_rules().get(catalog_code)


def _profile_rules() -> dict[str, tuple[int, str]]:
    """Plural rules that profiles give for languages CLDR does not know."""
    rules = {}
    for code in available_profiles():
        try:
            prof = load_profile(code, PROFILE_DIR)
        except ProfileError:
            continue
        for lang in prof.languages:
            if lang.plural:
                rules[lang.catalog] = parse_plural_header(lang.plural)
    return rules


def catalog_files(directory: Path = TRANSLATIONS_DIR) -> dict[str, Path]:
    return {p.parent.parent.name: p for p in sorted(Path(directory).glob("*/LC_MESSAGES/messages.po"))}


def _remap_forms(forms: tuple, old_expr: str | None, new_n: int, new_expr: str) -> tuple:
    """Give a plural entry exactly new_n forms; move forms when the rule's order changed."""
    forms = tuple(forms)
    if old_expr is None or old_expr == new_expr or not any(forms):
        return tuple((forms + ("",) * new_n)[:new_n])
    old_f, new_f = plural_function(old_expr), plural_function(new_expr)
    out = []
    for idx in range(new_n):
        n = next((k for k in range(0, 2001) if new_f(k) == idx), None)
        if n is None:
            n = next((k for k in SAMPLE_NUMBERS if new_f(k) == idx), None)
        old_idx = old_f(n) if n is not None else None
        out.append(forms[old_idx] if old_idx is not None and old_idx < len(forms) else "")
    return tuple(out)


def fix_catalog(path: Path, code: str) -> bool:
    """Pin the header and the number of forms of one .po file. Returns True when it changed."""
    rule = pinned_rule(code)
    if rule is None:
        print(f"{path}: no pinned plural rule for '{code}'; add one to PLURAL_FORMS or the profile", file=sys.stderr)
        return False
    with open(path, "rb") as fh:
        catalog: Catalog = read_po(fh, locale=None, abort_invalid=False)
    raw_header = dict(catalog.mime_headers).get("Plural-Forms", "")
    try:
        old_n, old_expr = parse_plural_header(raw_header)
    except ValueError:
        old_n, old_expr = None, None
    new_n, new_expr = rule
    changed = (old_n, old_expr) != (new_n, new_expr)
    catalog._num_plurals = new_n
    catalog._plural_expr = new_expr
    if not catalog.language_team or "LANGUAGE" in catalog.language_team:
        catalog.language_team = f"{code} <LL@li.org>"
    for message in catalog:
        if not message.id:
            continue
        if code == SOURCE_LANGUAGE and not (all(message.string) if message.pluralizable else message.string):
            # the source language's catalog says what the source says
            message.string = tuple(message.id) if message.pluralizable else message.id
            changed = True
        if not message.pluralizable:
            continue
        forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        new = _remap_forms(forms, old_expr, new_n, new_expr)
        if tuple(forms) != new:
            message.string = new
            changed = True
    if changed:
        with open(path, "wb") as fh:
            write_po(fh, catalog, width=76, include_previous=False)
    return changed


def fix_headers(directory: Path = TRANSLATIONS_DIR) -> int:
    for code, path in catalog_files(directory).items():
        if fix_catalog(path, code):
            print(f"fixed {path}")
    return 0


# -- check ---------------------------------------------------------------------------
_PRINTF = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
_BRACE = re.compile(r"(?<!\{)\{(\w*)(?:[:!][^{}]*)?\}(?!\})")


def placeholders(text: str) -> tuple:
    """The placeholders of a message: named printf, positional printf and {brace} ones."""
    named, positional = [], []
    for m in _PRINTF.finditer(text or ""):
        if m.group(0) == "%%":
            continue
        (named if m.group(1) else positional).append(m.group(1) or m.group(0)[-1])
    braces = [m.group(1) for m in _BRACE.finditer(text or "")]
    return (sorted(set(named)), positional, sorted(braces))


def catalog_problems(path: Path, code: str) -> list[str]:
    """What is wrong with one catalog: header, empty or fuzzy entries, placeholders."""
    problems = []
    with open(path, "rb") as fh:
        catalog = read_po(fh, abort_invalid=False)
    rule = pinned_rule(code)
    header = dict(catalog.mime_headers).get("Plural-Forms", "")
    try:
        got = parse_plural_header(header)
    except ValueError:
        got = None
    if rule is None:
        problems.append(f"{path}: no pinned plural rule for '{code}'")
    elif got != rule:
        problems.append(f"{path}: Plural-Forms is {header!r}, pinned is {plural_header(code)!r}")
    for message in catalog:
        if not message.id:
            continue
        where = f"{path}:{message.lineno}: {message.id if isinstance(message.id, str) else message.id[0]!r}"
        if message.fuzzy:
            problems.append(f"{where} is fuzzy")
        if message.pluralizable:
            forms = tuple(message.string)
            if rule and len(forms) != rule[0]:
                problems.append(f"{where} has {len(forms)} plural forms, needs {rule[0]}")
            if not all(forms):
                problems.append(f"{where} has an untranslated plural form")
            src = [placeholders(s) for s in message.id]
            allowed = set(src[0][0]) | set(src[1][0])
            # a form may leave out the number (Arabic "one" and "two" often do), nothing else
            required = allowed - {"num", "count"}
            for form in forms:
                if not form:
                    continue
                got = placeholders(form)
                if not required <= set(got[0]) <= allowed:
                    problems.append(f"{where}: placeholders {got[0]} do not fit the source's {sorted(allowed)}")
                if got[1] and got[1] not in (src[0][1], src[1][1]):
                    problems.append(f"{where}: positional placeholders {got[1]} differ from the source's")
                if got[2] not in (src[0][2], src[1][2]):
                    problems.append(f"{where}: brace placeholders {got[2]} differ from the source's")
        else:
            if not message.string:
                problems.append(f"{where} is untranslated")
                continue
            if placeholders(message.string) != placeholders(message.id):
                problems.append(
                    f"{where}: placeholders {placeholders(message.string)} "
                    f"differ from the source's {placeholders(message.id)}"
                )
    return problems


def check(directory: Path = TRANSLATIONS_DIR) -> int:
    problems = []
    for code, path in catalog_files(directory).items():
        problems += catalog_problems(path, code)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) in {len(catalog_files(directory))} catalog(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    commands = {"fix-headers": fix_headers, "check": check}
    if len(argv) != 1 or argv[0] not in commands:
        print("usage: python -m app.core.i18n_tools {fix-headers|check}", file=sys.stderr)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    sys.exit(main())
