"""Language in the URL, negotiation, per-message fallback chains and safe formatting.

Traps handled here (see docs/i18n.md): Flask-Babel has no per-message fallback and caches
catalogs per process forever; a translator's placeholder typo must not crash a page; a catalog
language is not a formatting locale.
"""

from __future__ import annotations

import gettext as gettext_mod
import logging
import re
import struct
from contextlib import contextmanager
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask import current_app, g, has_app_context
from flask_babel import Domain, force_locale
from flask_babel import gettext as _
from jinja2 import pass_context
from markupsafe import Markup

from . import registry
from .formatting import format_number
from .negotiation import best_match, remember_language
from .profile import current_profile

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "translations"

# An overlay dict may carry its language's plural function under this key (a language added in
# the admin has no compiled catalog of its own whose Plural-Forms could drive overlay plurals).
OVERLAY_PLURAL_KEY = "\x00plural"
# The language the msgids are written in.
SOURCE_LANGUAGE = "en"


def current_language():
    """The Language of the current request or forced context (profile default otherwise)."""
    prof = current_profile()
    tag = g.get("lang") if has_app_context() else None
    return prof.language(tag or "") or prof.language(prof.default_language)


# -- catalogs with a fallback chain ------------------------------------------------
def fallback_codes(catalog: str, default_catalog: str) -> list[str]:
    """pt_BR -> [pt_BR, pt, <default>], without duplicates.

    English is the source language: its chain ends with it (the source text is right for any
    gap), never at the profile's default language (Arabic counts on English pages).
    """
    codes = [catalog]
    base = re.split(r"[_@]", catalog)[0]
    if base != catalog:
        codes.append(base)
    if base == SOURCE_LANGUAGE:
        return codes
    if default_catalog not in codes:
        codes.append(default_catalog)
        base = default_catalog.split("_")[0]
        if base not in codes:
            codes.append(base)
    return codes


class _Overlay(gettext_mod.NullTranslations):
    """Deployment-level translations (stored in the database) layered over the catalogs."""

    def __init__(self, messages: dict):
        super().__init__()
        self._messages = messages

    def gettext(self, message):
        text = self._messages.get(message)
        if text is not None:
            return text
        return self._fallback.gettext(message) if self._fallback else message

    def ngettext(self, msgid1, msgid2, n):
        forms = self._messages.get((msgid1, "plural"))
        if forms is not None:
            idx = self._plural_index(n)
            if 0 <= idx < len(forms) and forms[idx]:
                return forms[idx]
        if self._fallback:
            return self._fallback.ngettext(msgid1, msgid2, n)
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context, message):
        text = self._messages.get(f"{context}\x04{message}")
        if text is not None:
            return text
        return self._fallback.pgettext(context, message) if self._fallback else message

    def npgettext(self, context, msgid1, msgid2, n):
        forms = self._messages.get((f"{context}\x04{msgid1}", "plural"))
        if forms is not None:
            idx = self._plural_index(n)
            if 0 <= idx < len(forms) and forms[idx]:
                return forms[idx]
        if self._fallback:
            return self._fallback.npgettext(context, msgid1, msgid2, n)
        return msgid1 if n == 1 else msgid2

    def _plural_index(self, n):
        plural = getattr(self, "plural", None) or getattr(self._fallback, "plural", None)
        return plural(n) if plural else (0 if n == 1 else 1)


def _load_catalog(directory: Path, code: str):
    """The compiled catalog of exactly this code (no locale guessing), or None.

    Entries whose translation is empty (an untranslated plural compiled anyway, or a form left
    blank) are dropped, so that the next catalog in the chain, or the source text, answers.
    """
    path = Path(directory) / code / "LC_MESSAGES" / "messages.mo"
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            t = Translations(fh, domain="messages")
    except (OSError, ValueError, SyntaxError) as exc:  # a corrupt .mo must not stop the site
        log.error("cannot read catalog %s: %s", path, exc)
        return None
    catalog = t._catalog
    # `pybabel compile` writes the source into plural forms left blank (the singular into form
    # 0, the source's plural into the others). Drop such an entry whole, so the next catalog
    # answers with its own plural rule: one that is all filler, has an empty form, or whose
    # form 0 is translated while another form is still the English plural. Forms equal to the
    # source are otherwise fine: Welsh "%(num)s person" is right for every count, and French
    # "%(num)s organisations" is its own plural too.
    sources = _plural_sources(path)
    # In the source language's own catalog the source text IS the translation: keep it.
    is_source = re.split(r"[_@]", code)[0] == SOURCE_LANGUAGE
    forms: dict[str, dict[int, str]] = {}
    for key, value in catalog.items():
        if isinstance(key, tuple):
            forms.setdefault(key[0], {})[key[1]] = value
    blank = set()
    for msgid, by_index in forms.items():
        singular, plural = sources.get(msgid, (msgid, None))
        filler = [v == (singular if i == 0 else plural) for i, v in sorted(by_index.items())]
        if is_source:
            if not all(by_index.values()):
                blank.add(msgid)
        elif not all(by_index.values()) or all(filler) or (not filler[0] and any(filler[1:])):
            blank.add(msgid)
    for key in [k for k, v in catalog.items() if (k != "" and not v) or (isinstance(k, tuple) and k[0] in blank)]:
        del catalog[key]
    _check_plural_rule(t, code, path)
    return t


def _plural_sources(path: Path) -> dict:
    """{msgid: (msgid, msgid_plural)} read from a .mo file's table of original strings."""
    data = path.read_bytes()
    if len(data) < 20:
        return {}
    endian = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    count, originals = struct.unpack(endian + "2I", data[8:16])
    out = {}
    for i in range(count):
        length, offset = struct.unpack(endian + "2I", data[originals + 8 * i : originals + 8 * i + 8])
        raw = data[offset : offset + length]
        if b"\x00" in raw:
            one, many = raw.decode("utf-8", "replace").split("\x00", 1)
            out[one] = (one.split("\x04")[-1], many)
    return out


def _check_plural_rule(t, code: str, path: Path) -> None:
    """Warn when a compiled catalog carries another plural rule than the pinned one."""
    header = (getattr(t, "_info", {}) or {}).get("plural-forms", "")
    # Imported here: i18n_tools is also a script (`python -m app.core.i18n_tools`), and importing it
    # with the package would load it twice (runpy warns).
    from .i18n_tools import parse_plural_header, pinned_rule

    rule = pinned_rule(code)
    try:
        got = parse_plural_header(header) if header else None
    except ValueError:
        got = None
    if rule and got and got != rule:
        log.warning("%s: Plural-Forms %r is not the pinned rule; run `make i18n`", path, header)


def build_translations(
    catalog: str, default_catalog: str, overlay: dict | None = None, directory: Path | str | None = None
):
    """The catalog chain for one language: catalog -> base language -> default -> source text."""
    directory = Path(directory or TRANSLATIONS_DIR)
    chain = None
    for code in fallback_codes(catalog, default_catalog):
        t = _load_catalog(directory, code)
        if t is None:
            continue
        if chain is None:
            chain = t
        else:
            chain.add_fallback(t)
    if chain is None:
        chain = NullTranslations()
    if overlay:
        top = _Overlay(overlay)
        top.add_fallback(chain)
        # gettext's plural function of the language's own catalog drives overlay plurals
        top.plural = overlay.get(OVERLAY_PLURAL_KEY) or getattr(chain, "plural", None)
        return top
    return chain


def _safe_format(translated, source, variables):
    if not variables:
        return translated
    try:
        return translated % variables
    except (KeyError, ValueError, TypeError, IndexError):
        log.warning("translation %r does not fit its placeholders; using the source text", translated)
        try:
            return source % variables
        except (KeyError, ValueError, TypeError, IndexError):
            return source


class PlazaDomain(Domain):
    """A Domain whose catalogs follow the language chain and survive placeholder typos."""

    def __init__(self):
        super().__init__(translation_directories=[str(TRANSLATIONS_DIR)], domain="messages")
        self._chains: dict = {}

    def get_translations(self):
        if not has_app_context():
            return NullTranslations()
        lang = current_language()
        prof = current_profile()
        default = prof.language(prof.default_language).catalog
        directory = str(current_app.config.get("PLAZA_TRANSLATIONS_DIR") or TRANSLATIONS_DIR)
        version_hook, messages_hook = registry.translation_overlay()
        # The partners' edits live in the database; without it (an outage, the 503 page) the
        # shipped catalogs still translate.
        if g.get("plaza_database_down"):
            version_hook = messages_hook = None
        version = version_hook() if version_hook else None
        base = (directory, lang.catalog, default)
        key = base + (version,)
        chain = self._chains.get(key)
        if chain is None:
            overlay = messages_hook(lang.catalog) if messages_hook else None
            chain = build_translations(lang.catalog, default, overlay, directory)
            # keep one version per catalog: drop the stale ones
            self._chains = {k: v for k, v in self._chains.items() if k[:3] != base}
            self._chains[key] = chain
        return chain

    def clear(self):
        self._chains = {}

    def gettext(self, string, **variables):
        t = self.get_translations()
        return _safe_format(t.gettext(string), string, variables)

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        t = self.get_translations()
        source = singular if num == 1 else plural
        return _safe_format(t.ngettext(singular, plural, num), source, variables)

    def pgettext(self, context, string, **variables):
        t = self.get_translations()
        return _safe_format(t.pgettext(context, string), string, variables)

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        t = self.get_translations()
        source = singular if num == 1 else plural
        return _safe_format(t.npgettext(context, singular, plural, num), source, variables)


# -- Jinja callables: autoescape-aware and safe --------------------------------------
def _jinja_format(ctx, translated, source, variables):
    if ctx.eval_ctx.autoescape:
        translated, source = Markup(translated), Markup(source)
    return _safe_format(translated, source, variables)


def install_jinja(app, domain: PlazaDomain):
    """Jinja's _()/ngettext through `domain` (Python's flask_babel functions reach it through
    app.extensions.PlazaBabel). Also remembers the visitor's language in a cookie."""
    app.after_request(remember_language)

    @pass_context
    def _gettext(ctx, string, **variables):
        return _jinja_format(ctx, domain.get_translations().gettext(string), string, variables)

    @pass_context
    def _ngettext(ctx, singular, plural, num, **variables):
        variables.setdefault("num", format_number(num))
        src = singular if num == 1 else plural
        return _jinja_format(ctx, domain.get_translations().ngettext(singular, plural, num), src, variables)

    @pass_context
    def _pgettext(ctx, context, string, **variables):
        return _jinja_format(ctx, domain.get_translations().pgettext(context, string), string, variables)

    @pass_context
    def _npgettext(ctx, context, singular, plural, num, **variables):
        variables.setdefault("num", format_number(num))
        src = singular if num == 1 else plural
        t = domain.get_translations().npgettext(context, singular, plural, num)
        return _jinja_format(ctx, t, src, variables)

    app.jinja_env.globals.update(
        _=_gettext, gettext=_gettext, ngettext=_ngettext, pgettext=_pgettext, npgettext=_npgettext
    )


def canonical_tag(raw: str) -> str | None:
    """'pt_br' / 'pt-br' -> 'pt-BR' when the profile offers it."""
    lower = {t.lower(): t for t in current_profile().language_tags}
    return lower.get(raw.replace("_", "-").lower())


def closest_tag(raw: str) -> str | None:
    """A regional or scripted variant the profile does not serve ('ar-EG', 'en-US') -> the
    served language it belongs to ('ar', 'en'), never one of another script ('sr-Latn' is not
    'sr'); None for anything else (a path segment that is no language at all)."""
    if "-" not in raw.replace("_", "-") or not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){1,3}", raw):
        return None
    return best_match([raw], current_profile().language_tags)


@contextmanager
def force_language(tag: str | None):
    """Render (e.g. an email) in another language: catalogs, formatting and URLs follow."""
    prof = current_profile()
    lang = prof.language(tag or "") or prof.language(prof.default_language)
    old = g.get("lang")
    g.lang = lang.tag
    try:
        with force_locale(lang.format_locale):
            yield lang
    finally:
        g.lang = old


def locale_selector():
    return current_language().format_locale


def timezone_selector():
    return current_profile().timezone


def _lazy_messages(code: int):
    """Title and explanation for an error page, translated."""
    messages = {
        400: (_("Bad request"), _("The request could not be understood. Please check what you typed and try again.")),
        403: (_("Not allowed"), _("You do not have permission to see this page or do this.")),
        404: (_("Page not found"), _("We could not find that page. It may have moved or never existed.")),
        405: (_("Method not allowed"), _("This page cannot be used that way.")),
        410: (_("Gone"), _("This page has been removed.")),
        413: (_("Too large"), _("What you sent is too large. Please send smaller files.")),
        429: (_("Too many requests"), _("You have done this too often. Please wait a little and try again.")),
        500: (_("Something went wrong"), _("Sorry, something went wrong on our side. Please try again later.")),
        503: (
            _("Service unavailable"),
            _("The site cannot reach its database just now. Please try again in a few minutes."),
        ),
    }
    return messages.get(code, (_("Error"), _("Something went wrong.")))
