"""Reads for the admin pages: the reports a staff member may see, filtered as the list asks, and
what one report's staff page shows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import false, func, select

from ...areas import services as areas
from ...core.formatting import parse_digits
from ...core.profile import current_profile
from ...extensions import db
from .. import states as S
from ..models import ApiKey, Category, Contact, Photo, Report, ResponseTemplate, Send, StateName
from ..queries import contacts_for, covering_bodies, find_category, json_list_has, valid_id


def visible(bodies):
    """Reports a user may see in the admin, as a statement (the body check is SQL); `bodies` is
    None for every body (moderators and admins), else the user's staff organisations."""
    stmt = select(Report).where(Report.state != "unconfirmed")
    if bodies is not None:
        stmt = stmt.where(json_list_has(Report.body_ids, bodies) if bodies else false())
    return stmt


def _day(text: str | None, next_day=False) -> dt.datetime | None:
    """A YYYY-MM-DD filter value as a UTC instant: that day's midnight in the profile's time
    zone (or the next midnight, so that "to" takes in the whole day)."""
    try:
        day = dt.date.fromisoformat(parse_digits((text or "").strip()))
    except ValueError:
        return None
    try:
        if next_day:
            day += dt.timedelta(days=1)
        local = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(current_profile().timezone))
        return local.astimezone(dt.UTC)
    except OverflowError:  # a day at the calendar's ends: no bound on that side
        return None


def filtered(args, bodies):
    """The admin list's statement for its query-string filters."""
    stmt = visible(bodies)
    if args.get("state") in S.STATES:
        stmt = stmt.where(Report.state == args["state"])
    if args.get("unsent") == "1":  # open reports no body has been sent yet (the dashboard links here)
        stmt = stmt.where(Report.state.in_(S.OPEN_STATES), Report.sent_at.is_(None))
    if args.get("removal") == "1":  # the moderators' queue of removal requests
        stmt = stmt.where(Report.removal_requested_at.is_not(None))
    if args.get("failed") == "1":
        stmt = stmt.where(Report.id.in_(select(Send.report_id).where(Send.status == "failed")))
    cat = find_category(args.get("category", "")) if args.get("category") else None
    if cat:
        stmt = stmt.where(Report.category_id == cat.id)
    for key, col in (("area", Report.area_ids), ("body", Report.body_ids)):
        value = valid_id(args.get(key))
        if value:
            stmt = stmt.where(json_list_has(col, [value]))
    start, end = _day(args.get("from")), _day(args.get("to"), next_day=True)
    if start:
        stmt = stmt.where(Report.created_at >= start)
    if end:
        stmt = stmt.where(Report.created_at < end)
    return stmt


def count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def page(stmt, offset: int, limit: int) -> list[Report]:
    return list(
        db.session.scalars(stmt.order_by(Report.created_at.desc(), Report.id.desc()).offset(offset).limit(limit))
    )


def removal_count(bodies) -> int:
    return count(visible(bodies).where(Report.removal_requested_at.is_not(None)))


def categories_by_name() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.name)))


def area_choices(bodies):
    """The areas of the reports this user can see, by name (for the area filter)."""
    ids = set()
    for area_ids in db.session.scalars(visible(bodies).with_only_columns(Report.area_ids).limit(5000)):
        ids.update(area_ids or [])
    return sorted(areas.areas(sorted(ids)), key=lambda a: a.name.casefold())


def category_choices(report, bodies, tag) -> list[Category]:
    """Moderators and admins: any category offered at the report's point; staff: those their own
    bodies receive there. The current category always stays."""
    found = [b.id for b in covering_bodies(report.lat, report.lon)]
    if bodies is not None:
        found = [b for b in found if b in bodies]
    cats = {c.category_id: c.category for c in contacts_for(found)}
    cats[report.category.id] = report.category
    return sorted(cats.values(), key=lambda c: c.label(tag).casefold())


def templates_for(report) -> list[ResponseTemplate]:
    return list(
        db.session.scalars(
            select(ResponseTemplate).where(
                (ResponseTemplate.body_id.is_(None)) | (ResponseTemplate.body_id.in_(report.body_ids or [-1]))
            )
        )
    )


def shown_photos(report) -> list[Photo]:
    return list(
        db.session.scalars(
            select(Photo)
            .where(Photo.report_id == report.id, Photo.hidden_at.is_(None))
            .order_by(Photo.update_id.is_not(None), Photo.id)
        )
    )


# -- set-up pages -------------------------------------------------------------------------
def contact_counts() -> dict[int, int]:
    return dict(db.session.execute(select(Contact.category_id, func.count()).group_by(Contact.category_id)).all())


def body_ids_with_contacts() -> list[int]:
    return db.session.scalars(select(Contact.body_id).distinct()).all()


def contacts_of(body_id) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.body_id == body_id).order_by(Contact.id)))


def contact_clash(body_id, category_id) -> int | None:
    return db.session.scalar(select(Contact.id).where(Contact.body_id == body_id, Contact.category_id == category_id))


def category_with_code(code) -> int | None:
    return db.session.scalar(select(Category.id).where(Category.code == code))


def category_with_name(name) -> int | None:
    return db.session.scalar(select(Category.id).where(func.lower(Category.name) == name.lower()))


def get(model, row_id):
    """One row of a reports table by its id from the URL, or None."""
    rid = valid_id(row_id)
    return db.session.get(model, rid) if rid else None


def state_name_rows() -> dict[tuple[str, str], StateName]:
    """Admins' own state names: {(state, language tag): row}."""
    return {(r.state, r.lang): r for r in db.session.scalars(select(StateName))}


def response_templates() -> list[ResponseTemplate]:
    return list(db.session.scalars(select(ResponseTemplate).order_by(ResponseTemplate.title, ResponseTemplate.id)))


def api_keys() -> list[ApiKey]:
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id.desc())))
