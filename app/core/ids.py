"""Database ids from user input (URLs, query strings, form fields)."""

from __future__ import annotations

# Ids are INTEGER columns: 32-bit on PostgreSQL. A larger number is an unknown id, not a database error.
MAX_ID = 2**31 - 1


def parse_id(value) -> int | None:
    """A positive id that fits the database's integer columns, else None (an unknown id)."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if 0 < n <= MAX_ID else None


# A page number beyond this is simply an empty page (huge offsets overflow SQLite's integers).
MAX_PAGE = 10_000


def parse_page(value) -> int:
    """A ?page= number from 1 to MAX_PAGE; 1 when missing or not a number."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return min(MAX_PAGE, max(1, n))
