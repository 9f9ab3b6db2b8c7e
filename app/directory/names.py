"""One spelling-blind key for a name: to match speakers and voters written without accents,
in another case, with other spacing or punctuation ("O'Brien", "OBRIEN", "Ó Brien")."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(value: str | None) -> str:
    """Case-folded, accents dropped (any script: only combining marks go), punctuation and
    runs of spaces made one space."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(value).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", bare)).strip()[:300]
