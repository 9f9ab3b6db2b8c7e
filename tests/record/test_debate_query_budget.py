"""Debate, speaker and search pages run a fixed number of SQL statements, however many speeches they show."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from app.extensions import db
from app.record.debates.models import Debate

from .debate_helpers import HARBOUR, MARKET, import_debates, make_person


@contextmanager
def counted():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _count(client, url):
    with counted() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_pages_do_not_query_per_speech(app, client):
    quill = make_person("Alys Quill", source_id="popolo-quill")
    make_person("Layla Farah", other_names=["Dr Layla Farah"])
    import_debates(app, HARBOUR, MARKET)
    small, large = (
        db.session.scalar(select(Debate.id).where(Debate.source_key.like(f"%{d}%"))) for d in ("03-05", "03-04")
    )
    client.get(f"/en/record/debates/{small}")  # warm caches (profile, catalogs)
    # Persons' names (with their other names) and printed names: one query each, not one per speech.
    assert _count(client, f"/en/record/debates/{small}") <= 7 and _count(client, f"/en/record/debates/{large}") <= 7
    assert "8 speeches match." in client.get("/en/record/search?q=the").get_data(as_text=True)
    assert _count(client, "/en/record/search?q=lighthouse") <= 7 and _count(client, "/en/record/search?q=the") <= 7
    assert _count(client, f"/en/record/speakers/{quill}") <= 8
