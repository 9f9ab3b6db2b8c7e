"""A message that puts a number before a word ("8 characters") is a plural message (ngettext)."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

ROOT = Path(__file__).resolve().parents[2]
CFG = ROOT / "translations" / "babel.cfg"
KEYWORDS = dict(DEFAULT_KEYWORDS)
KEYWORDS.update({"_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2), "lazy_ngettext": (1, 2)})
# A count-like placeholder followed by a word: "%(num)s characters", "%(max)d photos".
COUNT = re.compile(r"%\((?:n|num|count|number|total|min|max|limit|got)\)[sd] +[a-z]")
# Placeholders that are numbers as names, not quantities ("photo 3 of the problem").
NOT_COUNTS = {
    "Photo %(num)s of the problem",
    "The address of message %(num)s has a wrong check code.",
}


def _singular_messages():
    with open(CFG, encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(CFG))
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        if isinstance(message, str) and message:
            yield f"{filename}:{lineno}", message


def test_no_count_in_a_singular_only_message():
    found = sorted(
        f"{where}: {msg!r}" for where, msg in _singular_messages() if COUNT.search(msg) and msg not in NOT_COUNTS
    )
    assert found == [], "use ngettext for:\n" + "\n".join(found)


def test_the_scan_sees_a_count():
    assert COUNT.search("At least %(num)s characters.")
    assert not COUNT.search("Page %(num)s")
