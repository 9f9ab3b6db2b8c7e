"""Areas' internal reads: the language of names, area records, generations and the spatial
index every lookup uses. Other components use services.py, which builds on this."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

import numpy as np
import shapely
from flask import g, has_app_context
from sqlalchemy import func, or_, select

from ..core.i18n import current_language
from ..core.ids import MAX_ID
from ..core.profile import current_profile
from ..extensions import db
from .models import Area, AreaCode, AreaName, AreaSetting, AreaType, Generation, Postcode


@dataclass(frozen=True)
class AreaInfo:
    id: int
    name: str
    type: str
    type_name: str
    level: int
    parent_id: int | None
    codes: dict
    generation_low: int | None
    generation_high: int | None


# -- language helpers ---------------------------------------------------------------
def _lang_tag() -> str:
    return current_language().tag


def _pick(names: dict, default: str, tag: str) -> str:
    return names.get(tag) or names.get(tag.split("-")[0]) or default


# -- raw records shared by the index and the database paths ------------------------
# (name, names, type_code, parent_id, codes, generation_low, generation_high)
def _memo(key: str, load):
    """`load()` once per app context (a request asks for types and generation several times);
    invalidate() forgets them with the index version."""
    if not has_app_context():
        return load()
    if key not in g:
        setattr(g, key, load())
    return g.get(key)


def _types() -> dict[str, tuple[dict, int]]:
    return _memo(
        "areas_types", lambda: {t.code: (t.names or {}, t.level) for t in db.session.scalars(select(AreaType))}
    )


def _make_info(area_id: int, raw: tuple, types: dict, tag: str) -> AreaInfo:
    name, names, type_code, parent_id, codes, low, high = raw
    tnames, level = types.get(type_code, ({}, 0))
    default = current_profile().default_language
    type_name = tnames.get(tag) or tnames.get(tag.split("-")[0]) or tnames.get(default) or tnames.get("")
    return AreaInfo(
        id=area_id,
        name=_pick(names, name, tag),
        type=type_code,
        type_name=type_name or next((v for v in tnames.values() if v), type_code),
        level=level,
        parent_id=parent_id,
        codes=dict(codes),
        generation_low=low,
        generation_high=high,
    )


def _raw(area: Area) -> tuple:
    return (
        area.name,
        area.names_dict(),
        area.type_code,
        area.parent_id,
        area.codes_dict(),
        area.generation_low,
        area.generation_high,
    )


def _infos(rows) -> list[AreaInfo]:
    types, tag = _types(), _lang_tag()
    return [_make_info(a.id, _raw(a), types, tag) for a in rows]


def areas(ids) -> list[AreaInfo]:
    """The areas with these ids, in that order (unknown ids left out)."""
    ids = [i for i in (int(i) for i in ids) if 0 < i <= MAX_ID]
    if not ids:
        return []
    rows = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(ids)))}
    return _infos([rows[i] for i in ids if i in rows])


# -- generations --------------------------------------------------------------------
def current_generation() -> int | None:
    return _memo(
        "areas_current_generation",
        lambda: db.session.scalar(select(func.max(Generation.id)).where(Generation.active.is_(True))),
    )


def in_generation(gen: int | None):
    """SQL filter: areas alive in generation `gen` (areas without generations always are)."""
    if gen is None:
        return True
    return or_(Area.generation_low.is_(None), (Area.generation_low <= gen) & (Area.generation_high >= gen))


def _generation_filter(generation=None, min_generation=None):
    """SQL filter: alive in `generation` (default: the current one), or, with `min_generation`,
    alive at some point from `min_generation` up to the current generation (MapIt's meaning)."""
    current = current_generation()
    if min_generation is not None:
        upto = current if current is not None else min_generation
        return or_(
            Area.generation_low.is_(None), (Area.generation_high >= min_generation) & (Area.generation_low <= upto)
        )
    return in_generation(generation if generation is not None else current)


# -- the spatial index ----------------------------------------------------------------
class _Index:
    def __init__(self, version):
        self.version = version
        rows = db.session.execute(
            select(
                Area.id,
                Area.geom_wkb,
                Area.name,
                Area.type_code,
                Area.parent_id,
                Area.generation_low,
                Area.generation_high,
            ).where(Area.geom_wkb.is_not(None))
        ).all()
        names: dict[int, dict] = {}
        for area_id, lang, name in db.session.execute(select(AreaName.area_id, AreaName.lang, AreaName.name)):
            names.setdefault(area_id, {})[lang] = name
        codes: dict[int, dict] = {}
        for area_id, scheme, value in db.session.execute(select(AreaCode.area_id, AreaCode.scheme, AreaCode.value)):
            codes.setdefault(area_id, {})[scheme] = value
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.geoms = shapely.from_wkb([r[1] for r in rows]) if rows else np.array([], dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        self.raw = {r[0]: (r[2], names.get(r[0], {}), r[3], r[4], codes.get(r[0], {}), r[5], r[6]) for r in rows}
        self.types = _types()
        self.current = current_generation()
        # Area facts are served from here when every area is in the index (none lacks a shape).
        self.complete = db.session.scalar(select(func.count()).where(Area.geom_wkb.is_(None))) == 0
        self.kids: dict[int, list[int]] = {}
        for area_id, raw in self.raw.items():
            if raw[3] is not None:
                self.kids.setdefault(raw[3], []).append(area_id)

    def hits(self, lon: float, lat: float) -> list[int]:
        point = shapely.Point(lon, lat)
        candidates = self.tree.query(point)
        if len(candidates) == 0:
            return []
        inside = shapely.intersects(self.geoms[candidates], point)  # boundary counts as inside
        return [int(i) for i in self.ids[candidates[inside]]]


_CACHE: dict[str, _Index] = {}
_LOCK = threading.Lock()
_VERSION_KEY = "index_version"


def _db_version():
    if has_app_context() and "areas_index_version" in g:
        return g.areas_index_version
    version = db.session.scalar(select(AreaSetting.value).where(AreaSetting.key == _VERSION_KEY))
    if has_app_context():
        g.areas_index_version = version
    return version


def _index() -> _Index:
    key = str(db.engine.url)
    version = _db_version()
    idx = _CACHE.get(key)
    if idx is None or idx.version != version:
        with _LOCK:
            idx = _CACHE.get(key)
            if idx is None or idx.version != version:
                idx = _Index(version)
                _CACHE[key] = idx
    return idx


def bump_index_version() -> None:
    """Mark the areas as changed (in the caller's transaction) so every worker rebuilds."""
    setting = db.session.get(AreaSetting, _VERSION_KEY)
    if setting is None:
        db.session.add(AreaSetting(key=_VERSION_KEY, value=uuid.uuid4().hex))
    else:
        setting.value = uuid.uuid4().hex
    invalidate()


def invalidate() -> None:
    """Forget this process's index (call after the transaction that changed areas)."""
    _CACHE.clear()
    if has_app_context():
        for key in ("areas_index_version", "areas_types", "areas_current_generation"):
            g.pop(key, None)


# -- reads for the MapIt-style API ------------------------------------------------------
def default_name(area_id: int) -> str:
    return db.session.scalar(select(Area.name).where(Area.id == area_id)) or ""


def names_by_area(ids: list[int]) -> dict[int, dict[str, str]]:
    """{area id: {language tag: name, "": the import's name}}, two queries per 500 areas."""
    names: dict[int, dict] = {i: {} for i in ids}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for area_id, name in db.session.execute(select(Area.id, Area.name).where(Area.id.in_(chunk))):
            names[area_id][""] = name
        for area_id, lang, name in db.session.execute(
            select(AreaName.area_id, AreaName.lang, AreaName.name).where(AreaName.area_id.in_(chunk))
        ):
            names[area_id][lang] = name
    return names


def type_codes() -> set[str]:
    return set(db.session.scalars(select(AreaType.code)))


def generations() -> list[Generation]:
    return list(db.session.scalars(select(Generation).order_by(Generation.id)))


def area_types() -> list[AreaType]:
    return list(db.session.scalars(select(AreaType).order_by(AreaType.level, AreaType.code)))


def type_counts_in(generation) -> dict[str, int]:
    """How many areas of each type the generation holds."""
    return dict(
        db.session.execute(
            select(Area.type_code, func.count(Area.id)).where(in_generation(generation)).group_by(Area.type_code)
        ).all()
    )


def postcodes_in_box(min_lon, min_lat, max_lon, max_lat, limit: int = 500) -> list[tuple[str, float, float]]:
    """(code, lat, lon) of postcodes inside a bounding box, by code (a bounded, indexed-range read)."""
    stmt = (
        select(Postcode.code, Postcode.lat, Postcode.lon)
        .where(Postcode.lat.between(min_lat, max_lat), Postcode.lon.between(min_lon, max_lon))
        .order_by(Postcode.code)
        .limit(limit)
    )
    return [tuple(r) for r in db.session.execute(stmt)]
