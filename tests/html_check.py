"""A pure-Python HTML validity check for page tests: html5lib's strict parser (any parse error
fails), no bare hx-* attribute (invalid HTML: htmx reads data-hx-*), and machine-readable times
with at most three digits of a second."""

from __future__ import annotations

import re

import html5lib
from html5lib.html5parser import ParseError

# HTML's valid date, local/global date-time and time strings (a fraction has 1-3 digits).
_TIME = re.compile(
    r"\d{4}-\d\d(-\d\d)?"
    r"|(\d{4}-\d\d-\d\d[T ])?\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)?"
    r"|\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:?\d\d)?"
)


def assert_valid_html(text: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        tree = parser.parse(text)
    except ParseError as exc:
        (line, col), *_ = parser.errors[-1] if parser.errors else ((0, 0),)
        context = text.splitlines()[line - 1][max(col - 80, 0) : col + 40] if line else ""
        raise AssertionError(f"invalid HTML ({exc}) at {line}:{col}: {context}") from exc
    bare = sorted({name for el in tree.iter() for name in el.attrib if name.startswith("hx-")})
    assert not bare, f"bare htmx attributes (use data-hx-*): {bare}"
    for el in tree.iter("time"):
        value = el.get("datetime")
        assert value is None or _TIME.fullmatch(value), f"<time datetime={value!r}>"
