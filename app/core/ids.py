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
