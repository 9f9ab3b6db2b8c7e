"""The one stylesheet: logical properties only (so Arabic mirrors), and small."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "app" / "static" / "css" / "plaza.css"

PHYSICAL = re.compile(
    r"(?<![-\w])("
    r"(margin|padding|border)-(left|right)(-[a-z]+)?\s*:"  # margin-left, border-right-width ...
    r"|(left|right)\s*:"  # left: 0
    r"|float\s*:\s*(left|right)"
    r"|clear\s*:\s*(left|right)"
    r"|text-align\s*:\s*(left|right)"
    r"|border-(top|bottom)-(left|right)-radius\s*:"
    r")",
    re.I,
)


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_no_physical_properties():
    css = _without_comments(CSS.read_text(encoding="utf-8"))
    found = [m.group(0) for m in PHYSICAL.finditer(css)]
    assert not found, f"use logical properties (margin-inline-start, inset-inline-end ...): {found}"


def test_the_pattern_catches_physical_properties():
    bad = (
        ".a{margin-left:1px}.b{ padding-right : 0 }.c{left:0}.d{float: right}.e{text-align:left}"
        ".f{border-right:1px solid}.g{border-left-color:red}.h{right: 2px}.i{clear:left}"
    )
    assert len(PHYSICAL.findall(bad)) == 9
    good = (
        ".a{margin-inline-start:1px;padding-inline-end:0;inset-inline-start:0;float:inline-end;"
        "text-align:start;border-inline-end:1px solid;inset-inline-end:0}"
    )
    assert not PHYSICAL.findall(good)


def test_stylesheet_is_under_6_kb():
    size = len(CSS.read_bytes())
    assert size < 6 * 1024, f"plaza.css is {size} bytes; the budget is 6 KB"
