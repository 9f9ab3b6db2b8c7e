"""Distances and boxes on the globe, and the clickable SVG map's boxes, pans and zooms."""

from __future__ import annotations

import math

from ..areas import services as areas
from ..core.profile import current_profile

MAP_W, MAP_H = 320, 240
# A map click is taken as the problem's place only when a pixel is at most this many metres;
# on a wider map it zooms in (ZOOM_STEP times, down to that scale) around the click first.
PRECISE_M_PER_PX = 25
ZOOM_STEP = 4


def distance_m(lat1, lon1, lat2, lon2) -> float:
    r = 6371008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def box_around(lat, lon, radius_m):
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def finite_point(lat, lon) -> bool:
    """A real point on the globe (no NaN, no infinity, within the coordinate ranges)."""
    try:
        return (
            lat is not None
            and lon is not None
            and math.isfinite(lat)
            and math.isfinite(lon)
            and -90 <= lat <= 90
            and -180 <= lon <= 180
        )
    except TypeError:
        return False


def parse_float(value):
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def point_from_args(args):
    lat, lon = parse_float(args.get("lat")), parse_float(args.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def default_bbox():
    prof = current_profile()
    span = 360 / 2 ** max(prof.map_zoom, 1) * 1.25
    return around(prof.map_lat, prof.map_lon, span)


def around(lat, lon, span_lon):
    span_lat = span_lon * MAP_H / MAP_W * math.cos(math.radians(lat))
    return (lon - span_lon / 2, lat - span_lat / 2, lon + span_lon / 2, lat + span_lat / 2)


def parse_bbox(text):
    try:
        parts = [float(x) for x in (text or "").split(",")]
    except ValueError:
        return None
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        return None
    a, b, c, d = parts
    if not (-180 <= a < c <= 180 and -90 <= b < d <= 90) or c - a < 1e-4:
        return None
    return a, b, c, d


def fmt_bbox(b):
    return ",".join(f"{x:.5f}" for x in b)


def map_links(b):
    """Pan and zoom: the same map moved or scaled, as plain links."""
    a, s, c, n = b
    w, h = c - a, n - s
    cx, cy = (a + c) / 2, (s + n) / 2

    def box(x0, y0, x1, y1):
        return fmt_bbox((x0, y0, x1, y1))

    return {
        "north": box(a, s + h / 2, c, n + h / 2),
        "south": box(a, s - h / 2, c, n - h / 2),
        "west": box(a - w / 2, s, c - w / 2, n),
        "east": box(a + w / 2, s, c + w / 2, n),
        "zoom_in": box(cx - w / 4, cy - h / 4, cx + w / 4, cy + h / 4),
        "zoom_out": box(cx - w, cy - h, cx + w, cy + h),
    }


def m_per_deg_lon(lat) -> float:
    return 111_320 * max(0.01, math.cos(math.radians(lat)))


def metres_per_pixel(b) -> float:
    return (b[2] - b[0]) * m_per_deg_lon((b[1] + b[3]) / 2) / MAP_W


def clamp_bbox(b):
    """A map box moved (not shrunk) to stay on the globe."""
    a, s, c, n = b
    if a < -180:
        a, c = -180, c - a - 180
    if c > 180:
        a, c = a - (c - 180), 180
    if s < -90:
        s, n = -90, n - s - 90
    if n > 90:
        s, n = s - (n - 90), 90
    return max(a, -180), max(s, -90), min(c, 180), min(n, 90)


def place_bbox(place):
    """The map of a place found by name: its area's extent (a little margin, the map's shape),
    else the streets around its point."""
    box = areas.bbox(place.area_id) if place.area_id else None
    lat, lon = place.lat, place.lon
    span = 0.01
    if box:
        a, s, c, n = box
        lat, lon = (s + n) / 2, (a + c) / 2
        span = max(c - a, (n - s) / (MAP_H / MAP_W * max(0.01, math.cos(math.radians(lat))))) * 1.1
        span = min(max(span, 0.005), 300)
    return clamp_bbox(around(lat, lon, span))


def area_bbox(area_id):
    """The map box of an area's extent, or None when it has no geometry."""
    if areas.bbox(area_id) is None:
        return None
    return place_bbox(_AreaPlace(area_id))


class _AreaPlace:
    def __init__(self, area_id):
        self.area_id, self.lat, self.lon = area_id, 0, 0


def clicked_point(b, x, y):
    """The map click as (lat, lon, moved), kept inside the map shown (and the globe): a click (or
    a hand-made URL) off the picture lands on its nearest edge, and `moved` says so."""
    cx, cy = min(max(x, 0), MAP_W), min(max(y, 0), MAP_H)
    lat, lon = areas.unproject(b, MAP_W, MAP_H, cx, cy)
    a, s, c, n = b
    lat2, lon2 = min(max(lat, s, -90), n, 90), min(max(lon, a, -180), c, 180)
    return lat2, lon2, (cx, cy) != (x, y) or (lat2, lon2) != (lat, lon)


def zoom_towards(b, lat, lon):
    """The next map after a click on a map too wide to mark a spot: closer, around the click."""
    span = max((b[2] - b[0]) / ZOOM_STEP, 0.98 * PRECISE_M_PER_PX * MAP_W / m_per_deg_lon(lat))
    centre = min(max(lat, -85), 85)  # (the map has no height at the poles)
    return clamp_bbox(around(centre, lon, span))


def report_map(report, width=240, height=160):
    """The small SVG map of one report's place."""
    return areas.map_svg(
        around(report.lat, report.lon, 0.008), width, height, pins=[(report.lat, report.lon, report.title)]
    )
