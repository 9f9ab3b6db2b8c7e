"""The Demo Republic's fictional map: three regions (REG), each split into two districts (DIS),
on a slightly jittered grid around the demo profile's map centre. Re-running updates in place."""

from __future__ import annotations

import math

from shapely.geometry import Polygon, mapping
from shapely.ops import unary_union

from ..core.profile import current_profile
from . import importer, services

REGIONS = [
    {
        "code": "REG-N",
        "en": "Northern Hills",
        "es": "Colinas del Norte",
        "fr": "Collines du Nord",
        "ar": "التلال الشمالية",
    },
    {"code": "REG-R", "en": "River Valley", "es": "Valle del Río", "fr": "Vallée de la Rivière", "ar": "وادي النهر"},
    {"code": "REG-C", "en": "Coastal Plain", "es": "Llanura Costera", "fr": "Plaine Côtière", "ar": "السهل الساحلي"},
]
DISTRICTS = [
    {"code": "DIS-1", "en": "Oakford", "es": "Robledo", "fr": "Chênegué", "ar": "أوكفورد"},
    {"code": "DIS-2", "en": "Pinecrest", "es": "Cumbre de Pinos", "fr": "Crête-des-Pins", "ar": "قمة الصنوبر"},
    {"code": "DIS-3", "en": "Millbrook", "es": "Arroyo del Molino", "fr": "Moulin-du-Ruisseau", "ar": "جدول الطاحونة"},
    {"code": "DIS-4", "en": "Stonebridge", "es": "Puente de Piedra", "fr": "Pont-de-Pierre", "ar": "الجسر الحجري"},
    {"code": "DIS-5", "en": "Saltmarsh", "es": "Salinas", "fr": "Marais-Salant", "ar": "المستنقع المالح"},
    {"code": "DIS-6", "en": "Harbourview", "es": "Vista al Puerto", "fr": "Vue-sur-le-Port", "ar": "إطلالة الميناء"},
]
TYPES = {
    "REG": ({"en": "Region", "es": "Región", "fr": "Région", "ar": "إقليم"}, 1),
    "DIS": ({"en": "District", "es": "Distrito", "fr": "District", "ar": "مديرية"}, 2),
}
COLS, ROWS = 6, 4  # grid cells: each region is 2 columns wide, each district 2 x 2 cells


def _grid(lat0: float, lon0: float):
    """Vertices of a (COLS+1) x (ROWS+1) grid, interior points nudged so borders look drawn."""
    pts = {}
    for i in range(COLS + 1):
        for j in range(ROWS + 1):
            lon = lon0 - 0.6 + i * 0.2
            lat = lat0 + 0.4 - j * 0.2
            if 0 < i < COLS and 0 < j < ROWS:
                lon += 0.05 * math.sin(i * 2.1 + j * 1.3)
                lat += 0.05 * math.cos(i * 1.7 - j * 2.3)
            pts[i, j] = (round(lon, 5), round(lat, 5))
    return pts


def _cells(pts, i0, j0, w, h):
    cells = [
        Polygon([pts[i, j], pts[i + 1, j], pts[i + 1, j + 1], pts[i, j + 1]])
        for i in range(i0, i0 + w)
        for j in range(j0, j0 + h)
    ]
    return unary_union(cells)


def _feature(geom, item):
    props = {"code": item["code"], **{k: item[k] for k in ("en", "es", "fr", "ar")}}
    return {"type": "Feature", "geometry": mapping(geom), "properties": props}


def demo_features():
    prof = current_profile()
    pts = _grid(prof.map_lat, prof.map_lon)
    regions, districts = [], []
    for r, region in enumerate(REGIONS):
        regions.append(_feature(_cells(pts, r * 2, 0, 2, ROWS), region))
        for d in range(2):
            districts.append(_feature(_cells(pts, r * 2, d * 2, 2, 2), DISTRICTS[r * 2 + d]))
    return regions, districts


def load_demo(*_args, **_kwargs) -> str:
    """Called by `flask demo load` (which commits)."""
    regions, districts = demo_features()
    for code, (names, level) in TYPES.items():
        importer.ensure_type(code, names, level)
    langs = {lang: lang for lang in ("es", "fr", "ar")}
    common = {"name_field": "en", "name_lang": "en", "lang_fields": langs, "code_field": "code", "code_scheme": "demo"}
    a = importer.import_features(regions, type_code="REG", **common)
    b = importer.import_features(districts, type_code="DIS", parent_type="REG", **common)
    services.bump_index_version()
    return f"areas: {a.created + b.created} created, {a.updated + b.updated} updated"
