"""SQLite runs as an embedded server database: WAL, NORMAL sync, a busy timeout, foreign keys."""

import pytest
from sqlalchemy import text

from app.extensions import db


def test_every_sqlite_connection_has_the_pragmas(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas")
        with db.engine.connect() as conn:
            read = {
                name: conn.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
            }
    assert read == {"journal_mode": "wal", "synchronous": 1, "busy_timeout": 5000, "foreign_keys": 1}
