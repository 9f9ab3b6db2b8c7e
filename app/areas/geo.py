"""Geometry helpers: repairing imported polygons, and small server-drawn SVG maps.

The map projection is a plain equirectangular one, scaled by cos(latitude) at the middle of the
box so shapes keep their proportions, fitted and centred in width x height. project() and
unproject() are exact inverses, so a reports page can turn a click on the SVG (or an
<input type="image"> submission) back into coordinates.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from flask_babel import gettext as _
from markupsafe import Markup, escape
from shapely.geometry import MultiPolygon, Polygon
from sqlalchemy import select

from ..extensions import db
from . import queries
from .models import Area, AreaType

MAX_MAP_AREAS = 300


def polygonal(geom):
    """Repair an invalid geometry and keep only its polygons; None when nothing is left."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    polys: list[Polygon] = []
    stack = [geom]
    while stack:
        g = stack.pop()
        if isinstance(g, Polygon):
            if not g.is_empty and g.area > 0:
                polys.append(g)
        elif hasattr(g, "geoms"):
            stack.extend(g.geoms)
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def _frame(bbox, width, height):
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    k = max(math.cos(math.radians((min_lat + max_lat) / 2)), 0.01)
    dx = max((max_lon - min_lon) * k, 1e-9)
    dy = max(max_lat - min_lat, 1e-9)
    s = min(width / dx, height / dy)
    ox, oy = (width - dx * s) / 2, (height - dy * s) / 2
    return min_lon, max_lat, k, s, ox, oy


def project(bbox, width, height, lat, lon) -> tuple[float, float]:
    """(lat, lon) -> (x, y) in an SVG of width x height showing bbox (min_lon, min_lat, max_lon, max_lat)."""
    min_lon, max_lat, k, s, ox, oy = _frame(bbox, width, height)
    return ox + (float(lon) - min_lon) * k * s, oy + (max_lat - float(lat)) * s


def unproject(bbox, width, height, x, y) -> tuple[float, float]:
    """(x, y) in the SVG -> (lat, lon); the inverse of project()."""
    min_lon, max_lat, k, s, ox, oy = _frame(bbox, width, height)
    return max_lat - (float(y) - oy) / s, min_lon + (float(x) - ox) / (k * s)


def pad_bbox(bbox, fraction=0.05, minimum=0.002):
    min_lon, min_lat, max_lon, max_lat = bbox
    px = max((max_lon - min_lon) * fraction, minimum)
    py = max((max_lat - min_lat) * fraction, minimum)
    return (min_lon - px, min_lat - py, max_lon + px, max_lat + py)


def _path(geom, frame) -> str:
    min_lon, max_lat, k, s, ox, oy = frame
    parts = []
    polys = geom.geoms if hasattr(geom, "geoms") else [geom]
    for poly in polys:
        if not isinstance(poly, Polygon) or poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            xs = np.round(ox + (xy[:, 0] - min_lon) * k * s).astype(int)
            ys = np.round(oy + (max_lat - xy[:, 1]) * s).astype(int)
            dx, dy = np.diff(xs), np.diff(ys)
            keep = (dx != 0) | (dy != 0)  # points that round onto the previous one add nothing
            dx, dy = dx[keep], dy[keep]
            if len(dx) < 2:
                continue
            # relative moves: short numbers, so big areas stay light
            steps = " ".join(f"{a} {b}" for a, b in zip(dx[:-1].tolist(), dy[:-1].tolist(), strict=True))
            parts.append(f"M{xs[0]} {ys[0]}l{steps}z")
    return "".join(parts)


def _geometries(bbox, area_ids):
    """[(id, name, geometry)] for the given ids, or for the most detailed areas in bbox."""
    stmt = select(Area.id, Area.geom_wkb).where(Area.geom_wkb.is_not(None))
    if area_ids:
        stmt = stmt.where(Area.id.in_([int(i) for i in area_ids]))
    else:
        min_lon, min_lat, max_lon, max_lat = bbox
        gen = queries.current_generation()
        level = db.session.scalar(
            select(AreaType.level)
            .join(Area, Area.type_code == AreaType.code)
            .where(
                Area.min_lon <= max_lon,
                Area.max_lon >= min_lon,
                Area.min_lat <= max_lat,
                Area.max_lat >= min_lat,
                queries.in_generation(gen),
            )
            .order_by(AreaType.level.desc())
            .limit(1)
        )
        if level is None:
            return []
        stmt = stmt.join(AreaType, Area.type_code == AreaType.code).where(
            AreaType.level == level,
            Area.min_lon <= max_lon,
            Area.max_lon >= min_lon,
            Area.min_lat <= max_lat,
            Area.max_lat >= min_lat,
            queries.in_generation(gen),
        )
    rows = db.session.execute(stmt.limit(MAX_MAP_AREAS)).all()
    names = {a.id: a.name for a in queries.areas([r[0] for r in rows])}
    order = {int(i): n for n, i in enumerate(area_ids or ())}
    rows.sort(key=lambda r: order.get(r[0], 0))
    return [(r[0], names.get(r[0], ""), shapely.from_wkb(r[1])) for r in rows]


def map_svg(bbox, width=320, height=240, pins=(), area_ids=(), link_template=None) -> Markup:
    """An inline SVG map of bbox: simplified area outlines (optionally linked) and pins.

    link_template: e.g. "/en/areas/{id}" to make each outline a link.
    pins: (lat, lon, label) tuples.
    """
    frame = _frame(bbox, width, height)
    s = frame[3]
    min_lon, min_lat, max_lon, max_lat = bbox
    mx, my = (max_lon - min_lon) * 0.5 + 0.01, (max_lat - min_lat) * 0.5 + 0.01
    # Translators: accessible name of a small map picture
    label = escape(_("Map"))  # outside the f-string, so that pybabel extracts it
    out = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{label}">',
        '<g fill="#0b5cad" fill-opacity=".08" stroke="#0b5cad" stroke-width="1.5" fill-rule="evenodd">',
    ]
    for area_id, name, geom in _geometries(bbox, area_ids):
        geom = shapely.clip_by_rect(geom, min_lon - mx, min_lat - my, max_lon + mx, max_lat + my)
        geom = shapely.simplify(geom, 0.8 / s, preserve_topology=True)
        d = _path(geom, frame)
        if not d:
            continue
        path = f'<path d="{d}"><title>{escape(name)}</title></path>'
        if link_template:
            href = escape(link_template.format(id=area_id))
            path = f'<a href="{href}">{path}</a>'
        out.append(path)
    out.append("</g>")
    for lat, lon, label in pins:
        x, y = project(bbox, width, height, lat, lon)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="#b00020" stroke="#fff" stroke-width="2">'
            f"<title>{escape(label)}</title></circle>"
        )
    out.append("</svg>")
    return Markup("".join(out))


EARTH_RADIUS_M = 6371008.8  # mean radius (IUGG)


def _ring_area(coords) -> float:
    """Signed area of a lon/lat ring on the sphere, in m² (Chamberlain & Duquette, 2007)."""
    total = 0.0
    pts = [(p[0], p[1]) for p in coords]  # drop any z
    for (lon1, lat1), (lon2, lat2) in zip(pts, pts[1:] + pts[:1], strict=True):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return total * EARTH_RADIUS_M**2 / 2


def spherical_area_m2(geom) -> float:
    """Area of a WGS84 (multi)polygon in square metres: good to a fraction of a percent, with no
    projection library."""
    total = 0.0
    for poly in getattr(geom, "geoms", [geom]):
        if poly.geom_type != "Polygon":
            continue
        total += abs(_ring_area(poly.exterior.coords))
        total -= sum(abs(_ring_area(r.coords)) for r in poly.interiors)
    return total
