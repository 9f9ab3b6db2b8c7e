"""The extension objects, created once and bound in create_app()."""

import sqlite3

from flask import current_app
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Explicit constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _sqlite_functions(dbapi_connection, _record):
    """SQLite's lower() folds ASCII only ("ÉLODIE" would not find "Élodie"): plaza_lower() is
    Python's, for case-insensitive searches (PostgreSQL's lower() already knows Unicode)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("plaza_lower", 1, _unicode_lower, deterministic=True)
        _sqlite_pragmas(dbapi_connection)


# SQLite as an embedded server database (reasons in docs/performance.md): WAL lets readers run
# while one writer commits; NORMAL syncs at checkpoints, not on every commit (durable across an
# app crash, may lose the last commits on power loss); waits for a lock instead of failing at
# once; and enforces the foreign keys the models declare, as PostgreSQL does.
SQLITE_PRAGMAS = (
    ("journal_mode", "WAL"),
    ("synchronous", "NORMAL"),
    ("busy_timeout", "5000"),
    ("foreign_keys", "ON"),
)


def _sqlite_pragmas(dbapi_connection) -> None:
    saved = dbapi_connection.isolation_level
    dbapi_connection.isolation_level = None  # PRAGMA journal_mode cannot run inside a transaction
    try:
        for name, value in SQLITE_PRAGMAS:
            dbapi_connection.execute(f"PRAGMA {name}={value}")
    finally:
        dbapi_connection.isolation_level = saved


def unicode_lower(column):
    """lower() that folds every script, on SQLite as on PostgreSQL."""
    return func.plaza_lower(column) if db.engine.dialect.name == "sqlite" else func.lower(column)


migrate = Migrate()


class PlazaBabel(Babel):
    """Flask-Babel whose domain is the app's PlazaDomain (fallback chains, safe formatting)."""

    @property
    def domain_instance(self):
        return current_app.extensions["plaza_domain"]


babel = PlazaBabel(configure_jinja=False)
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
compress = Compress()
