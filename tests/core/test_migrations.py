"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import os
import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db

PG_URL = os.environ.get("DATABASE_URL", "")


def _fresh_database(tmp_path):
    if PG_URL.startswith("postgres"):
        schema = f"plaza_mig_{uuid.uuid4().hex[:10]}"
        base = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop():
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()

        sep = "&" if "?" in base else "?"
        return f"{base}{sep}options=-csearch_path%3D{schema}", drop
    return f"sqlite:///{tmp_path / 'migrated.db'}", lambda: None


def test_migrations_match_the_models(tmp_path):
    url, drop = _fresh_database(tmp_path)
    try:
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "t"})
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert {"accounts_user", "core_outbox", "core_inbox"} <= tables
            with db.engine.connect() as conn:
                ctx = MigrationContext.configure(conn, opts={"compare_type": False})
                diff = [d for d in compare_metadata(ctx, db.metadata) if _relevant(d)]
            assert diff == [], f"models and migrations differ; run `flask db migrate`: {diff[:5]}"
            downgrade(revision="base")
            assert "accounts_user" not in set(inspect(db.engine).get_table_names())
            db.engine.dispose()
    finally:
        drop()


def _relevant(d) -> bool:
    # Full-text search tables are created by raw SQL the FOI component owns; skip their reflection.
    item = d[0] if isinstance(d, list) else d
    name = str(item[1]) if isinstance(item, tuple) and len(item) > 1 else ""
    return "_fts" not in name and "alembic_version" not in name
