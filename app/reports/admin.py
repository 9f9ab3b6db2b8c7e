"""Staff and admin pages: /<lang>/admin/reports (staff see only their bodies' reports)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import false, func, select

from ..core.auth import staff_required
from ..core.formatting import parse_digits
from ..core.i18n import current_language
from ..core.models import utcnow
from ..extensions import db
from . import services as svc
from . import states as S
from .forms import ReasonForm, StaffUpdateForm
from .models import Category, Report, ResponseTemplate, Send, Update

admin_bp = Blueprint("reports_admin", __name__, template_folder="templates")
PAGE = 100
EXPORT_MAX = 50_000


def _allowed_bodies():
    """None = every body (moderators and admins); else the user's staff organisations."""
    return None if current_user.can_moderate else set(current_user.staff_org_ids)


def _can_manage(report: Report) -> bool:
    bodies = _allowed_bodies()
    return bodies is None or bool(bodies & set(report.body_ids or []))


def _visible():
    """Reports this user may see in the admin, as a statement (the body check is SQL)."""
    stmt = select(Report).where(Report.state != "unconfirmed")
    bodies = _allowed_bodies()
    if bodies is not None:
        stmt = stmt.where(svc.json_list_has(Report.body_ids, bodies) if bodies else false())
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
        local = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(svc.profile().timezone))
        return local.astimezone(dt.UTC)
    except OverflowError:  # a day at the calendar's ends: no bound on that side
        return None


def _filtered_stmt():
    args = request.args
    stmt = _visible()
    if args.get("state") in S.STATES:
        stmt = stmt.where(Report.state == args["state"])
    if args.get("unsent") == "1":  # open reports no body has been sent yet (the dashboard links here)
        stmt = stmt.where(Report.state.in_(S.OPEN_STATES), Report.sent_at.is_(None))
    if args.get("removal") == "1":  # the moderators' queue of removal requests
        stmt = stmt.where(Report.removal_requested_at.is_not(None))
    if args.get("failed") == "1":
        stmt = stmt.where(Report.id.in_(select(Send.report_id).where(Send.status == "failed")))
    cat = svc.find_category(args.get("category", "")) if args.get("category") else None
    if cat:
        stmt = stmt.where(Report.category_id == cat.id)
    for key, col in (("area", Report.area_ids), ("body", Report.body_ids)):
        value = svc.valid_id(args.get(key))
        if value:
            stmt = stmt.where(svc.json_list_has(col, [value]))
    start, end = _day(args.get("from")), _day(args.get("to"), next_day=True)
    if start:
        stmt = stmt.where(Report.created_at >= start)
    if end:
        stmt = stmt.where(Report.created_at < end)
    return stmt


def _area_choices():
    """The areas of the reports this user can see, by name (for the area filter)."""
    ids = set()
    for area_ids in db.session.scalars(_visible().with_only_columns(Report.area_ids).limit(5000)):
        ids.update(area_ids or [])
    return sorted(svc.areas_services().areas(sorted(ids)), key=lambda a: a.name.casefold())


@admin_bp.route("/admin/reports/")
@staff_required
def index():
    stmt = _filtered_stmt()
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    offset = svc.parse_offset(request.args.get("offset"))
    rows = list(db.session.scalars(stmt.order_by(Report.created_at.desc(), Report.id.desc())
                                   .offset(offset).limit(PAGE)))
    params = {k: v for k, v in request.args.items() if k != "offset" and v}
    next_url = url_for(".index", offset=offset + PAGE, **params) if offset + PAGE < total else None
    prev_url = url_for(".index", offset=max(0, offset - PAGE), **params) if offset else None
    categories = list(db.session.scalars(select(Category).order_by(Category.name)))
    removals = db.session.scalar(select(func.count()).select_from(
        _visible().where(Report.removal_requested_at.is_not(None)).subquery())) or 0
    return render_template("reports/admin_index.html", rows=rows, total=total, S=S, categories=categories,
                           areas=_area_choices(), tag=current_language().tag, next_url=next_url,
                           prev_url=prev_url, removals=removals, params=params)


def _csv_cell(value):
    """Spreadsheets run cells starting with = + - @ (or tab/CR) as formulas: quote them."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@admin_bp.route("/admin/reports/export.csv")
@staff_required
def export():
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so spreadsheet programs read UTF-8 (Arabic, Welsh) correctly
    w = csv.writer(out)
    w.writerow(["id", "title", "category", "state", "lat", "lon", "created_at", "confirmed_at", "sent_at",
                "fixed_at", "support_count", "bodies", "body_names", "areas", "address", "url"])
    stmt = _filtered_stmt().order_by(Report.created_at.desc(), Report.id.desc()).limit(EXPORT_MAX)
    bodies, areas = {}, {}  # names looked up once per export, not once per row

    def body_name(body_id):
        if body_id not in bodies:
            body = svc.directory().get_body(body_id)
            bodies[body_id] = body.name if body is not None else ""
        return bodies[body_id]

    def area_name(area_id):
        if area_id not in areas:
            area = svc.areas_services().area(area_id)
            areas[area_id] = area.name if area is not None else ""
        return areas[area_id]

    for r in db.session.scalars(stmt):
        w.writerow([_csv_cell(x) for x in (
            r.id, r.title, r.category.name, r.state, r.lat, r.lon, r.created_at.isoformat(),
            r.confirmed_at.isoformat() if r.confirmed_at else "", r.sent_at.isoformat() if r.sent_at else "",
            r.fixed_at.isoformat() if r.fixed_at else "", r.support_count,
            ";".join(str(b) for b in r.body_ids or []),
            ";".join(filter(None, (body_name(b) for b in r.body_ids or []))),
            ";".join(filter(None, (area_name(a) for a in r.area_ids or []))), r.address or "",
            svc.link("reports.detail", report_id=r.id))])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=reports.csv"})


def _category_choices(report) -> list[Category]:
    """Moderators and admins: any category offered at the report's point; staff: those their own
    bodies receive there. The current category always stays."""
    bodies = [b.id for b in svc.covering_bodies(report.lat, report.lon)]
    allowed = _allowed_bodies()
    if allowed is not None:
        bodies = [b for b in bodies if b in allowed]
    cats = {c.category_id: c.category for c in svc.contacts_for(bodies)}
    cats[report.category.id] = report.category
    tag = current_language().tag
    return sorted(cats.values(), key=lambda c: c.label(tag).casefold())


def _form(report):
    form = StaffUpdateForm()
    tag = current_language().tag
    states = S.STAFF_STATES + (("hidden",) if report.state == "hidden" else ())
    form.state.choices = [(s, S.state_label(s)) for s in states]
    form.category.choices = [(c.code, c.label(tag)) for c in _category_choices(report)]
    templates = list(db.session.scalars(select(ResponseTemplate).where(
        (ResponseTemplate.body_id.is_(None)) | (ResponseTemplate.body_id.in_(report.body_ids or [-1])))))
    form.template.choices = [("", "—")] + [(str(t.id), t.title) for t in templates]
    if request.method == "GET":
        form.state.data, form.category.data = report.state, report.category.code
    return form, templates


def _report(report_id) -> Report:
    rid = svc.valid_id(report_id)
    report = db.session.get(Report, rid) if rid else None
    if report is None:
        abort(404)
    return report


@admin_bp.route("/admin/reports/<int:report_id>", methods=["GET", "POST"])
@staff_required
def report(report_id):
    report = _report(report_id)
    if not _can_manage(report):
        abort(403)
    # A moderator hid it: staff may look but not act; moderators publish it again only through
    # the logged "show again" action below.
    if report.state == "hidden" and request.method == "POST" and not current_user.can_moderate:
        abort(403)
    form, templates = _form(report)
    if request.method == "POST":
        if not form.validate():
            return _page(report, form, templates, 422)
        if report.state == "hidden" and form.state.data != "hidden":
            form.state.errors = [_("This report is hidden: use “Show the report again” to publish it.")]
            return _page(report, form, templates, 422)
        text = (form.text.data or "").strip()
        if form.template.data:
            t = next((t for t in templates if str(t.id) == form.template.data), None)
            if t:
                text = text or t.text
                if t.state and not request.form.get("state_changed"):
                    form.state.data = t.state if form.state.data == report.state else form.state.data
        body_id = next(iter(sorted(_allowed_bodies() & set(report.body_ids or []))), None) \
            if _allowed_bodies() is not None else (report.body_ids or [None])[0]
        old = svc.set_state(report, form.state.data) if form.state.data != report.state else None
        recategorised = None
        if form.category.data and form.category.data != report.category.code:
            cat = svc.find_category(form.category.data)
            if cat is None:
                abort(400)
            old_cat = report.category_id
            if svc.change_category(report, cat):
                recategorised = svc.category_change_mark(old_cat, cat.id)
        if text or old or recategorised:  # a category change is public, and the reporter hears of it
            upd = Update(report_id=report.id, kind="staff", text=text, user_id=current_user.id,
                         name=current_user.name, email=current_user.email, body_id=body_id,
                         new_state=report.state if old else None, old_state=old, external_id=recategorised,
                         confirmed_at=utcnow(), language=current_language().tag)
            db.session.add(upd)
            db.session.flush()
            from . import alerts

            alerts.notify_update(report, upd)
        if (form.note.data or "").strip():
            db.session.add(Update(report_id=report.id, kind="note", text=form.note.data.strip(),
                                  user_id=current_user.id, name=current_user.name, body_id=body_id,
                                  confirmed_at=utcnow()))
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".report", report_id=report.id), 303)
    return _page(report, form, templates)


def _page(report, form, templates, status=200):
    from .models import Photo

    updates = svc.public_updates(report)
    photos = list(db.session.scalars(select(Photo).where(Photo.report_id == report.id, Photo.hidden_at.is_(None))
                                     .order_by(Photo.update_id.is_not(None), Photo.id)))
    # What staff need to act on it, as FixMyStreet shows them: where exactly (map, areas,
    # address), when, and who to contact; this page is for the body's staff only.
    from .routes import around

    areas = svc.areas_services()
    area_names = [a.name for a in (areas.area(i) for i in (report.area_ids or [])) if a is not None]
    svg = areas.map_svg(around(report.lat, report.lon, 0.008), 240, 160, pins=[(report.lat, report.lon, report.title)])
    return render_template("reports/admin_report.html", report=report, form=form, S=S, map=svg,
                           area_names=area_names,
                           notes=svc.notes(report), updates=updates, photos=photos,
                           can_edit=report.state != "hidden" or current_user.can_moderate,
                           reason_form=ReasonForm(formdata=None), tag=current_language().tag,
                           email_banned=current_user.can_moderate and svc.email_banned(report.email)), status


from . import admin_moderate, admin_questions, admin_setup, admin_states  # noqa: E402,F401 - moderation, set-up pages
