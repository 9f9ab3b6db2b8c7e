"""Page numbers and page sizes for every list: one parser that clamps, one size setting.

page = current_page()                 # ?page=, clamped; size from PLAZA_PER_PAGE
items, total = search(limit=page.limit, offset=page.offset)
render_template(..., page=page.number, has_next=page.has_next(total))
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request

# A page number beyond this is simply an empty page (huge offsets overflow SQLite's integers).
MAX_PAGE = 10_000
DEFAULT_PER_PAGE = 50


def page_number(value) -> int:
    """A ?page= value as a number from 1 to MAX_PAGE; 1 when missing or not a number."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(MAX_PAGE, max(1, n))


def per_page() -> int:
    """How many rows a list shows per page (PLAZA_PER_PAGE): admin tables and APIs."""
    return int(current_app.config.get("PLAZA_PER_PAGE") or DEFAULT_PER_PAGE)


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def limit(self) -> int:
        return self.size

    def has_next(self, total: int) -> bool:
        return self.number * self.size < total

    def count(self, total: int) -> int:
        """How many pages `total` rows fill (at least one, so "page 1 of 1" when empty)."""
        return max(1, -(-total // self.size))


def current_page(size: int | None = None, arg: str = "page") -> Page:
    """The request's page: `size` is for citizen lists that choose their own length; others
    leave it to PLAZA_PER_PAGE."""
    return Page(page_number(request.args.get(arg, "1")), size or per_page())
