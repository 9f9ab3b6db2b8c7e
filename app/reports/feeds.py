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
    return [{"id": url_for(".detail", report_id=r.id, _external=True), "title": r.title,
             "updated": r.lastupdate_at, "summary": f"{r.category.label(tag)} · {r.detail[:300]}",
             "link": url_for(".detail", report_id=r.id, _external=True)} for r in reports]


@bp.route("/reports/feed.atom")
def feed():
    from flask_babel import gettext as _

    args = request.args
    point = point_from_args(args)
    states = svc.status_filter(args.get("status"))
    if args.get("body", "").isdigit():
        reports, _m = svc.recent(states=states, body_id=int(args["body"]), limit=50)
    elif args.get("area", "").isdigit():
        reports, _m = svc.recent(states=states, area_id=int(args["area"]), limit=50)
    elif point:
        rows, _m = svc.near(point[0], point[1], states=states, limit=50)
        reports = [r for r, _d in rows]
    else:
        reports, _m = svc.recent(states=states, limit=50)
    return _atom(_("Reports"), request.url, _entries(reports))


@bp.route("/reports/<int:report_id>/feed.atom")
def report_feed(report_id):
    report = svc.get_public(report_id)
    if report is None:
        abort(404)
    link = url_for(".detail", report_id=report.id, _external=True)
    entries = [{"id": f"{link}#update-{u.id}", "title": report.title, "updated": u.created_at,
                "summary": u.text, "link": f"{link}#update-{u.id}"} for u in svc.public_updates(report)]
    return _atom(report.title, request.url, entries)
