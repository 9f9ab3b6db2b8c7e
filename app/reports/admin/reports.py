"""Staff and admin pages: /<lang>/admin/reports (staff see only their bodies' reports)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...areas import services as areas
from ...core.auth import staff_required
from ...core.exports import csv_response
from ...core.i18n import current_language
from ...directory import services as directory
from ...extensions import db
from .. import states as S
from ..blueprint import admin_bp
from ..forms import ReasonForm, StaffUpdateForm
from ..geometry import report_map
from ..models import Report
from ..queries import email_banned, find_category, get_report, notes, parse_offset, public_updates
from ..settings import link
from ..updates import staff_update
from . import queries as AQ

PAGE = 100
EXPORT_MAX = 50_000
EXPORT_COLUMNS = (
    "id",
    "title",
    "category",
    "state",
    "lat",
    "lon",
    "created_at",
    "confirmed_at",
    "sent_at",
    "fixed_at",
    "support_count",
    "bodies",
    "body_names",
    "areas",
    "address",
    "url",
)


def allowed_bodies():
    """None = every body (moderators and admins); else the user's staff organisations."""
    return None if current_user.can_moderate else set(current_user.staff_org_ids)


def _can_manage(report: Report) -> bool:
    bodies = allowed_bodies()
    return bodies is None or bool(bodies & set(report.body_ids or []))


def report_or_404(report_id) -> Report:
    report = get_report(report_id)
    if report is None:
        abort(404)
    return report


@admin_bp.route("/")
@staff_required
def index():
    bodies = allowed_bodies()
    stmt = AQ.filtered(request.args, bodies)
    total = AQ.count(stmt)
    offset = parse_offset(request.args.get("offset"))
    rows = AQ.page(stmt, offset, PAGE)
    params = {k: v for k, v in request.args.items() if k != "offset" and v}
    next_url = url_for(".index", offset=offset + PAGE, **params) if offset + PAGE < total else None
    prev_url = url_for(".index", offset=max(0, offset - PAGE), **params) if offset else None
    return render_template(
        "reports/admin_index.html",
        rows=rows,
        total=total,
        S=S,
        categories=AQ.categories_by_name(),
        areas=AQ.area_choices(bodies),
        tag=current_language().tag,
        next_url=next_url,
        prev_url=prev_url,
        removals=AQ.removal_count(bodies),
        params=params,
    )


@admin_bp.route("/export.csv")
@staff_required
def export():
    bodies, area_names = {}, {}  # names looked up once per export, not once per row

    def body_name(body_id):
        if body_id not in bodies:
            body = directory.get_body(body_id)
            bodies[body_id] = body.name if body is not None else ""
        return bodies[body_id]

    def area_name(area_id):
        if area_id not in area_names:
            area = areas.area(area_id)
            area_names[area_id] = area.name if area is not None else ""
        return area_names[area_id]

    rows = (
        (
            r.id,
            r.title,
            r.category.name,
            r.state,
            r.lat,
            r.lon,
            r.created_at.isoformat(),
            r.confirmed_at.isoformat() if r.confirmed_at else "",
            r.sent_at.isoformat() if r.sent_at else "",
            r.fixed_at.isoformat() if r.fixed_at else "",
            r.support_count,
            ";".join(str(b) for b in r.body_ids or []),
            ";".join(filter(None, (body_name(b) for b in r.body_ids or []))),
            ";".join(filter(None, (area_name(a) for a in r.area_ids or []))),
            r.address or "",
            link("reports.detail", report_id=r.id),
        )
        for r in AQ.page(AQ.filtered(request.args, allowed_bodies()), 0, EXPORT_MAX)
    )
    # A BOM, so spreadsheet programs read UTF-8 (Arabic, Welsh) correctly.
    return csv_response("reports.csv", EXPORT_COLUMNS, rows, bom=True)


def _form(report):
    form = StaffUpdateForm()
    tag = current_language().tag
    states = S.STAFF_STATES + (("hidden",) if report.state == "hidden" else ())
    form.state.choices = [(s, S.state_label(s)) for s in states]
    form.category.choices = [(c.code, c.label(tag)) for c in AQ.category_choices(report, allowed_bodies(), tag)]
    templates = AQ.templates_for(report)
    form.template.choices = [("", "—")] + [(str(t.id), t.title) for t in templates]
    if request.method == "GET":
        form.state.data, form.category.data = report.state, report.category.code
    return form, templates


@admin_bp.route("/<int:report_id>", methods=["GET", "POST"])
@staff_required
def report(report_id):
    report = report_or_404(report_id)
    if not _can_manage(report):
        abort(403)
    # A moderator hid it: staff may look but not act; moderators publish it again only through
    # the logged "show again" action below.
    if report.state == "hidden" and request.method == "POST" and not current_user.can_moderate:
        abort(403)
    form, templates = _form(report)
    if request.method == "GET":
        return _page(report, form)
    if not form.validate():
        return _page(report, form, 422)
    if report.state == "hidden" and form.state.data != "hidden":
        form.state.errors = [_("This report is hidden: use “Show the report again” to publish it.")]
        return _page(report, form, 422)
    text = (form.text.data or "").strip()
    if form.template.data:
        t = next((t for t in templates if str(t.id) == form.template.data), None)
        if t:
            text = text or t.text
            if t.state and not request.form.get("state_changed"):
                form.state.data = t.state if form.state.data == report.state else form.state.data
    bodies = allowed_bodies()
    body_id = (
        next(iter(sorted(bodies & set(report.body_ids or []))), None)
        if bodies is not None
        else (report.body_ids or [None])[0]
    )
    category = None
    if form.category.data and form.category.data != report.category.code:
        category = find_category(form.category.data)
        if category is None:
            abort(400)
    staff_update(
        report,
        current_user,
        state=form.state.data,
        category=category,
        text=text,
        note=form.note.data,
        body_id=body_id,
        language=current_language().tag,
    )
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".report", report_id=report.id), 303)


def _page(report, form, status=200):
    # What staff need to act on it, as FixMyStreet shows them: where exactly (map, areas,
    # address), when, and who to contact; this page is for the body's staff only.
    area_names = [a.name for a in (areas.area(i) for i in (report.area_ids or [])) if a is not None]
    return render_template(
        "reports/admin_report.html",
        report=report,
        form=form,
        S=S,
        map=report_map(report),
        area_names=area_names,
        notes=notes(report),
        updates=public_updates(report),
        photos=AQ.shown_photos(report),
        can_edit=report.state != "hidden" or current_user.can_moderate,
        reason_form=ReasonForm(formdata=None),
        tag=current_language().tag,
        email_banned=current_user.can_moderate and email_banned(report.email),
    ), status
