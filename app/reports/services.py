"""Reports business logic and public face. Services never commit: views, CLI and jobs do."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from ..core.models import utcnow
from ..extensions import db
from . import states as S
from .models import (
    ApiKey,
    Category,
    Contact,
    ModerationLog,
    Photo,
    Report,
    Supporter,
    Update,
)

TITLE_MAX = 200
DETAIL_MAX = 4000


def profile():
    return current_app.extensions["plaza_profile"]


def areas_services():
    from ..areas import services

    return services


def directory():
    from ..directory import services

    return services


# -- geometry -------------------------------------------------------------------------
def distance_m(lat1, lon1, lat2, lon2) -> float:
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def box_around(lat, lon, radius_m):
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


# -- categories and contacts -----------------------------------------------------------
def slug(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    out = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")
    return out[:70] or "c" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def find_category(name_or_code: str) -> Category | None:
    text = (name_or_code or "").strip()
    if not text:
        return None
    cat = db.session.scalar(select(Category).where(Category.code == text))
    if cat:
        return cat
    return db.session.scalar(select(Category).where(func.lower(Category.name) == text.lower()))


def get_or_create_category(name: str, names: dict | None = None) -> Category:
    cat = find_category(name)
    if cat is None:
        code, n = slug(name), 1
        base = code
        while db.session.scalar(select(Category.id).where(Category.code == code)) is not None:
            n += 1
            code = f"{base}-{n}"
        cat = Category(code=code, name=name.strip(), names={}, hints={}, notices={}, attributes=[])
        db.session.add(cat)
    if names:
        merged = dict(cat.names or {})
        merged.update({k: v for k, v in names.items() if v})
        cat.names = merged
    return cat


def covering_bodies(lat, lon):
    return directory().bodies_covering_point(lat, lon)


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


def current_language_tag() -> str:
    from ..core.i18n import current_language

    try:
        return current_language().tag
    except Exception:  # noqa: BLE001 - outside a request
        return profile().default_language


# -- reports -------------------------------------------------------------------------
def public_reports():
    return select(Report).where(Report.state.in_(S.PUBLIC_STATES))


def get_public(report_id) -> Report | None:
    r = db.session.get(Report, report_id)
    return r if r is not None and r.is_public else None


def duplicates_near(lat, lon, category_id, distance=None, limit=5) -> list[tuple[Report, float]]:
    distance = distance or profile().report_duplicate_distance_m
    a, b, c, d = box_around(lat, lon, distance)
    rows = db.session.scalars(
        select(Report).where(
            Report.state.in_(S.OPEN_STATES), Report.category_id == category_id,
            Report.lat.between(a, b), Report.lon.between(c, d),
        ).limit(200)
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
    return rows[offset:offset + limit], len(rows) > offset + limit


def json_list_has(column, values):
    """SQL: the JSON list in `column` holds one of `values` (ints). JSON is stored as text on
    SQLite and as json on PostgreSQL, so each dialect gets its own expression."""
    values = [int(v) for v in values]
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy import cast, or_
        from sqlalchemy.dialects.postgresql import JSONB

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
    rows = list(db.session.scalars(stmt.order_by(Report.created_at.desc(), Report.id.desc())
                                    .offset(offset).limit(limit + 1)))
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


def finite_point(lat, lon) -> bool:
    """A real point on the globe (no NaN, no infinity, within the coordinate ranges)."""
    try:
        return (lat is not None and lon is not None and math.isfinite(lat) and math.isfinite(lon)
                and -90 <= lat <= 90 and -180 <= lon <= 180)
    except TypeError:
        return False


def valid_id(value) -> int | None:
    """A database id from a URL or form value (ids are 32-bit on PostgreSQL), else None."""
    from ..core.ids import parse_id

    return parse_id(value)


# Characters XML 1.0 forbids (controls but tab/newline/return, lone surrogates, U+FFFE/FFFF):
# one of them in a report would make every feed and Open311 list unreadable.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    return _XML_ILLEGAL.sub("", text) if isinstance(text, str) else text


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


def accounts():
    from ..accounts import services

    return services


def user_is_banned(user_id=None, email=None) -> bool:
    """A banned account (through accounts' services: reports never read the accounts tables), or an
    email a moderator banned."""
    if not user_id and not email:
        return False
    if accounts().is_banned(user_id=user_id or None, email=None if user_id else email):
        return True
    return email_banned(email)


def email_banned(email) -> bool:
    """A reporter without an account is banned by email: the moderation log's latest "ban" or
    "unban" without a target account, on a report from that email, says which."""
    email = (email or "").strip().lower()
    if not email:
        return False
    last = db.session.scalar(
        select(ModerationLog.action).join(Report, Report.id == ModerationLog.report_id)
        .where(Report.email == email, ModerationLog.action.in_(("ban", "unban")),
               ModerationLog.target_user_id.is_(None))
        .order_by(ModerationLog.id.desc()).limit(1))
    return last == "ban"


def hide_reports_of(user_id=None, email=None, reason: str = "") -> int:
    """A banned person's reports: hidden, and sends still pending are never made. Returns how many
    were hidden now."""
    from sqlalchemy import or_

    who = []
    if email:
        who.append(Report.email == email.strip().lower())
    if user_id:
        who.append(Report.user_id == user_id)
    if not who:
        return 0
    hidden = 0
    for r in db.session.scalars(select(Report).where(or_(*who))):
        if r.state != "hidden":
            r.state_before_hiding, r.state, r.hidden_reason = r.state, "hidden", reason
            hidden += 1
        cancel_unsent(r)
    return hidden


def cancel_unsent(report: Report) -> int:
    """A hidden report is never sent: its Open311 sends still waiting, and its emails to bodies
    still in the outbox, are called off (sends already delivered stay as they are). Returns how
    many were stopped."""
    from ..core.mail import OutboxMessage, outbox

    stopped = 0
    for s in report.sends:
        if s.status == "pending":
            s.status = "superseded"
            stopped += 1
        elif s.status == "queued":  # an email in the outbox: stopped unless it has gone already
            mail = db.session.get(OutboxMessage, s.outbox_id) if s.outbox_id else None
            if mail is not None and mail.status == "sent":
                continue  # delivered; the send job records it as sent
            if mail is not None:
                outbox.cancel(mail.id, "report hidden before it was sent")
            s.status, s.last_error = "superseded", "report hidden before it was sent"
            stopped += 1
    return stopped


def on_user_banned(_sender, user_id=None, email=None, reason="", **_extra) -> None:
    """accounts' `user_banned` signal (Admin › Users, or a moderator's ban here)."""
    hide_reports_of(user_id, email, reason)


# -- signed links (no table: the link itself carries what it is about) -----------------
def _serializer(purpose: str):
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"reports.{purpose}")


def sign(purpose: str, data) -> str:
    return _serializer(purpose).dumps(data)


def unsign(purpose: str, token: str, max_age: int | None = None):
    """The signed data, or None when the token is forged, for another purpose or too old."""
    from itsdangerous import BadData

    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except BadData:
        return None


def reporter_emails_stopped(report: Report) -> bool:
    """The reporter followed "stop these emails": kept as an unsubscribed report alert."""
    from .models import Alert

    return db.session.scalar(select(Alert.id).where(
        Alert.kind == "report", Alert.report_id == report.id, Alert.email == report.email,
        Alert.unsubscribed_at.is_not(None)).limit(1)) is not None


def stop_reporter_emails(report: Report) -> bool:
    from .models import Alert

    if not report.email or reporter_emails_stopped(report):
        return False
    now = utcnow()
    db.session.add(Alert(kind="report", report_id=report.id, email=report.email, language=report.language,
                         user_id=report.user_id, unsubscribed_at=now))
    return True


# Alerts "near here": the profile may set reports.alert_distance_m (see alert_distance_m()); until
# it does, the radius is this many times the duplicate-search distance, kept within sane bounds.
ALERT_DISTANCE_FACTOR = 20
ALERT_DISTANCE_MIN_M, ALERT_DISTANCE_MAX_M = 500, 20_000


def alert_distance_m() -> int:
    """The radius of a "new reports near here" alert, from the country profile."""
    prof = profile()
    explicit = getattr(prof, "report_alert_distance_m", None)
    value = explicit or prof.report_duplicate_distance_m * ALERT_DISTANCE_FACTOR
    return int(min(max(value, ALERT_DISTANCE_MIN_M), ALERT_DISTANCE_MAX_M))


def create_report(*, category: Category, title, detail, lat, lon, name, email, show_name,
                  language, user=None, photo_keys=(), source="web", api_key_id=None,
                  attributes=None, address=None, phone=None) -> Report:
    """Add a report. Confirmed at once for signed-in confirmed users and Open311 clients."""
    found = areas_services().areas_at(lat, lon)
    report = Report(
        category_id=category.id, category=category, title=title.strip()[:TITLE_MAX],
        detail=(detail or "").strip()[:DETAIL_MAX], lat=lat, lon=lon, name=(name or "").strip()[:200],
        email=email.strip().lower(), show_name=bool(show_name), language=language, source=source,
        api_key_id=api_key_id, attributes=attributes or {}, address=address, phone=phone,
        area_ids=[a.id for a in found], body_ids=[], user_id=user.id if user else None,
        state="unconfirmed", support_count=0,
    )
    db.session.add(report)
    db.session.flush()
    for i, key in enumerate(photo_keys):
        from .photos import dimensions

        w, h = dimensions(key)
        db.session.add(Photo(report_id=report.id, key=key, width=w, height=h, position=i))
    db.session.flush()
    trusted = source == "open311" or (user is not None and getattr(user, "is_confirmed", False))
    if trusted:
        confirm_report(report)
    return report


def confirm_report(report: Report) -> bool:
    """unconfirmed -> confirmed and routed. False when it was confirmed already (harmless)."""
    if report.confirmed_at is not None or report.state != "unconfirmed":
        return False
    now = utcnow()
    report.confirmed_at = now
    report.lastupdate_at = now
    if user_is_banned(report.user_id, report.email):
        report.state = "hidden"
        report.hidden_reason = "banned user"
        return True
    report.state = "confirmed"
    from .routing import route

    route(report)
    from . import alerts

    alerts.notify_new_report(report)
    return True


def add_support(report: Report, email: str, user=None) -> bool:
    """Count one person's "me too" (False: already counted, or the person is banned)."""
    email = email.strip().lower()
    if email == report.email or (user is not None and report.user_id and user.id == report.user_id):
        return False  # the reporter is counted already
    if user_is_banned(getattr(user, "id", None), email):
        return False
    if db.session.scalar(select(Supporter.id).where(Supporter.report_id == report.id,
                                                    Supporter.email == email)):
        return False
    db.session.add(Supporter(report_id=report.id, email=email, user_id=user.id if user else None))
    report.support_count = (report.support_count or 0) + 1
    return True


def public_updates(report: Report) -> list[Update]:
    return list(db.session.scalars(
        select(Update).where(Update.report_id == report.id, Update.confirmed_at.is_not(None),
                             Update.hidden_at.is_(None), Update.kind != "note")
        .order_by(Update.created_at, Update.id)
    ))


def notes(report: Report) -> list[Update]:
    return list(db.session.scalars(select(Update).where(Update.report_id == report.id, Update.kind == "note")
                                   .order_by(Update.id)))


def set_state(report: Report, new_state: str) -> str | None:
    """Change the state; returns the old one when it changed."""
    old = report.state
    if new_state == old:
        return None
    report.state = new_state
    report.lastupdate_at = utcnow()
    if new_state in S.FIXED_STATES and report.fixed_at is None:
        report.fixed_at = utcnow()
    if new_state in S.OPEN_STATES:
        report.fixed_at = None
    return old


def change_category(report: Report, category: Category) -> bool:
    """Re-route when the category changes; re-sends only to bodies not sent to before."""
    if category.id == report.category_id:
        return False
    report.category_id = category.id
    report.category = category
    if report.confirmed_at and report.state != "hidden":
        from . import alerts
        from .routing import route

        route(report, resend=True)
        alerts.notify_new_report(report)  # the new body's followers (each alert hears of it once)
    return True


CATEGORY_MARK = "category:"


def category_change_mark(old_id: int, new_id: int) -> str:
    """Update.external_id of a public update that records a category change (shown translated)."""
    return f"{CATEGORY_MARK}{old_id}:{new_id}"


def log(user, action: str, reason: str = "", report_id=None, update_id=None, target_user_id=None):
    try:
        from ..core import audit  # the shared audit log
    except ImportError:
        audit = None
    if audit is not None:
        audit.record(getattr(user, "id", None), f"reports.{action}", "report" if report_id else None,
                     report_id, {"update_id": update_id, "target_user_id": target_user_id}, reason)
    db.session.add(ModerationLog(user_id=getattr(user, "id", None), action=action, reason=reason or "",
                                 report_id=report_id, update_id=update_id, target_user_id=target_user_id))


# -- Open311 keys ---------------------------------------------------------------------
def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(name: str) -> tuple[ApiKey, str]:
    # Letters and digits only (hex): a key or prefix starting with "-" would read as an option
    # to `flask reports open311-key revoke` and to many other command-line tools.
    key = secrets.token_hex(24)
    row = ApiKey(name=name.strip()[:200], key_hash=hash_key(key), prefix=key[:6])
    db.session.add(row)
    return row, key


def check_api_key(key: str | None) -> ApiKey | None:
    if not key:
        return None
    row = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key.strip())))
    return row if row is not None and row.revoked_at is None else None


@dataclass(frozen=True)
class ReportSummary:
    """What other components (area pages, dashboards) get."""

    id: int
    title: str
    state: str
    state_label: str
    category: str
    lat: float
    lon: float
    created_at: dt.datetime


def summaries(reports) -> list[ReportSummary]:
    tag = current_language_tag()
    return [ReportSummary(r.id, r.title, r.state, S.state_label(r.state), r.category.label(tag),
                          r.lat, r.lon, r.created_at) for r in reports]


def mail_language(tag: str | None) -> str:
    """The language a mail's links are in: the recipient's, when the profile offers it."""
    prof = profile()
    return tag if tag and prof.language(tag) else prof.default_language


def link(endpoint: str, **values) -> str:
    """An absolute URL for emails and API answers, also outside a request (jobs, CLI). Mails pass
    lang=<the recipient's language> (see mail_language), else the page's language is used."""
    from flask import has_request_context

    from ..core.mail import external_url

    if has_request_context():
        return external_url(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["SERVER_BASE_URL"]):
        return external_url(endpoint, **values)


def created_times(since: dt.datetime) -> list[dt.datetime]:
    """When each confirmed-or-later report was made since `since` (UTC), for dashboard charts."""
    return list(db.session.scalars(select(Report.created_at).where(
        Report.created_at >= since, Report.state != "unconfirmed")))


def unsent_count() -> int:
    """Open reports that no body has been sent yet."""
    return db.session.scalar(select(func.count(Report.id)).where(
        Report.state.in_(S.OPEN_STATES), Report.sent_at.is_(None))) or 0
