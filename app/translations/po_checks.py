"""Does an uploaded .po file belong to the language it is uploaded to? Its header says."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import ngettext

from . import catalog as cat

_HEADER_RE = re.compile(r'^msgid ""[ \t]*\r?\nmsgstr ""[ \t]*\r?\n((?:[ \t]*".*"[ \t]*(?:\r?\n|$))*)', re.M)
_LANGUAGE_RE = re.compile(r'^\s*"Language:[ \t]*([^"\\]*)', re.M)
_NPLURALS_RE = re.compile(r'^\s*"Plural-Forms:[^"]*?nplurals\s*=\s*(\d+)', re.M)


def _language_parts(code: str) -> tuple[str, str | None, str | None] | None:
    """("cy", None, "GB") for cy_GB, cy-GB or cy_GB.UTF-8: language, script, region."""
    parts = [p for p in re.split(r"[_-]", code.strip().split(".")[0].split("@")[0]) if p]
    if not parts or not parts[0].isalpha():
        return None
    script = region = None
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            script = part.title()
        elif len(part) in (2, 3):
            region = part.upper()
    return parts[0].lower(), script, region


def same_language(code: str, lang) -> bool:
    """Does a file's Language header name this profile language? A region may be added or left out
    (cy_GB for cy), but another language, script or region is another language."""
    got = _language_parts(code)
    if got is None:
        return False
    for want in filter(None, (_language_parts(lang.catalog), _language_parts(lang.tag))):
        if got[:2] == want[:2] and (got[2] is None or want[2] is None or got[2] == want[2]):
            return True
    return False


def header_problems(lang, text: str, has_plurals: bool) -> list[str]:
    """A file for another language (or plural rule) would put its texts on the wrong pages.

    Tools disagree on some plural rules (Welsh has 2, 4, 5 or 6 forms depending on the tool), so a
    different rule only matters when the file carries plural translations."""
    m = _HEADER_RE.search(text)
    header = m.group(1) if m else ""
    m = _LANGUAGE_RE.search(header)
    found = m.group(1).strip() if m else ""
    if not found:
        return [
            _(
                "This file does not say which language it is in: its header has no “Language” line. "
                "Add “Language: %(code)s” to the header and upload it again.",
                code=lang.catalog,
            )
        ]
    if not same_language(found, lang):
        return [
            _(
                "This file is a translation into “%(found)s”, not into %(language)s (%(code)s).",
                found=found,
                language=lang.name,
                code=lang.catalog,
            )
        ]
    m = _NPLURALS_RE.search(header)
    needed = cat.plural_rule(lang)[0]
    if m and has_plurals and int(m.group(1)) != needed:
        return [
            ngettext(
                "This file's plural rule has %(num)s form, but %(language)s needs %(needed)s.",
                "This file's plural rule has %(num)s forms, but %(language)s needs %(needed)s.",
                int(m.group(1)),
                language=lang.name,
                needed=needed,
            )
        ]
    return []
