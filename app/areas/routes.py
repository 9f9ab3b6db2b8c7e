"""Area pages: types, areas of a type, one area (with an SVG map and other components' sections),
and the place search (plain GET form; htmx swaps in suggestions as you type)."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Blueprint, abort, render_template, request, url_for

from ..core import registry
from ..core.htmx import render
from ..core.i18n import current_language
from ..core.pagination import current_page
from ..core.profile import current_profile
from ..core.sections import render_sections
from . import services
from .geo import pad_bbox

bp = Blueprint("areas", __name__, template_folder="templates")


@bp.route("/areas/")
def index():
    return render_template("areas/index.html", types=services.type_counts())


@bp.route("/areas/type/<code>")
def type_list(code):
    known = {t[0]: t for t in services.type_counts()}
    if code not in known:
        abort(404)
    page = current_page()
    items, total = services.areas_of_type([code], limit=page.limit, offset=page.offset)
    if page.number > 1 and not items:
        abort(404)
    return render_template(
        "areas/type.html",
        type=known[code],
        items=items,
        total=total,
        page=page.number,
        has_next=page.has_next(total),
    )


@bp.route("/areas/<int:area_id>")
def area(area_id):
    info = services.area(area_id)
    if info is None:
        abort(404)
    parent = services.area(info.parent_id) if info.parent_id else None
    kids = services.children(area_id)
    names = services.all_names(area_id)
    box = services.bbox(area_id)
    svg = None
    if box:
        link = url_for("areas.area", area_id=999999999).replace("999999999", "{id}")
        ids = [c.id for c in kids] or [area_id]
        svg = services.map_svg(pad_bbox(box), 320, 240, area_ids=ids, link_template=link if kids else None)
    lang_names = _language_names(names)
    return render_template(
        "areas/area.html",
        area=info,
        parent=parent,
        children=kids,
        names=names,
        svg=svg,
        lang_names=lang_names,
        sections=render_sections(registry.area_sections(), area_id),
    )


def _language_names(names: dict) -> dict[str, str]:
    """Each name's language, named in the reader's language ("Saesneg" on a Welsh page): the
    label sits in a span tagged with the page's language."""
    here = current_language().tag
    out = {lang.tag: lang.name for lang in current_profile().languages}
    for tag in set(names) | set(out):
        try:
            label = Locale.parse(tag, sep="-").get_display_name(Locale.parse(here, sep="-"))
        except (ValueError, TypeError, UnknownLocaleError):
            continue
        if label:
            out[tag] = label
    return out


@bp.route("/areas/search")
def search():
    q = (request.args.get("q") or "").strip()[:200]
    places = services.search_places(q, limit=10) if q else []
    here = []
    point = next((p for p in places if p.kind in ("coords", "postcode")), None)
    if point:
        here = services.areas_at(point.lat, point.lon)
    return render("areas/search.html", block="results", q=q, places=places, point=point, here=here)
