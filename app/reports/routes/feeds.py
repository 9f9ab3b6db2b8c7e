"""Atom feeds for every public list and for one report's updates."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _

from ...areas import services as areas
from ...core.feeds import atom_response
from ...core.formatting import format_datetime
from ...core.i18n import current_language
from ...directory import services as directory
from ..blueprint import bp
from ..geometry import point_from_args
from ..queries import find_category, get_public, near, public_updates, recent, status_filter, valid_id
from ..states import state_label
from ..text import xml_safe


def _atom(title, self_url, entries):
    return atom_response("reports/feed.atom", entries, title=title, self_url=self_url)


def _entries(reports):
    tag = current_language().tag
    return [
        {
            "id": url_for(".detail", report_id=r.id, _external=True),
            "title": xml_safe(r.title),
            "updated": r.lastupdate_at,
            "summary": xml_safe(f"{r.category.label(tag)} · {r.detail[:300]}"),
            "link": url_for(".detail", report_id=r.id, _external=True),
        }
        for r in reports
    ]


@bp.route("/feed.atom")
def feed():
    args = request.args
    point = point_from_args(args)
    states = status_filter(args.get("status"))
    cat = find_category(args.get("category", "")) if args.get("category") else None
    common = {"states": states, "category_id": cat.id if cat else None, "limit": 50}
    body_id, area_id = valid_id(args.get("body")), valid_id(args.get("area"))
    # The feed says what it follows, in the words of the page it comes from.
    body = directory.get_body(body_id) if body_id else None
    area = areas.area(area_id) if area_id and not body else None
    if body is not None:
        reports, _m = recent(body_id=body_id, **common)
        title = _("Reports sent to %(body)s", body=body.name)
    elif area is not None:
        reports, _m = recent(area_id=area_id, **common)
        title = _("Reports in %(area)s", area=area.name)
    elif point:
        rows, _m = near(point[0], point[1], **common)
        reports = [r for r, _d in rows]
        title = _("Reports around a place")
    else:
        reports, _m = recent(**common)
        title = _("Reports")
    if cat is not None:
        title = f"{title} · {cat.label(current_language().tag)}"
    return _atom(xml_safe(title), request.url, _entries(reports))


@bp.route("/<int:report_id>/feed.atom")
def report_feed(report_id):
    report = get_public(report_id) if valid_id(report_id) else None
    if report is None:
        abort(404)
    link = url_for(".detail", report_id=report.id, _external=True)
    title = xml_safe(report.title)
    # Each entry named by its date (and new state), so a reader can tell the updates apart.
    entries = [
        {
            "id": f"{link}#update-{u.id}",
            "updated": u.created_at,
            "title": " · ".join(
                x for x in (format_datetime(u.created_at), state_label(u.new_state) if u.new_state else "") if x
            ),
            "summary": xml_safe(u.text),
            "link": f"{link}#update-{u.id}",
        }
        for u in public_updates(report)
    ]
    return _atom(title, request.url, entries)
