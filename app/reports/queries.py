"""Reads: categories and contacts at a place, public report lists, bans, one row by its token.
Nothing here changes state."""

from __future__ import annotations

from sqlalchemy import cast, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import selectinload

from ..accounts import services as accounts
from ..core.ids import parse_id
from ..core.profile import current_profile
from ..directory import services as directory
from ..extensions import db
from . import states as S
from .geometry import box_around, distance_m
from .models import (
    Alert,
    ApiKey,
    Category,
    Contact,
    ModerationLog,
    Photo,
    Questionnaire,
    Report,
    Send,
    Supporter,
    Update,
)
from .settings import current_language_tag
from .signing import hash_key


def valid_id(value) -> int | None:
    """A database id from a URL or form value (ids are 32-bit on PostgreSQL), else None."""
    return parse_id(value)


# -- categories and contacts -----------------------------------------------------------
def find_category(name_or_code: str) -> Category | None:
    text = (name_or_code or "").strip()
    if not text:
        return None
    cat = db.session.scalar(select(Category).where(Category.code == text))
    if cat:
        return cat
    return db.session.scalar(select(Category).where(func.lower(Category.name) == text.lower()))


def categories_by_label(tag: str) -> list[Category]:
    """Every category, sorted by its name in that language (the lists' category filter)."""
    return sorted(db.session.scalars(select(Category)), key=lambda c: c.label(tag).casefold())


def covering_bodies(lat, lon):
    return directory.bodies_covering_point(lat, lon)


def contacts_for(body_ids, category_id=None) -> list[Contact]:
    if not body_ids:
        return []
    stmt = select(Contact).where(Contact.body_id.in_(list(body_ids)), Contact.active.is_(True))
    if category_id is not None:
        stmt = stmt.where(Contact.category_id == category_id)
    return list(db.session.scalars(stmt.order_by(Contact.id)))


def categories_at(lat, lon) -> list[Category]:
    """Categories that some body covering the point receives, sorted by translated name."""
    bodies = covering_bodies(lat, lon)
    seen, out = set(), []
    for c in contacts_for([b.id for b in bodies]):
        if c.category_id not in seen:
            seen.add(c.category_id)
            out.append(c.category)
    tag = current_language_tag()
    return sorted(out, key=lambda c: c.label(tag).casefold())


def categories_of_body(body_id) -> list[Category]:
    return [c.category for c in contacts_for([body_id])]


# -- reports -------------------------------------------------------------------------
def public_reports():
    return select(Report).where(Report.state.in_(S.PUBLIC_STATES))


def get_report(report_id) -> Report | None:
    """Any report by an id from a URL or form (ids too big for the database are simply unknown)."""
    rid = valid_id(report_id)
    return db.session.get(Report, rid) if rid else None


def get_public(report_id) -> Report | None:
    r = db.session.get(Report, report_id)
    return r if r is not None and r.is_public else None


def report_by_token(token: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.token == token))


def update_by_token(token: str) -> Update | None:
    return db.session.scalar(select(Update).where(Update.token == token))


def alert_by_token(token: str) -> Alert | None:
    return db.session.scalar(select(Alert).where(Alert.token == token))


def questionnaire_by_token(token: str) -> Questionnaire | None:
    return db.session.scalar(select(Questionnaire).where(Questionnaire.token == token))


def reports_in_box(b, limit: int = 100) -> list[Report]:
    """The newest public reports in a map's view, at any zoom (an indexed, bounded query)."""
    a, s, c, n = b
    return db.session.scalars(
        public_reports()
        .where(Report.lat.between(s, n), Report.lon.between(a, c))
        .order_by(Report.created_at.desc())
        .limit(limit)
    ).all()


def public_photo(key: str) -> Photo | None:
    """A photo anyone may see: not hidden, on a public report, and on a public update if any."""
    row = db.session.scalar(select(Photo).where(Photo.key == key))
    if row is None or row.hidden_at is not None:
        return None
    report = db.session.get(Report, row.report_id)
    if report is None or not report.is_public:
        return None
    if row.update_id is not None:  # an update's photo shows only once the update is public
        upd = db.session.get(Update, row.update_id)
        if upd is None or not upd.is_public:
            return None
    return row


def has_supported(report: Report, email: str) -> bool:
    return (
        db.session.scalar(select(Supporter.id).where(Supporter.report_id == report.id, Supporter.email == email))
        is not None
    )


def duplicates_near(lat, lon, category_id, distance=None, limit=5) -> list[tuple[Report, float]]:
    distance = distance or current_profile().report_duplicate_distance_m
    a, b, c, d = box_around(lat, lon, distance)
    rows = db.session.scalars(
        select(Report)
        .where(
            Report.state.in_(S.OPEN_STATES),
            Report.category_id == category_id,
            Report.lat.between(a, b),
            Report.lon.between(c, d),
        )
        .limit(200)
    )
    found = [(r, distance_m(lat, lon, r.lat, r.lon)) for r in rows]
    found = [x for x in found if x[1] <= distance]
    return sorted(found, key=lambda x: x[1])[:limit]


def near(lat, lon, radius_m=20_000, states=None, category_id=None, offset=0, limit=20):
    """Public reports around a point, nearest first: (list of (report, metres), has_more)."""
    a, b, c, d = box_around(lat, lon, radius_m)
    stmt = public_reports().where(Report.lat.between(a, b), Report.lon.between(c, d))
    if states:
        stmt = stmt.where(Report.state.in_(states))
    if category_id:
        stmt = stmt.where(Report.category_id == category_id)
    rows = [(r, distance_m(lat, lon, r.lat, r.lon)) for r in db.session.scalars(stmt.limit(5000))]
    rows = sorted((x for x in rows if x[1] <= radius_m), key=lambda x: (x[1], -x[0].id))
    return rows[offset : offset + limit], len(rows) > offset + limit


def json_list_has(column, values):
    """SQL: the JSON list in `column` holds one of `values` (ints). JSON is stored as text on
    SQLite and as json on PostgreSQL, so each dialect gets its own expression."""
    values = [int(v) for v in values]
    if db.engine.dialect.name == "postgresql":
        return or_(*(cast(column, JSONB).contains([v]) for v in values))
    each = func.json_each(column).table_valued("value")
    return select(each.c.value).where(each.c.value.in_(values)).exists()


def recent(states=None, category_id=None, body_id=None, area_id=None, offset=0, limit=20):
    """Public reports, newest first: (reports, has_more). Every filter and the offset are SQL."""
    stmt = public_reports()
    if states:
        stmt = stmt.where(Report.state.in_(states))
    if category_id:
        stmt = stmt.where(Report.category_id == category_id)
    if body_id:
        stmt = stmt.where(json_list_has(Report.body_ids, [body_id]))
    if area_id:
        stmt = stmt.where(json_list_has(Report.area_ids, [area_id]))
    rows = list(
        db.session.scalars(stmt.order_by(Report.created_at.desc(), Report.id.desc()).offset(offset).limit(limit + 1))
    )
    return rows[:limit], len(rows) > limit


MAX_OFFSET = 100_000  # paging further than this is not browsing; beyond it the list is empty


def parse_offset(value) -> int:
    """A list's ?offset= value: a whole number from 0 to MAX_OFFSET (anything else is 0; a larger
    number is MAX_OFFSET, so the database never sees an out-of-range integer)."""
    try:
        n = int(str(value if value is not None else 0).strip())
    except (TypeError, ValueError):
        return 0
    return min(max(0, n), MAX_OFFSET)


def status_filter(value: str | None):
    """'open' | 'fixed' | 'closed' | a single state -> list of states (None = any public)."""
    if value == "open":
        return list(S.OPEN_STATES)
    if value == "fixed":
        return list(S.FIXED_STATES)
    if value == "closed":
        return list(S.CLOSED_STATES)
    if value in S.PUBLIC_STATES:
        return [value]
    return None


def public_updates(report: Report) -> list[Update]:
    return list(
        db.session.scalars(
            select(Update)
            .where(
                Update.report_id == report.id,
                Update.confirmed_at.is_not(None),
                Update.hidden_at.is_(None),
                Update.kind != "note",
            )
            .order_by(Update.created_at, Update.id)
        )
    )


def notes(report: Report) -> list[Update]:
    return list(
        db.session.scalars(
            select(Update).where(Update.report_id == report.id, Update.kind == "note").order_by(Update.id)
        )
    )


# -- who may take part -------------------------------------------------------------------
def user_is_banned(user_id=None, email=None) -> bool:
    """A banned account (through accounts' services: reports never read the accounts tables), or an
    email a moderator banned."""
    if not user_id and not email:
        return False
    if accounts.is_banned(user_id=user_id or None, email=None if user_id else email):
        return True
    return email_banned(email)


def email_banned(email) -> bool:
    """A reporter without an account is banned by email: the moderation log's latest "ban" or
    "unban" without a target account, on a report from that email, says which."""
    email = (email or "").strip().lower()
    if not email:
        return False
    last = db.session.scalar(
        select(ModerationLog.action)
        .join(Report, Report.id == ModerationLog.report_id)
        .where(
            Report.email == email, ModerationLog.action.in_(("ban", "unban")), ModerationLog.target_user_id.is_(None)
        )
        .order_by(ModerationLog.id.desc())
        .limit(1)
    )
    return last == "ban"


def reporter_emails_stopped(report: Report) -> bool:
    """The reporter followed "stop these emails": kept as an unsubscribed report alert."""
    return (
        db.session.scalar(
            select(Alert.id)
            .where(
                Alert.kind == "report",
                Alert.report_id == report.id,
                Alert.email == report.email,
                Alert.unsubscribed_at.is_not(None),
            )
            .limit(1)
        )
        is not None
    )


def any_api_key(key: str | None) -> ApiKey | None:
    """The key's row, revoked or suspended as it may be."""
    if not key:
        return None
    return db.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key.strip())))


def check_api_key(key: str | None) -> ApiKey | None:
    """A key in use: neither revoked nor suspended."""
    row = any_api_key(key)
    return row if row is not None and row.revoked_at is None and row.suspended_at is None else None


# -- Open311 ------------------------------------------------------------------------------
def categories_by_code() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.code)))


def category_by_code(code: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.code == code))


def report_by_open311_token(token: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.token == token, Report.source == "open311"))


def update_by_external_id(external_id: str, report_id: int) -> Update | None:
    return db.session.scalar(select(Update).where(Update.external_id == external_id, Update.report_id == report_id))


def open311_requests(*, ids=None, start=None, end=None, codes=None, status=None, limit=1000) -> list[Report]:
    """Public reports for GET requests: by their ids (a comma list, which overrides every other
    filter), else created between start and end, in some service codes, "open" or "closed"."""
    stmt = public_reports()
    if ids:
        wanted = [n for n in (parse_id(x) for x in ids.split(",")[:limit]) if n is not None]
        stmt = stmt.where(Report.id.in_(wanted or [-1]))
    else:
        if start:
            stmt = stmt.where(Report.created_at >= start)
        if end:
            stmt = stmt.where(Report.created_at <= end)
        if codes:
            cats = db.session.scalars(select(Category.id).where(Category.code.in_(codes.split(",")[:limit])))
            stmt = stmt.where(Report.category_id.in_(list(cats) or [-1]))
        if status:
            wanted_states = []
            for s in status.lower().split(","):
                wanted_states += (
                    list(S.OPEN_STATES)
                    if s == "open"
                    else (list(S.FIXED_STATES + S.CLOSED_STATES) if s == "closed" else [])
                )
            stmt = stmt.where(Report.state.in_(wanted_states or ["-"]))
    # Sends and photos of all rows in two more queries (not two per row).
    return list(
        db.session.scalars(
            stmt.options(selectinload(Report.sends), selectinload(Report.photos))
            .order_by(Report.created_at.desc(), Report.id.desc())
            .limit(limit)
        )
    )


def pushed_report(rid: str, body_id: int):
    """The report a body's push is about: the id the body gave when we sent it the report, or
    Plaza's own id for a report it received by email. (report, None) or (None, problem)."""
    by_external = None
    if len(rid) <= 200:
        send = db.session.scalar(
            select(Send)
            .where(Send.external_id == rid, Send.body_id == body_id, Send.update_id.is_(None))
            .order_by(Send.id.desc())
            .limit(1)
        )
        by_external = db.session.get(Report, send.report_id) if send else None
    by_ours = db.session.get(Report, parse_id(rid)) if parse_id(rid) is not None else None
    if by_ours is not None:
        # Plaza's id is what the body knows only where it has no id of its own for that report.
        own_ids = [
            s.external_id for s in by_ours.sends if s.body_id == body_id and s.update_id is None and s.external_id
        ]
        if own_ids or body_id not in (by_ours.body_ids or []):
            by_ours = None if by_external is not None else by_ours
    if by_external is not None and by_ours is not None and by_external.id != by_ours.id:
        return None, (
            f"service_request_id {rid[:50]} is ambiguous: it is this body's id for one "
            f"request and Plaza's id of another; give Plaza's id as service_request_id_ext"
        )
    return by_external or by_ours, None
