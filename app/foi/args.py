"""Numbers read from a query string: page numbers and ids, clamped so that nonsense or a huge value
is an empty page or "no such thing", never a 500."""

from __future__ import annotations

from flask import request

PER_PAGE = 30
MAX_PAGE = 10_000
MAX_ID = 2**31 - 1  # larger numbers overflow the database's integers


def page() -> int:
    """The ?page= number, clamped so that a huge value is simply an empty page, never a 500."""
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page", "1"))))
    except ValueError:
        return 1


def int_arg(name: str) -> int | None:
    """An id from the query string, or None when it is missing, not a number or out of range."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None
