"""BCP 47 language tags as imported data spells them: 'zh_hant' -> 'zh-Hant', 'en-gb' -> 'en-GB'."""

from __future__ import annotations

import re

_VALID = re.compile(r"^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$")


def normalise(tag: str | None) -> str | None:
    """Canonical case for each subtag (language lower, script title, region upper); None if empty.

    Raises ValueError for text that is not shaped like a language tag.
    """
    if tag is None or not str(tag).strip():
        return None
    tag = str(tag).strip()
    if not _VALID.match(tag):
        raise ValueError(tag)
    parts = re.split(r"[-_]", tag)
    out = [parts[0].lower()]
    singleton = False
    for part in parts[1:]:
        if singleton or len(part) == 1:  # extensions and private use: lower case, as written
            singleton = True
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)
