"""Full-text search of speeches, one interface for SQLite and PostgreSQL.

Each speech keeps `search_text`: its text folded to lower case without accents. SQLite searches
it through an FTS5 table over that column (external content, kept in step by triggers);
PostgreSQL through a GIN index on to_tsvector('simple', search_text). Both come with the table
(create_all, via the hooks below) and with the migration. Every query starts from the index and
scores at most the newest RANKED matches and counts at most MAX_COUNT + 1, so a common word does
not make it score every speech. Those are ranked best first (bm25 on SQLite, ts_rank on
PostgreSQL); further matches follow, newest first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import DDL, Integer, event, func, literal_column, select, text

from ...extensions import db
from .importer import fold
from .models import Speech

MAX_WORDS = 8
MAX_COUNT = 1000  # "more than 1,000 results": counting stops there
RANKED = 200  # the newest matches that are scored and ranked (bounded work for very common words)

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS record_speech_fts USING fts5(search_text, content='record_speech', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS record_speech_ai AFTER INSERT ON record_speech BEGIN "
    "INSERT INTO record_speech_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS record_speech_ad AFTER DELETE ON record_speech BEGIN "
    "INSERT INTO record_speech_fts(record_speech_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS record_speech_au AFTER UPDATE OF search_text ON record_speech BEGIN "
    "INSERT INTO record_speech_fts(record_speech_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO record_speech_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS record_speech_ai",
    "DROP TRIGGER IF EXISTS record_speech_ad",
    "DROP TRIGGER IF EXISTS record_speech_au",
    "DROP TABLE IF EXISTS record_speech_fts",
)
# What create_all cannot make: SQLite's FTS5 table and its triggers (PostgreSQL's GIN index is an
# Index of the model, made by create_all itself).
for _stmt in SQLITE_DDL:
    event.listen(Speech.__table__, "after_create", DDL(_stmt).execute_if(dialect="sqlite"))
for _stmt in SQLITE_DROP:
    event.listen(Speech.__table__, "before_drop", DDL(_stmt).execute_if(dialect="sqlite"))


@dataclass(frozen=True)
class Hit:
    speech_id: int
    rank: float


def words(query: str | None) -> list[str]:
    """The words of a query, folded; at most MAX_WORDS (each must occur, as a word or its start)."""
    return re.findall(r"[^\W_]+", fold(query or ""))[:MAX_WORDS]


def _filters(person_id, since, until):
    where = []
    if person_id is not None:
        where.append(Speech.person_id == person_id)
    if since is not None:
        where.append(Speech.date >= since)
    if until is not None:
        where.append(Speech.date <= until)
    return where


def _sqlite_match(query_words):
    return " AND ".join(f'"{w}"*' for w in query_words)


def search(
    q: str,
    person_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 20,
    offset: int = 0,
    created_after: dt.datetime | None = None,
) -> tuple[list[Hit], int]:
    """(hits best first, number of matches up to MAX_COUNT + 1). No words: nothing."""
    query_words = words(q)
    if not query_words:
        return [], 0
    where = _filters(person_id, since, until)
    if created_after is not None:
        where.append(Speech.created_at > created_after)
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    if sqlite:
        match = _sqlite_match(query_words)
        found = (
            text("SELECT rowid FROM record_speech_fts WHERE record_speech_fts MATCH :m")
            .bindparams(m=match)
            .columns(rowid=Integer)
        )
        matches = Speech.id.in_(found)
    else:
        vector = func.to_tsvector(literal_column("'simple'"), Speech.search_text)
        tsq = func.to_tsquery(literal_column("'simple'"), " & ".join(f"{w}:*" for w in query_words))
        matches = vector.op("@@")(tsq)
    # Two steps, so a word found in every speech costs a bounded amount: the newest matches by id
    # (no scoring; they are also the count, up to MAX_COUNT + 1), then the score of the newest
    # RANKED of them only. Those come best first; any further matches follow, newest first.
    ids = list(
        db.session.scalars(select(Speech.id).where(matches, *where).order_by(Speech.id.desc()).limit(MAX_COUNT + 1))
    )
    total = len(ids)
    head = ids[:RANKED]
    if not head or offset >= total:
        return [], total
    if sqlite:  # bm25 (lower is better), read for the head's rowid range only
        ranked = text(
            "SELECT rowid, rank FROM record_speech_fts WHERE record_speech_fts MATCH :m "
            "AND rowid >= :lo AND rowid <= :hi"
        )
        wanted = set(head)
        scores = {
            r[0]: -float(r[1] or 0)
            for r in db.session.execute(ranked, {"m": match, "lo": min(head), "hi": max(head)})
            if r[0] in wanted
        }
    else:
        score = func.ts_rank(vector, tsq)
        scores = {
            r[0]: float(r[1] or 0) for r in db.session.execute(select(Speech.id, score).where(Speech.id.in_(head)))
        }
    order = sorted(head, key=lambda i: (-scores.get(i, 0.0), -i)) + ids[RANKED:]
    page = order[max(0, offset) : max(0, offset) + max(0, limit)]
    return [Hit(speech_id=i, rank=scores.get(i, 0.0)) for i in page], total


def snippet(body: str, q: str, width: int = 240) -> Markup:
    """A piece of `body` around the first match with every matched word in <mark>. The text is
    escaped piece by piece; the only markup is the <mark> built here."""
    query_words = words(q)
    plain = " ".join((body or "").split())
    folded = _fold_aligned(plain)
    spans = []
    for w in query_words:
        for m in re.finditer(r"(?<![^\W_])" + re.escape(w) + r"[^\W_]*", folded):
            spans.append((m.start(), m.end()))
    spans.sort()
    start = max(0, spans[0][0] - width // 3) if spans else 0
    end = min(len(plain), start + width)
    if start > 0:  # start at a word boundary
        space = plain.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    out, pos = [], start
    if start > 0:
        out.append(Markup("… "))
    for s, e in spans:
        if e <= pos or s >= end:
            continue
        s, e = max(s, pos), min(e, end)
        out.append(escape(plain[pos:s]))
        out.append(Markup("<mark>") + escape(plain[s:e]) + Markup("</mark>"))
        pos = e
    out.append(escape(plain[pos:end]))
    if end < len(plain):
        out.append(Markup(" …"))
    return Markup("").join(out)


def _fold_aligned(value: str) -> str:
    """fold() one character at a time, so that positions in the result are positions in `value`
    (a character whose folding is longer or empty is kept as itself, lower-cased if one char)."""
    out = []
    for ch in value:
        f = fold(ch)
        out.append(f if len(f) == 1 else (ch.lower() if len(ch.lower()) == 1 else ch))
    return "".join(out)


def ensure_sqlite_index(session=None) -> None:
    """Create the FTS5 table and triggers where a database lacks them, and fill it. Safe to repeat."""
    session = session or db.session
    if session.get_bind().dialect.name != "sqlite":
        return
    conn = session.connection()
    found = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'record_speech_fts'")).scalar()
    if found:
        return
    for stmt in SQLITE_DDL:
        conn.execute(text(stmt))
    conn.execute(text("INSERT INTO record_speech_fts(record_speech_fts) VALUES ('rebuild')"))
