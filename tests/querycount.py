"""Counting the SQL statements one client request runs (the query budgets' ruler)."""

from __future__ import annotations

import contextlib

from sqlalchemy import event

from app.extensions import db


@contextlib.contextmanager
def counting(app):
    """Yields a list that collects each statement run on the app's engine inside the block."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _params, _context, _executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements_for(client, method: str, url: str, **kwargs) -> tuple[object, list[str]]:
    """(response, statements) of one request through the test client."""
    with counting(client.application) as statements:
        resp = client.open(url, method=method, **kwargs)
    return resp, list(statements)
