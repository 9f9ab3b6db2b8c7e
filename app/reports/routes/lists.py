"""Lists of reports: newest or nearest first, a body's, an area's; filters by state and category."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _

from ...areas import services as areas
from ...core.htmx import render
from ...core.i18n import current_language
from ...directory import services as directory
from .. import states as S
from ..blueprint import bp
from ..geometry import point_from_args
from ..queries import categories_by_label, find_category, near, parse_offset, recent, status_filter, valid_id
from ..settings import alert_distance_m

PAGE = 20


def _list_args():
    args = request.args
    offset = parse_offset(args.get("offset"))
    status = args.get("status") or None
    cat = find_category(args.get("category", "")) if args.get("category") else None
    return offset, status, cat


@bp.route("/")
def index():
    offset, status, cat = _list_args()
    q = (request.args.get("q") or "").strip()
    point, message = None, None
    if q:  # a typed place wins over the lat/lon kept from an earlier search
        places = areas.search_places(q, limit=1)
        if places:
            point = (places[0].lat, places[0].lon)
        else:
            message = _("No place matches “%(q)s”.", q=q)
    else:
        point = point_from_args(request.args)
    states = status_filter(status)
    cid = cat.id if cat else None
    if point:
        rows, more = near(point[0], point[1], states=states, category_id=cid, offset=offset, limit=PAGE)
    else:
        reports, more = recent(states=states, category_id=cid, offset=offset, limit=PAGE)
        rows = [(r, None) for r in reports]
    params = {k: v for k, v in request.args.items() if k not in ("offset", "lat", "lon") and v}
    if point:
        params.update(lat=f"{point[0]:.6f}", lon=f"{point[1]:.6f}")
    next_url = url_for(".index", offset=offset + PAGE, **params) if more else None
    tag = current_language().tag
    return render(
        "reports/index.html",
        block="items" if offset else None,
        rows=rows,
        next_url=next_url,
        q=q,
        point=point,
        status_value=status,
        category=cat,
        categories=categories_by_label(tag),
        message=message,
        tag=tag,
        S=S,
        feed_url=url_for(".feed", **params),
        title=None,
        alert_distance=alert_distance_m(),
        status=422 if message else 200,
    )


@bp.route("/body/<int:body_id>")
def body_list(body_id):
    body = directory.get_body(body_id) if valid_id(body_id) else None
    if body is None:
        abort(404)
    return _simple_list(
        _("Reports sent to %(body)s", body=body.name), body_id=body_id, alert=("body", body_id), feed_key="body"
    )


@bp.route("/area/<int:area_id>")
def area_list(area_id):
    area = areas.area(area_id) if valid_id(area_id) else None
    if area is None:
        abort(404)
    return _simple_list(
        _("Reports in %(area)s", area=area.name), area_id=area_id, alert=("area", area_id), feed_key="area"
    )


def _simple_list(title, alert, feed_key, **where):
    """A body's or an area's reports, with the same state and category filters as the main list."""
    offset, status, cat = _list_args()
    reports, more = recent(
        states=status_filter(status), category_id=cat.id if cat else None, offset=offset, limit=PAGE, **where
    )
    params = {k: v for k, v in request.args.items() if k in ("status", "category") and v}
    next_url = url_for(request.endpoint, offset=offset + PAGE, **params, **request.view_args) if more else None
    feed = url_for(".feed", **{feed_key: alert[1]}, **params)
    tag = current_language().tag
    return render(
        "reports/index.html",
        block="items" if offset else None,
        rows=[(r, None) for r in reports],
        next_url=next_url,
        title=title,
        alert=alert,
        feed_url=feed,
        tag=tag,
        S=S,
        q="",
        point=None,
        status_value=status,
        category=cat,
        categories=categories_by_label(tag),
        message=None,
        list_url=url_for(request.endpoint, **request.view_args),
    )
