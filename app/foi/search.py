"""Finding requests: full-text search over titles, letters, replies and attachment text, with
filters (state, authority, requester, date range), behind one interface for SQLite and PostgreSQL.

The searchable text of each listed request lives in `foi_search_doc` (one row per request):
redacted exactly as the public sees it, then folded to lower case without accents. SQLite searches
it through an FTS5 table (external content, kept in step by triggers); PostgreSQL through a GIN
index on `to_tsvector('simple', body)`. Requests that are not "normal" (backpage, requester_only,
hidden) have no row, so they are never listed or searched.

The index is kept up to date in the same transaction as the change: a session hook notes every
request whose title, prominence, messages or attachments changed (and every request a changed
redaction rule touches) and rewrites their rows just before the commit. `flask foi reindex`
rebuilds everything.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import DDL, Integer, and_, event, func, inspect, literal_column, or_, select, text
from sqlalchemy.orm import Session

from ..extensions import db
from . import states
from .laws import local_today
from .models import FoiAttachment, FoiMessage, FoiRedaction, FoiRequest, FoiSearchDoc
from .redaction import forget_rules, redact
from .states import OPEN_STATES

MAX_DOC = 300_000  # characters per request (PostgreSQL's tsvector has a 1 MB limit)
PENDING = "foi_reindex"

_SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS foi_search_fts USING fts5(body, content='foi_search_doc', "
    "content_rowid='request_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS foi_search_doc_ai AFTER INSERT ON foi_search_doc BEGIN "
    "INSERT INTO foi_search_fts(rowid, body) VALUES (new.request_id, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS foi_search_doc_ad AFTER DELETE ON foi_search_doc BEGIN "
    "INSERT INTO foi_search_fts(foi_search_fts, rowid, body) VALUES ('delete', old.request_id, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS foi_search_doc_au AFTER UPDATE ON foi_search_doc BEGIN "
    "INSERT INTO foi_search_fts(foi_search_fts, rowid, body) VALUES ('delete', old.request_id, old.body); "
    "INSERT INTO foi_search_fts(rowid, body) VALUES (new.request_id, new.body); END",
)
for _stmt in _SQLITE_DDL:
    event.listen(FoiSearchDoc.__table__, "after_create", DDL(_stmt).execute_if(dialect="sqlite"))
event.listen(
    FoiSearchDoc.__table__, "before_drop", DDL("DROP TABLE IF EXISTS foi_search_fts").execute_if(dialect="sqlite")
)
_ready: set[str] = set()


def _ensure_sqlite(session) -> None:
    """Create the FTS5 table and triggers when a database lacks them (e.g. made by migrations)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    key = str(bind.url)
    if key in _ready:
        return
    conn = session.connection()
    found = conn.execute(
        text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'foi_search_doc_a_'")
    ).scalar()
    if found == 3:
        _ready.add(key)  # remembered only once committed: a rolled-back creation is simply redone
        return
    for stmt in _SQLITE_DDL:
        conn.execute(text(stmt))
    conn.execute(text("INSERT INTO foi_search_fts(foi_search_fts) VALUES ('rebuild')"))


# -- the text -----------------------------------------------------------------------------------
def fold(value: str) -> str:
    """Lower case, accents removed (so "Kilómetros" and "kilometros" match on both databases)."""
    value = unicodedata.normalize("NFKD", value or "")
    return "".join(c for c in value if not unicodedata.combining(c)).casefold()


def words(query: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(query))[:12]


def document(req: FoiRequest) -> str:
    """What search sees of a request: only what the public sees, redacted and masked."""
    if req.prominence != "normal":
        return ""
    parts = [redact(req.title, req)]
    for msg in req.messages:
        if msg.prominence != "normal":
            continue
        personal = msg.direction == "in"
        parts.append(redact(msg.subject, req, personal=personal))
        parts.append(redact(msg.body, req, personal=personal))
        for att in msg.attachments:
            parts.append(redact(att.filename, req, personal=True) if att.prominence == "normal" else "")
            if att.prominence == "normal" and att.text:
                parts.append(redact(att.text, req, personal=True))
    return fold("\n".join(p for p in parts if p))[:MAX_DOC]


def reindex(request_ids, session=None) -> int:
    """Rewrite the search rows of these requests (None: all). No commit. Returns how many."""
    session = session or db.session
    _ensure_sqlite(session)
    forget_rules()  # rules may have changed in this very transaction
    if request_ids is None:
        request_ids = list(session.scalars(select(FoiRequest.id)))
        stale = select(FoiSearchDoc).where(FoiSearchDoc.request_id.not_in(select(FoiRequest.id)))
        for doc in session.scalars(stale):
            session.delete(doc)
    count = 0
    for request_id in sorted(set(request_ids)):
        req = session.get(FoiRequest, request_id)
        doc = session.get(FoiSearchDoc, request_id)
        body = document(req) if req is not None else ""
        if not body:
            if doc is not None:
                session.delete(doc)
        elif doc is None:
            session.add(FoiSearchDoc(request_id=request_id, body=body))
        elif doc.body != body:
            doc.body = body
        count += 1
    session.flush()
    return count


# -- keeping it up to date in the same transaction ----------------------------------------------
def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[n].history.has_changes() for n in names)


def _note_changes(session, _flush_context) -> None:
    pending = session.info.setdefault(PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, FoiRequest):
            if obj in session.new or obj in session.deleted or _changed(obj, ("title", "prominence")):
                pending.add(("request", obj.id))
        elif isinstance(obj, FoiMessage):
            pending.add(("request", obj.request_id))
        elif isinstance(obj, FoiAttachment):
            message = obj.message
            if message is not None:
                pending.add(("request", message.request_id))
        elif isinstance(obj, FoiRedaction):
            pending.add((obj.scope, obj.scope_id))
    if not pending:
        session.info.pop(PENDING, None)


def _affected(session, pending) -> list[int] | None:
    ids = set()
    for scope, value in pending:
        if scope == "global":
            return None
        if value is None:
            continue
        if scope == "request":
            ids.add(value)
        elif scope == "user":
            ids.update(session.scalars(select(FoiRequest.id).where(FoiRequest.user_id == value)))
        elif scope == "authority":
            ids.update(session.scalars(select(FoiRequest.id).where(FoiRequest.authority_id == value)))
    return sorted(ids)


def _before_commit(session) -> None:
    for _round in range(4):
        session.flush()
        pending = session.info.pop(PENDING, None)
        if not pending:
            return
        reindex(_affected(session, pending), session)


def _on_rollback(session) -> None:
    session.info.pop(PENDING, None)


def install_hooks() -> None:
    if not event.contains(Session, "after_flush", _note_changes):
        event.listen(Session, "after_flush", _note_changes)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _on_rollback)


# -- searching -------------------------------------------------------------------------------------
def state_clause(state: str, today: dt.date):
    """SQL for a shown state (the calculated ones included, as services.display_state has them)."""
    settled = FoiRequest.awaiting_description.is_(False)
    open_ = and_(FoiRequest.state.in_(OPEN_STATES), settled)  # internal reviews become overdue too
    not_late = or_(FoiRequest.due_on.is_(None), FoiRequest.due_on >= today)
    if state == "waiting_classification":
        return FoiRequest.awaiting_description.is_(True)
    if state == "waiting_response_very_overdue":
        return and_(open_, FoiRequest.very_overdue_on < today)
    if state == "waiting_response_overdue":
        return and_(
            open_,
            FoiRequest.due_on < today,
            or_(FoiRequest.very_overdue_on.is_(None), FoiRequest.very_overdue_on >= today),
        )
    if state in OPEN_STATES:
        return and_(FoiRequest.state == state, settled, not_late)
    return and_(FoiRequest.state == state, settled)


def _match(query_words: list[str]):
    if db.session.get_bind().dialect.name == "sqlite":
        _ensure_sqlite(db.session)
        expr = " AND ".join(f'"{w}"*' for w in query_words)
        found = text("SELECT rowid FROM foi_search_fts WHERE foi_search_fts MATCH :m").bindparams(m=expr)
        return FoiRequest.id.in_(found.columns(rowid=Integer))
    vector = func.to_tsvector(literal_column("'simple'"), FoiSearchDoc.body)
    query = func.to_tsquery(literal_column("'simple'"), " & ".join(f"{w}:*" for w in query_words))
    return FoiRequest.id.in_(select(FoiSearchDoc.request_id).where(vector.op("@@")(query)))


def search_requests(
    q: str = "",
    state: str | None = None,
    authority_id: int | None = None,
    user_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 30,
    offset: int = 0,
    today: dt.date | None = None,
) -> tuple[list[FoiRequest], int]:
    """(requests, total): listed requests matching every word of `q` (prefixes too) and the filters,
    newest activity first."""
    where = [FoiRequest.prominence == "normal", FoiRequest.state.not_in(states.UNLISTED)]
    if authority_id is not None:
        where.append(FoiRequest.authority_id == authority_id)
    if user_id is not None:
        where.append(FoiRequest.user_id == user_id)
    if since:
        where.append(FoiRequest.created_at >= dt.datetime.combine(since, dt.time.min, dt.UTC))
    if until:
        where.append(FoiRequest.created_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, dt.UTC))
    if state in states.STORED or state in states.CALCULATED:
        where.append(state_clause(state, today or local_today()))
    query_words = words(q)
    if query_words:
        where.append(_match(query_words))
    total = db.session.scalar(select(func.count(FoiRequest.id)).where(*where)) or 0
    rows = db.session.scalars(
        select(FoiRequest)
        .where(*where)
        .order_by(FoiRequest.last_event_at.desc(), FoiRequest.id.desc())
        .offset(max(0, offset))
        .limit(max(0, limit))
    ).all()
    return list(rows), total


def message_count(request_id: int) -> int:
    return db.session.scalar(select(func.count(FoiMessage.id)).where(FoiMessage.request_id == request_id)) or 0
