"""Reading the shipped template and catalogs, plural rules, and the checks a translation must pass.

Nothing here touches the database: services.py layers the database rows over what this reads.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext

from ..core import i18n, i18n_tools


def entry_key(msgctxt: str | None, msgid: str) -> str:
    return hashlib.sha1(f"{msgctxt or ''}\x04{msgid}".encode()).hexdigest()


@dataclass(frozen=True)
class TemplateEntry:
    key: str
    msgctxt: str
    msgid: str
    msgid_plural: str | None
    comments: tuple[str, ...]
    locations: tuple[tuple[str, int | None], ...]
    order: int
    python_format: bool = False  # extraction saw %-placeholders (or %%): the text is %-formatted


@dataclass(frozen=True)
class Shipped:
    forms: tuple[str, ...]
    fuzzy: bool


def translations_dir() -> Path:
    return Path(current_app.config.get("PLAZA_TRANSLATIONS_DIR") or i18n.TRANSLATIONS_DIR)


def po_path(catalog: str) -> Path:
    return translations_dir() / catalog / "LC_MESSAGES" / "messages.po"


def shipped_catalogs() -> set[str]:
    return {p.parent.parent.name for p in translations_dir().glob("*/LC_MESSAGES/messages.po")}


_cache: dict = {}


def _read(path: Path):
    """A parsed .po/.pot, re-read only when the file changes (make i18n, a deploy)."""
    try:
        st = path.stat()
    except OSError:
        return None
    stamp = (str(path), st.st_mtime_ns, st.st_size)
    hit = _cache.get(str(path))
    if hit and hit[0] == stamp:
        return hit[1]
    with open(path, "rb") as fh:
        cat = read_po(fh, abort_invalid=False)
    _cache[str(path)] = (stamp, cat)
    return cat


def _split(message) -> tuple[str, str | None]:
    if isinstance(message.id, (list, tuple)):
        return message.id[0], message.id[1]
    return message.id, None


def template_entries() -> list[TemplateEntry]:
    """The current template (messages.pot): every string the code asks to translate."""
    cat = _read(translations_dir() / "messages.pot")
    if cat is None:
        return []
    out = []
    for i, m in enumerate(cat):
        if not m.id:
            continue
        msgid, plural = _split(m)
        ctx = m.context or ""
        out.append(
            TemplateEntry(
                entry_key(ctx, msgid),
                ctx,
                msgid,
                plural,
                tuple(m.auto_comments) + tuple(m.user_comments),
                tuple(m.locations),
                i,
                "python-format" in m.flags,
            )
        )
    return out


def shipped_translations(catalog: str) -> dict[str, Shipped]:
    cat = _read(po_path(catalog))
    if cat is None:
        return {}
    out = {}
    for m in cat:
        if not m.id:
            continue
        msgid, _plural = _split(m)
        forms = tuple(m.string) if isinstance(m.string, (list, tuple)) else (m.string or "",)
        out[entry_key(m.context, msgid)] = Shipped(forms, bool(m.fuzzy))
    return out


# -- plural rules ----------------------------------------------------------------------
def plural_rule(lang) -> tuple[int, str]:
    """(nplurals, C expression): the profile's own rule, Plaza's pinned table, then CLDR."""
    if lang.plural:
        try:
            return i18n_tools.parse_plural_header(lang.plural)
        except ValueError:
            pass
    pinned = i18n_tools.pinned_rule(lang.catalog)
    if pinned:
        return pinned
    try:
        p = get_plural(lang.format_locale)
        return p.num_plurals, p.plural_expr
    except (ValueError, LookupError):
        return 2, "(n != 1)"


def plural_function(lang):
    return i18n_tools.plural_function(plural_rule(lang)[1])


def plural_examples(lang, per_form: int = 3) -> list[list[int]]:
    """For each plural form, the first few numbers that use it (labels for the form fields)."""
    n, expr = plural_rule(lang)
    f = i18n_tools.plural_function(expr)
    examples: list[list[int]] = [[] for _ in range(n)]
    for k in list(range(0, 201)) + list(i18n_tools.SAMPLE_NUMBERS):
        idx = f(k)
        if 0 <= idx < n and len(examples[idx]) < per_form and k not in examples[idx]:
            examples[idx].append(k)
    return examples


# -- checks ----------------------------------------------------------------------------
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "bdi",
    "br",
    "code",
    "em",
    "i",
    "kbd",
    "mark",
    "q",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
}
VOID_TAGS = {"br"}
ALLOWED_ATTRS = {"href", "title", "lang", "dir", "class", "datetime"}
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")  # [^<>]: linear on "<a<a<a…" (no tag holds a "<")


class _MarkupChecker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(_("The tag <%(tag)s> is not allowed in translations.", tag=tag))
            return
        for name, value in attrs:
            if name not in ALLOWED_ATTRS:
                self.problems.append(_("The attribute %(name)s is not allowed in translations.", name=name))
            elif name == "href" and re.match(r"\s*(javascript|data|vbscript):", value or "", re.I):
                self.problems.append(_("This link address is not allowed."))
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID_TAGS:
            self.problems.append(_("The tag <%(tag)s> is not allowed in translations.", tag=tag))

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(_("The closing tag </%(tag)s> does not match an opening tag.", tag=tag))
            if tag in self.stack:
                self.stack.remove(tag)
            return
        self.stack.pop()


_ANGLE_FRAGMENT_RE = re.compile(r"<[^<>]*>")


def _without_literal_brackets(source: str, text: str) -> tuple[str, str]:
    """Source and translation less the source's own angle brackets that are not HTML tags.

    "Reported by: %(name)s <%(email)s>" or "The tag <%(tag)s> is not allowed" carry literal
    brackets, not markup: the translation may keep the same fragments (as often as the source
    has them). A bare < or > the source has is allowed too, as long as it cannot open a tag."""
    for fragment in _ANGLE_FRAGMENT_RE.findall(source):
        if _TAG_RE.fullmatch(fragment):
            continue
        source = source.replace(fragment, " ", 1)
        text = text.replace(fragment, " ", 1)
    bare_source = _TAG_RE.sub(" ", source)
    if "<" in bare_source:  # "a < b": a < that no letter, / ! or ? follows cannot open a tag
        text = re.sub(r"<(?![A-Za-z/!?])", " ", text)
    if ">" in bare_source:  # "Next >": a > outside every tag
        parts = re.split(r"(</?[A-Za-z][^<>]*>)", text)
        text = "".join(p if k % 2 else p.replace(">", " ") for k, p in enumerate(parts))
    return source, text


def markup_problems(source: str, text: str) -> list[str]:
    """Translations reach pages unescaped (they may carry markup), so a stray < or " could break
    the page or slip script into an attribute: only balanced, allowed inline tags pass."""
    if '"' in text and '"' not in source and not _TAG_RE.search(source):
        return [_('Use typographic quotation marks (“ ” or « ») instead of ", which can break the page.')]
    source, text = _without_literal_brackets(source, text)
    if not _TAG_RE.search(text) and "<" not in text and ">" not in text:
        return []
    if not _TAG_RE.search(source):
        return [_("The source text has no HTML markup, so the translation must not have any either.")]
    checker = _MarkupChecker()
    checker.feed(text)
    checker.close()
    problems = list(checker.problems)
    if re.search(r"<[/A-Za-z][^>]*(<|$)", text):
        problems.append(_("The HTML markup is broken: a tag is not finished."))
    for tag in checker.stack:
        problems.append(_("The HTML markup is broken: <%(tag)s> is never closed.", tag=tag))
    return problems


def _describe(ph: tuple) -> list[str]:
    named, positional, braces = ph
    return [f"%({n})s" for n in named] + [f"%{p}" for p in positional] + [f"{{{b}}}" for b in braces]


def placeholder_problems(
    msgid: str, msgid_plural: str | None, forms: list[str], python_format: bool = False
) -> list[str]:
    problems = []
    if msgid_plural is None:
        src = i18n_tools.placeholders(msgid)
        got = i18n_tools.placeholders(forms[0])
        if not python_format and not src[0] and not src[1]:
            # Never %-formatted (no variables), so "50 % de" is plain text; a %(name)s still is a mistake.
            got = (got[0], [], got[2])
        if got != src:
            expected = ", ".join(_describe(src)) or _("none")
            problems.append(
                _(
                    "The translation must use the same placeholders as the source (%(expected)s); it has: %(found)s.",
                    expected=expected,
                    found=", ".join(_describe(got)) or _("none"),
                )
            )
        return problems
    one, other = i18n_tools.placeholders(msgid), i18n_tools.placeholders(msgid_plural)
    allowed = set(one[0]) | set(other[0])
    required = allowed - {"num", "count"}
    for i, form in enumerate(forms):
        got = i18n_tools.placeholders(form)
        named = set(got[0])
        if not (required <= named <= allowed) or got[1] not in (one[1], other[1]) or got[2] not in (one[2], other[2]):
            expected = ", ".join(_describe(other)) or _("none")
            problems.append(
                _(
                    "Plural form %(form)s must use the placeholders of the source (%(expected)s); it has: %(found)s.",
                    form=i + 1,
                    expected=expected,
                    found=", ".join(_describe(got)) or _("none"),
                )
            )
    return problems


def check_translation(entry: TemplateEntry, forms: list[str], nplurals: int) -> list[str]:
    """Every reason not to save these forms for this entry; empty when they may be saved."""
    forms = [f.strip("\r") for f in forms]
    if entry.msgid_plural is None:
        forms = forms[:1]
        if not forms or not forms[0].strip():
            return [_("Type a translation before saving.")]
    else:
        if len(forms) != nplurals:
            return [
                ngettext(
                    "This language needs %(num)s plural form; %(got)s were sent.",
                    "This language needs %(num)s plural forms; %(got)s were sent.",
                    nplurals,
                    got=len(forms),
                )
            ]
        if not all(f.strip() for f in forms):
            return [_("Fill in every plural form before saving.")]
    problems = placeholder_problems(entry.msgid, entry.msgid_plural, forms, entry.python_format)
    source = entry.msgid if entry.msgid_plural is None else entry.msgid + entry.msgid_plural
    for form in forms:
        for p in markup_problems(source, form):
            if p not in problems:
                problems.append(p)
    return problems
