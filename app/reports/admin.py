"""Staff and admin pages: /<lang>/admin/reports (staff see only their bodies' reports)."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from ..core.auth import moderator_required, staff_required
from ..core.i18n import current_language
from ..core.models import utcnow
from ..extensions import db
from . import services as svc
from . import states as S
from .forms import ReasonForm, StaffUpdateForm
from .models import Category, Report, ResponseTemplate, Update

admin_bp = Blueprint("reports_admin", __name__, template_folder="templates")


def _allowed_bodies():
    """None = every body (moderators and admins); else the user's staff organisations."""
    return None if current_user.can_moderate else set(current_user.staff_org_ids)


def _can_manage(report: Report) -> bool:
    bodies = _allowed_bodies()
    return bodies is None or bool(bodies & set(report.body_ids or []))


def _filtered():
    args = request.args
    stmt = select(Report).where(Report.state != "unconfirmed").order_by(Report.created_at.desc())
    if args.get("state") in S.STATES:
        stmt = stmt.where(Report.state == args["state"])
    if args.get("unsent") == "1":  # open reports no body has been sent yet (the dashboard links here)
        stmt = stmt.where(Report.state.in_(S.OPEN_STATES), Report.sent_at.is_(None))
    cat = svc.find_category(args.get("category", "")) if args.get("category") else None
    if cat:
        stmt = stmt.where(Report.category_id == cat.id)
    for key, op in (("from", "__ge__"), ("to", "__le__")):
        if args.get(key):
            try:
                import datetime as dt

                day = dt.datetime.fromisoformat(args[key]).replace(tzinfo=dt.UTC)
                stmt = stmt.where(getattr(Report.created_at, op)(day))
            except ValueError:
                pass
    rows = [r for r in db.session.scalars(stmt.limit(5000)) if _can_manage(r)]
    if args.get("area", "").isdigit():
        rows = [r for r in rows if int(args["area"]) in (r.area_ids or [])]
    return rows


@admin_bp.route("/admin/reports/")
@staff_required
def index():
    rows = _filtered()
    categories = list(db.session.scalars(select(Category).order_by(Category.name)))
    return render_template("reports/admin_index.html", rows=rows[:200], total=len(rows), S=S,
                           categories=categories, tag=current_language().tag)


@admin_bp.route("/admin/reports/export.csv")
@staff_required
def export():
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "title", "category", "state", "lat", "lon", "created_at", "confirmed_at", "sent_at",
                "fixed_at", "support_count", "bodies"])
    for r in _filtered():
        w.writerow([r.id, r.title, r.category.name, r.state, r.lat, r.lon, r.created_at.isoformat(),
                    r.confirmed_at.isoformat() if r.confirmed_at else "", r.sent_at.isoformat() if r.sent_at else "",
                    r.fixed_at.isoformat() if r.fixed_at else "", r.support_count,
                    ";".join(str(b) for b in r.body_ids or [])])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=reports.csv"})


def _form(report):
    form = StaffUpdateForm()
    tag = current_language().tag
    form.state.choices = [(s, S.state_label(s)) for s in S.STAFF_STATES]
    cats = {c.id: c for b in (report.body_ids or []) for c in svc.categories_of_body(b)}
    cats[report.category.id] = report.category
    form.category.choices = [(c.code, c.label(tag)) for c in cats.values()]
    templates = list(db.session.scalars(select(ResponseTemplate).where(
        (ResponseTemplate.body_id.is_(None)) | (ResponseTemplate.body_id.in_(report.body_ids or [-1])))))
    form.template.choices = [("", "—")] + [(str(t.id), t.title) for t in templates]
    if request.method == "GET":
        form.state.data, form.category.data = report.state, report.category.code
    return form, templates


@admin_bp.route("/admin/reports/<int:report_id>", methods=["GET", "POST"])
@staff_required
def report(report_id):
    report = db.session.get(Report, report_id)
    if report is None:
        abort(404)
    if not _can_manage(report):
        abort(403)
    form, templates = _form(report)
    if request.method == "POST":
        if not form.validate():
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
        if form.category.data and form.category.data != report.category.code:
            cat = svc.find_category(form.category.data)
            if cat is None:
                abort(400)
            svc.change_category(report, cat)
        if text or old:
            upd = Update(report_id=report.id, kind="staff", text=text, user_id=current_user.id,
                         name=current_user.name, email=current_user.email, body_id=body_id,
                         new_state=report.state if old else None, old_state=old,
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
    return render_template("reports/admin_report.html", report=report, form=form, S=S,
                           notes=svc.notes(report), updates=svc.public_updates(report),
                           reason_form=ReasonForm(formdata=None), tag=current_language().tag), status


@admin_bp.route("/admin/reports/<int:report_id>/moderate", methods=["POST"])
@moderator_required
def moderate(report_id):
    report = db.session.get(Report, report_id)
    if report is None:
        abort(404)
    form = ReasonForm()
    action = request.form.get("action")
    if not form.validate() or action not in ("hide", "unhide", "redact", "ban", "hide_update"):
        flash(_("Please give a reason."), "error")
        return redirect(url_for(".report", report_id=report.id), 303)
    reason = form.reason.data.strip()
    if action == "hide" and report.state != "hidden":
        report.state_before_hiding, report.state, report.hidden_reason = report.state, "hidden", reason
    elif action == "unhide" and report.state == "hidden":
        report.state = report.state_before_hiding or "confirmed"
    elif action == "redact":
        report.title = (request.form.get("title") or report.title).strip()[: svc.TITLE_MAX] or report.title
        report.detail = (request.form.get("detail") or "").strip()[: svc.DETAIL_MAX]
        report.show_name = False
    elif action == "hide_update":
        upd = db.session.get(Update, int(request.form.get("update_id") or 0))
        if upd is None or upd.report_id != report.id:
            abort(404)
        upd.hidden_at = utcnow()
    elif action == "ban":
        ban_reporter(report, reason)
    svc.log(current_user, action, reason, report_id=report.id, update_id=request.form.get("update_id", type=int),
            target_user_id=report.user_id if action == "ban" else None)
    db.session.commit()
    flash(_("Done."), "success")
    return redirect(url_for(".report", report_id=report.id), 303)


def ban_reporter(report: Report, reason: str) -> None:
    """Ban the reporter (through accounts' services): their reports are hidden, unsent ones never sent."""
    accounts = svc.accounts()
    user_id = report.user_id
    if user_id is None:
        found = accounts.by_email(report.email)
        user_id = found.id if found is not None else None
    if user_id is not None and not accounts.is_banned(user_id=user_id):
        accounts.ban(user_id, reason)
    who = Report.email == report.email
    if user_id is not None:
        who = or_(who, Report.user_id == user_id)
    for r in db.session.scalars(select(Report).where(who)):
        if r.state != "hidden":
            r.state_before_hiding, r.state, r.hidden_reason = r.state, "hidden", reason
        for s in r.sends:
            if s.status == "pending":
                s.status = "superseded"


from . import admin_questions, admin_setup, admin_states  # noqa: E402,F401 - set-up pages, questions, state names
