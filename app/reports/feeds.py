"""Atom feeds for every public list and for one report's updates."""

from __future__ import annotations

from flask import abort, make_response, render_template, request, url_for

from ..core.i18n import current_language
from . import services as svc
from .routes import bp, point_from_args


def _atom(title, self_url, entries):
    xml = render_template("reports/feed.atom", title=title, self_url=self_url, entries=entries,
                          updated=max((e["updated"] for e in entries), default=None), tag=current_language().tag)
    resp = make_response(xml)
    resp.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    return resp


def _entries(reports):
    tag = current_language().tag
    return [{"id": url_for(".detail", report_id=r.id, _external=True), "title": svc.xml_safe(r.title),
             "updated": r.lastupdate_at, "summary": svc.xml_safe(f"{r.category.label(tag)} · {r.detail[:300]}"),
             "link": url_for(".detail", report_id=r.id, _external=True)} for r in reports]


@bp.route("/reports/feed.atom")
def feed():
    from flask_babel import gettext as _

    args = request.args
    point = point_from_args(args)
    states = svc.status_filter(args.get("status"))
    cat = svc.find_category(args.get("category", "")) if args.get("category") else None
    common = {"states": states, "category_id": cat.id if cat else None, "limit": 50}
    body_id, area_id = svc.valid_id(args.get("body")), svc.valid_id(args.get("area"))
    if body_id:
        reports, _m = svc.recent(body_id=body_id, **common)
    elif area_id:
        reports, _m = svc.recent(area_id=area_id, **common)
    elif point:
        rows, _m = svc.near(point[0], point[1], **common)
        reports = [r for r, _d in rows]
    else:
        reports, _m = svc.recent(**common)
    return _atom(_("Reports"), request.url, _entries(reports))


@bp.route("/reports/<int:report_id>/feed.atom")
def report_feed(report_id):
    report = svc.get_public(report_id) if svc.valid_id(report_id) else None
    if report is None:
        abort(404)
    link = url_for(".detail", report_id=report.id, _external=True)
    title = svc.xml_safe(report.title)
    entries = [{"id": f"{link}#update-{u.id}", "title": title, "updated": u.created_at,
                "summary": svc.xml_safe(u.text), "link": f"{link}#update-{u.id}"} for u in svc.public_updates(report)]
    return _atom(title, request.url, entries)
