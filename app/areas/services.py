"""The areas component's public face: point lookup, area facts, place search, SVG maps.

Other components call only these functions and get frozen dataclasses back. Services never
commit. Point lookups use a shapely STRtree built lazily per database and kept in a module-level
cache keyed by the database's 'index_version' setting, which every import changes: each worker
reads that value once per request (app context) and rebuilds its index when it differs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import shapely
from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ..core.formatting import parse_digits
from ..core.ids import MAX_ID
from ..core.profile import current_profile
from ..extensions import db
from .geo import map_svg, project, unproject  # noqa: F401  (part of the public contract)
from .models import Area, AreaCode, AreaName, AreaType, fold
from .postcode_lookup import display_postcode, postcode_point, ward_shortcuts  # noqa: F401 - part of the door
from .queries import (  # noqa: F401 - AreaInfo and the index functions are part of the door
    AreaInfo,
    _generation_filter,
    _Index,
    _index,
    _infos,
    _lang_tag,
    _make_info,
    _pick,
    _raw,
    _types,
    areas,
    bump_index_version,
    current_generation,
    in_generation,
    invalidate,
    postcodes_in_box,
)


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float
    area_id: int | None
    kind: str  # "area" | "postcode" | "coords"


# -- lookups --------------------------------------------------------------------------
def _point_ids(lat, lon, types=None, generation=None, min_generation=None) -> tuple[_Index, list[int]]:
    idx = _index()
    wanted = set(types) if types else None
    gen = generation if generation is not None else idx.current
    out = []
    for area_id in idx.hits(float(lon), float(lat)):
        raw = idx.raw[area_id]
        if wanted and raw[2] not in wanted:
            continue
        low, high = raw[5], raw[6]
        if low is not None:
            if min_generation is not None:
                if high < min_generation or (idx.current is not None and low > idx.current):
                    continue
            elif gen is not None and not (low <= gen <= high):
                continue
        out.append(area_id)
    return idx, out


def areas_at(lat, lon, types=None, generation=None, min_generation=None) -> list[AreaInfo]:
    """Areas covering the point (a point on a boundary counts as inside), least detailed first."""
    idx, ids = _point_ids(lat, lon, types, generation, min_generation)
    tag = _lang_tag()
    infos = [_make_info(i, idx.raw[i], idx.types, tag) for i in ids]
    return sorted(infos, key=lambda a: (a.level, a.name, a.id))


def overlapping(area_id, min_share: float = 0.01, generation=None) -> list[AreaInfo]:
    """The area itself and every area of its generation that shares a real part of it: at least
    `min_share` of the smaller of the two (so neighbours touching along a border, or overlapping
    by a simplification sliver, are left out). Least detailed first. For "whose representatives
    cover this council?": its constituencies, its region, its wards."""
    try:
        area_id = int(area_id)
    except (TypeError, ValueError):
        return []
    idx = _index()
    if not 0 < area_id <= MAX_ID or area_id not in idx.raw:
        return []
    pos = int(np.nonzero(idx.ids == area_id)[0][0])
    geom = idx.geoms[pos]
    gen = generation if generation is not None else idx.current
    own_size = shapely.area(geom)
    out = []
    for c in idx.tree.query(geom, predicate="intersects"):
        other_id = int(idx.ids[c])
        low, high = idx.raw[other_id][5], idx.raw[other_id][6]
        if other_id != area_id and low is not None and gen is not None and not (low <= gen <= high):
            continue
        if other_id != area_id:
            other = idx.geoms[c]
            smaller = min(own_size, shapely.area(other))
            if smaller <= 0 or shapely.area(shapely.intersection(geom, other)) < min_share * smaller:
                continue
        out.append(other_id)
    tag = _lang_tag()
    infos = [_make_info(i, idx.raw[i], idx.types, tag) for i in out]
    return sorted(infos, key=lambda a: (a.level, a.name, a.id))


# Ids live in 32-bit INTEGER columns (PostgreSQL): bigger numbers (core.ids.MAX_ID) are simply
# unknown, and must not reach the database, which would fail the whole transaction.
def area(area_id) -> AreaInfo | None:
    try:
        area_id = int(area_id)
    except (TypeError, ValueError):
        return None
    if not 0 < area_id <= MAX_ID:
        return None
    idx = _index()  # the in-memory index holds every area's facts: no SQL
    if area_id in idx.raw:
        return _make_info(area_id, idx.raw[area_id], idx.types, _lang_tag())
    if idx.complete:
        return None
    row = db.session.get(Area, area_id)
    return _infos([row])[0] if row else None


def _alive(raw: tuple, gen: int | None) -> bool:
    low, high = raw[5], raw[6]
    return gen is None or low is None or (low <= gen <= high)


def children(area_id, types=None, generation=None, min_generation=None) -> list[AreaInfo]:
    idx = _index()
    if idx.complete and min_generation is None:
        gen = generation if generation is not None else idx.current
        tag, raw = _lang_tag(), idx.raw
        kids = [
            _make_info(i, raw[i], idx.types, tag)
            for i in idx.kids.get(int(area_id), ())
            if _alive(raw[i], gen) and (not types or raw[i][2] in types)
        ]
        return sorted(kids, key=lambda a: (a.name, a.id))
    stmt = select(Area).where(Area.parent_id == int(area_id), _generation_filter(generation, min_generation))
    if types:
        stmt = stmt.where(Area.type_code.in_(list(types)))
    return sorted(_infos(db.session.scalars(stmt)), key=lambda a: (a.name, a.id))


def areas_of_type(types, generation=None, limit=None, offset=0, min_generation=None) -> tuple[list[AreaInfo], int]:
    where = (Area.type_code.in_(list(types)), _generation_filter(generation, min_generation))
    total = db.session.scalar(select(func.count(Area.id)).where(*where)) or 0
    stmt = select(Area).where(*where).order_by(Area.name_folded, Area.id).offset(offset)
    if limit:
        stmt = stmt.limit(limit)
    return _infos(db.session.scalars(stmt)), total


def type_counts() -> list[tuple[str, str, int, int]]:
    """(code, translated name, level, number of current areas) for every area type."""
    gen = current_generation()
    counts = dict(
        db.session.execute(
            select(Area.type_code, func.count(Area.id)).where(in_generation(gen)).group_by(Area.type_code)
        ).all()
    )
    tag, default = _lang_tag(), current_profile().default_language
    out = [
        (t.code, t.name_in(tag, default), t.level, counts.get(t.code, 0)) for t in db.session.scalars(select(AreaType))
    ]
    return sorted(out, key=lambda x: (x[2], x[1]))


def all_names(area_id: int) -> dict[str, str]:
    idx = _index()
    if int(area_id) in idx.raw:
        return dict(idx.raw[int(area_id)][1])
    return dict(db.session.execute(select(AreaName.lang, AreaName.name).where(AreaName.area_id == area_id)).all())


def add_missing_names(area_id: int, names: dict[str, str]) -> int:
    """Give an area names in languages it has none in ({lang: name}); never overwrites a name
    (imported boundaries win). Returns how many were added. The caller commits."""
    have = {lang.lower() for lang in db.session.scalars(select(AreaName.lang).where(AreaName.area_id == area_id))}
    added = 0
    for lang, name in names.items():
        name = (name or "").strip()[:300]
        if lang and name and lang.lower() not in have:
            db.session.add(AreaName(area_id=area_id, lang=lang[:35], name=name, folded=fold(name)))
            have.add(lang.lower())
            added += 1
    if added:
        bump_index_version()
    return added


def geometry(area_id: int):
    """The shapely geometry of an area, or None."""
    wkb = db.session.scalar(select(Area.geom_wkb).where(Area.id == int(area_id)))
    return shapely.from_wkb(wkb) if wkb else None


def centroid(area_id) -> tuple[float, float] | None:
    row = db.session.execute(select(Area.centre_lat, Area.centre_lon).where(Area.id == int(area_id))).first()
    return (row[0], row[1]) if row and row[0] is not None else None


def bbox(area_id) -> tuple[float, float, float, float] | None:
    row = db.session.execute(
        select(Area.min_lon, Area.min_lat, Area.max_lon, Area.max_lat).where(Area.id == int(area_id))
    ).first()
    return tuple(row) if row and row[0] is not None else None


def find_area_by_code(scheme: str, value: str, generation=None, strict: bool = False) -> AreaInfo | None:
    """The area with this code in `generation` (default: the current one). Several rows may
    share a code (versions of one area in different generations): without `strict`, an area no
    longer in that generation is still found (its latest version), so old links keep resolving."""
    rows = list(
        db.session.scalars(select(Area).join(AreaCode).where(AreaCode.scheme == scheme, AreaCode.value == value))
    )
    if not rows:
        return None
    gen = generation if generation is not None else current_generation()
    alive = [
        a
        for a in rows
        if gen is None or a.generation_low is None or (a.generation_low <= gen <= (a.generation_high or gen))
    ]
    if alive:
        return _infos([min(alive, key=lambda a: a.id)])[0]
    if strict:
        return None
    return _infos([max(rows, key=lambda a: (a.generation_high or 0, a.id))])[0]


def versions(area_ids) -> dict[int, int]:
    """{id of any version of these areas: the given id}. A changed area gets a new row in a new
    generation (same type and code); records tied to one version (a post, a body's area) still
    belong to the area, so other components look them up through all its versions."""
    ids = [i for i in (int(x) for x in area_ids) if 0 < i <= MAX_ID]
    out = {i: i for i in ids}
    if not ids:
        return out
    mine, other = aliased(AreaCode), aliased(AreaCode)
    mine_area, other_area = aliased(Area), aliased(Area)
    stmt = (
        select(mine.area_id, other.area_id)
        .join(mine_area, mine_area.id == mine.area_id)
        .join(other, (other.scheme == mine.scheme) & (other.value == mine.value) & (other.area_id != mine.area_id))
        .join(other_area, (other_area.id == other.area_id) & (other_area.type_code == mine_area.type_code))
        .where(mine.area_id.in_(ids))
    )
    for owner, area_id in db.session.execute(stmt):
        out.setdefault(area_id, owner)
    return out


def _name_filter(folded: str, mode: str):
    if mode == "exact":
        own, other = Area.name_folded == folded, AreaName.folded == folded
    elif mode == "prefix":
        own, other = (
            Area.name_folded.startswith(folded, autoescape=True),
            AreaName.folded.startswith(folded, autoescape=True),
        )
    else:
        own, other = (
            Area.name_folded.contains(folded, autoescape=True),
            AreaName.folded.contains(folded, autoescape=True),
        )
    return or_(own, Area.id.in_(select(AreaName.area_id).where(other)))


def find_areas_by_name(
    name: str,
    type=None,
    mode: str = "exact",
    generation=None,
    limit=None,  # noqa: A002
    min_generation=None,
) -> list[AreaInfo]:
    """Areas named `name` in any language, ignoring case and accents (mode: exact|prefix|contains)."""
    folded = fold(name)
    if not folded:
        return []
    stmt = select(Area).where(_name_filter(folded, mode), _generation_filter(generation, min_generation))
    if type:
        stmt = stmt.where(Area.type_code.in_([type] if isinstance(type, str) else list(type)))
    stmt = stmt.order_by(Area.name_folded, Area.id)
    if limit:
        stmt = stmt.limit(limit)
    return _infos(db.session.scalars(stmt))


# -- place search ---------------------------------------------------------------------
_COORDS = re.compile(r"^\s*([+-]?\d{1,3}(?:\.\d+)?)\s*[,;\s\u060c]\s*([+-]?\d{1,3}(?:\.\d+)?)\s*$")


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """'51.48, -3.18' (lat, lon; native digits allowed) -> (lat, lon), or None."""
    m = _COORDS.match(parse_digits(text or ""))
    if not m:
        return None
    lat, lon = float(m.group(1)), float(m.group(2))
    if -90 <= lat <= 90 and -180 <= lon <= 180:
        return lat, lon
    return None


def example_postcode(area_id: int) -> str | None:
    """One postcode whose centre lies in the area (the first by code among a bounded sample of
    those in its bounding box), written the country's way; None when there is none."""
    geom = geometry(area_id)
    if geom is None:
        return None
    rows = postcodes_in_box(*geom.bounds)
    if not rows:
        return None
    inside = shapely.contains_xy(geom, np.array([r[2] for r in rows]), np.array([r[1] for r in rows]))
    found = next((r[0] for r, ok in zip(rows, inside, strict=True) if ok), None)
    return display_postcode(found) if found else None


def search_places(text: str, limit: int = 10) -> list[Place]:
    """Places matching `text`: coordinates 'lat, lon', a postcode, or area names in any language."""
    text = (text or "").strip()[:200]
    if not text:
        return []
    coords = parse_coordinates(text)
    if coords:
        found = areas_at(*coords)
        label = f"{coords[0]:.5f}, {coords[1]:.5f}"
        return [Place(label, coords[0], coords[1], found[-1].id if found else None, "coords")]
    out: list[Place] = []
    pc = postcode_point(text)
    if pc:
        found = areas_at(pc[1], pc[2])
        out.append(Place(display_postcode(pc[0]), pc[1], pc[2], found[-1].id if found else None, "postcode"))
    folded = fold(text)
    matches = find_areas_by_name(text, mode="contains", limit=max(limit * 5, 50))

    def rank(a: AreaInfo):
        f = fold(a.name)
        return (0 if f == folded else 1 if f.startswith(folded) else 2, a.level, f, a.id)

    matches = sorted(matches, key=rank)[: max(0, limit - len(out))]
    centres = {}
    if matches:
        centres = {
            r[0]: (r[1], r[2])
            for r in db.session.execute(
                select(Area.id, Area.centre_lat, Area.centre_lon).where(Area.id.in_([a.id for a in matches]))
            )
        }
    for a in matches:
        lat, lon = centres.get(a.id, (None, None))
        if lat is None:
            continue
        # Translators: a place in search results: an area's name and its type, e.g. "Cardiff, Council"
        out.append(Place(_("%(name)s, %(type)s", name=a.name, type=a.type_name), lat, lon, a.id, "area"))
    return out[:limit]
