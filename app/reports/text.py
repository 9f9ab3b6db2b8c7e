"""Text rules for what people write into reports: sizes, slugs, characters XML cannot carry."""

from __future__ import annotations

import hashlib
import re
import unicodedata

TITLE_MAX = 200
DETAIL_MAX = 4000

# Characters XML 1.0 forbids (controls but tab/newline/return, lone surrogates, U+FFFE/FFFF):
# one of them in a report would make every feed and Open311 list unreadable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    return _XML_ILLEGAL.sub("", text) if isinstance(text, str) else text


def one_line_ending(text):
    """CR LF and lone CR become LF: an XML parser turns a raw CR into LF, so text kept with CRs
    would come back different in JSON and XML."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")
    return out[:70] or "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
