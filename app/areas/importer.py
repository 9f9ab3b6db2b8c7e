"""Importing boundaries (GeoJSON) and postcodes (CSV). Nothing here commits: the CLI does."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from shapely.geometry import shape
from sqlalchemy import func, select

from ..core.profile import current_profile
from ..extensions import db
from . import services
from .geo import polygonal
from .models import Area, AreaCode, AreaName, AreaType, Generation, fold

TYPE_CODE = re.compile(r"^[A-Z0-9_]{2,16}$")
WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "crs84",
    "epsg:4326",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:4326",
    "http://www.opengis.net/def/crs/epsg/0/4326",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
}


class ImportProblem(Exception):
    """Input that stops an import: the message says what and where."""


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    versioned: int = 0  # of the updated: changed areas given a new row for the new generation
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # shown first: the import worked, but look


def read_geojson(path: str) -> list[dict]:
    """The features of a GeoJSON file, or of every *.json / *.geojson file in a directory."""
    p = Path(path)
    if p.is_dir():
        files = sorted([*p.glob("*.json"), *p.glob("*.geojson")])
        if not files:
            raise ImportProblem(f"The directory {path} holds no .json or .geojson files.")
        return [f for file in files for f in read_geojson(str(file))]
    if not p.is_file():
        raise ImportProblem(f"File not found: {path}")
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportProblem(f"{path} is not valid JSON: {exc}") from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportProblem(f"{path} is not a GeoJSON FeatureCollection.")
    crs = data.get("crs")
    if crs:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else str(crs)
        if name.strip().lower() not in WGS84_NAMES:
            raise ImportProblem(
                f"{path} uses the coordinate system '{name}'; only WGS84 longitude/latitude "
                "(EPSG:4326 / CRS84) is supported. Convert it first, e.g. with "
                "`ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`."
            )
    return data["features"]


def ensure_type(code: str, names: dict | None = None, level: int | None = None) -> AreaType:
    if not TYPE_CODE.match(code or ""):
        raise ImportProblem(f"Area type code '{code}' must be 2-16 upper-case letters or digits, like 'WMC'.")
    t = db.session.get(AreaType, code)
    if t is None:
        t = AreaType(code=code, names=dict(names or {"": code}), level=level or 0)
        db.session.add(t)
    else:
        if names:
            t.names = {**(t.names or {}), **names}
        if level is not None:
            t.level = level
    services.invalidate()  # types are memoised per app context
    return t


def ensure_generation(number: int | None) -> int:
    if number is None:
        current = services.current_generation()
        if current is not None:
            return current
        number = 1
    if number < 1:
        raise ImportProblem("The generation must be a positive number.")
    if db.session.get(Generation, number) is None:
        # the first generation is live at once; later ones wait for `activate-generation`
        first = db.session.scalar(select(Generation.id).limit(1)) is None
        db.session.add(Generation(id=number, description=f"Generation {number}", active=first))
        db.session.flush()
        services.invalidate()  # the current generation is memoised per app context
    return number


def _props(feature, index: int, fields: list[str]) -> dict:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ImportProblem(f"Item {index + 1} of the FeatureCollection is not a Feature.")
    props = feature.get("properties") or {}
    for f in fields:
        if f not in props:
            known = ", ".join(sorted(props)) or "none"
            raise ImportProblem(f"Feature {index + 1} has no property '{f}' (it has: {known}).")
    return props


def import_features(
    features: list,
    *,
    type_code: str,
    name_field: str,
    name_lang: str | None = None,
    lang_fields: dict | None = None,
    code_field: str | None = None,
    code_scheme: str | None = None,
    parent_type: str | None = None,
    generation: int | None = None,
    type_names: dict | None = None,
    level: int | None = None,
) -> Summary:
    """Create or update one area per feature (matched by code, else by type and name)."""
    lang_fields = dict(lang_fields or {})
    if code_field and not code_scheme:
        raise ImportProblem("--code-field needs --code-scheme (for example 'gss').")
    if parent_type and db.session.get(AreaType, parent_type) is None:
        raise ImportProblem(f"The parent type '{parent_type}' does not exist; import those areas first.")
    is_new_type = db.session.get(AreaType, type_code) is None
    atype = ensure_type(type_code, type_names, level)
    if level is None and parent_type and not atype.level:
        atype.level = db.session.get(AreaType, parent_type).level + 1
    highest = db.session.scalar(select(func.max(Generation.id)))
    gen = ensure_generation(generation)
    summary = Summary()
    if highest is not None and gen > highest + 1:
        summary.warnings.append(
            f"Generation {gen} was created although the highest so far was {highest}: "
            f"generations {highest + 1}-{gen - 1} do not exist. Was --generation {highest + 1} meant?"
        )
    if is_new_type and not type_names:
        summary.warnings.append(_new_type_warning(type_code, atype.level))
    needed = [name_field, *lang_fields.values()] + ([code_field] if code_field else [])

    # 1. read and check every feature before touching anything
    items: dict[tuple, dict] = {}
    for i, feature in enumerate(features):
        props = _props(feature, i, needed)
        name = str(props.get(name_field) or "").strip()
        code = str(props.get(code_field) or "").strip() if code_field else ""
        label = name or code or f"#{i + 1}"
        if not feature.get("geometry"):
            summary.skipped += 1
            summary.notes.append(f"Skipped feature {i + 1} ({label}): no geometry.")
            continue
        if not name:
            summary.failed += 1
            summary.notes.append(f"Failed feature {i + 1}: empty '{name_field}'.")
            continue
        try:
            geom = polygonal(shape(feature["geometry"]))
        except Exception as exc:  # noqa: BLE001 - any broken geometry is reported, not raised
            geom = None
            summary.notes.append(f"Failed feature {i + 1} ({label}): bad geometry ({exc}).")
        else:
            if geom is None:
                summary.notes.append(f"Failed feature {i + 1} ({label}): no polygon in its geometry.")
        if geom is None:
            summary.failed += 1
            continue
        minx, miny, maxx, maxy = geom.bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            raise ImportProblem(
                f"Feature {i + 1} ({label}) has coordinates outside longitude/latitude ranges: "
                "the file is probably not in WGS84."
            )
        names = {lang: str(props.get(f) or "").strip() for lang, f in lang_fields.items()}
        if name_lang:
            names.setdefault(name_lang, name)
        key = ("code", code) if code else ("name", name)
        if key in items:  # the same area in several features: merge the pieces
            items[key]["geom"] = polygonal(shapely.union(items[key]["geom"], geom))
            continue
        items[key] = {"name": name, "code": code, "names": {k: v for k, v in names.items() if v}, "geom": geom}

    # 2. parents by containment, from the new geometries (they can make an area "changed")
    parents = _find_parents(items, parent_type, gen, summary) if parent_type else {}

    # 3. match existing areas: by code, else by type and name (several rows may share a code:
    #    the versions of one area in different generations; pick the one for `gen`)
    by_code: dict[str, list[Area]] = {}
    by_name: dict[str, list[Area]] = {}
    codes = [it["code"] for it in items.values() if it["code"]]
    if codes:
        for chunk in range(0, len(codes), 500):
            rows = db.session.execute(
                select(AreaCode.value, Area)
                .join(Area)
                .where(AreaCode.scheme == code_scheme, AreaCode.value.in_(codes[chunk : chunk + 500]))
            ).all()
            for v, a in rows:
                by_code.setdefault(v, []).append(a)
    for a in db.session.scalars(select(Area).where(Area.type_code == type_code)):
        by_name.setdefault(a.name, []).append(a)

    pending = not (db.session.get(Generation, gen).active)
    for key, it in items.items():
        area = _version_for(by_code.get(it["code"], []), gen) if it["code"] else None
        if area is None:
            area = _version_for(by_name.get(it["name"], []), gen)
            if area is not None and it["code"] and area.codes_dict().get(code_scheme) not in (None, it["code"]):
                area = None  # same name, different code: a different area
        parent_id = parents.get(key) if parent_type else None
        if area is None:
            area = Area(type_code=type_code, generation_low=gen, generation_high=gen)
            db.session.add(area)
            summary.created += 1
        else:
            if area.type_code != type_code:
                raise ImportProblem(f"The code '{it['code']}' already belongs to an area of type {area.type_code}.")
            summary.updated += 1
            older = area.generation_low is not None and area.generation_low < gen
            in_gen = area.generation_low is None or area.generation_low <= gen <= (area.generation_high or gen)
            if older and (pending or not in_gen) and _changed(area, it, code_scheme, parent_type, parent_id):
                # Changing this row would change the generations it already belongs to (the live
                # one among them): the new generation gets a new version of the area instead.
                area = _new_version(area, gen, in_gen)
                summary.versioned += 1
        _fill(area, it, gen, code_scheme)
        if parent_type:
            area.parent_id = parent_id
    db.session.flush()
    services.bump_index_version()
    return summary


def _version_for(candidates: list[Area], gen: int) -> Area | None:
    """Of the rows of one area, the one alive in `gen`, else the latest one."""
    if not candidates:
        return None
    for a in candidates:
        if a.generation_low is None or a.generation_low <= gen <= (a.generation_high or gen):
            return a
    return max(candidates, key=lambda a: (a.generation_high or 0, a.id or 0))


def _same_geometry(wkb: bytes | None, geom) -> bool:
    if wkb is None:
        return False
    new = shapely.to_wkb(geom)
    if wkb == new:
        return True
    old = shapely.from_wkb(wkb)
    return bool(shapely.equals_exact(shapely.normalize(old), shapely.normalize(geom), tolerance=1e-9))


def _changed(area: Area, it: dict, code_scheme: str | None, parent_type: str | None, parent_id) -> bool:
    if area.name != it["name"]:
        return True
    names = area.names_dict()
    if any(names.get(lang) != text for lang, text in it["names"].items()):
        return True
    if it["code"] and area.codes_dict().get(code_scheme) != it["code"]:
        return True
    if parent_type and area.parent_id != parent_id:
        return True
    return not _same_geometry(area.geom_wkb, it["geom"])


def _new_version(old: Area, gen: int, in_gen: bool) -> Area:
    """A copy of `old` (names, codes, parent) living from generation `gen`; `old` ends before it."""
    new = Area(
        type_code=old.type_code,
        parent_id=old.parent_id,
        generation_low=gen,
        generation_high=max(gen, old.generation_high or gen) if in_gen else gen,
    )
    if in_gen:
        old.generation_high = gen - 1
    for n in old.names:
        new.names.append(AreaName(lang=n.lang, name=n.name, folded=n.folded))
    for c in old.codes:
        new.codes.append(AreaCode(scheme=c.scheme, value=c.value))
    new.name = old.name
    db.session.add(new)
    return new


def _new_type_warning(code: str, level: int) -> str:
    """A type made up on the fly is named after its code ("UTA" as a heading): say how to name it."""
    tags = current_profile().language_tags
    names = " ".join(f"--name {tag}=NAME" for tag in tags)
    return (
        f"The area type {code} did not exist, so it was created with its code as its name and level "
        f"{level}. Give it its names and level: flask areas type {code} --level N {names}"
    )


def _fill(area: Area, it: dict, gen: int, code_scheme: str | None) -> None:
    geom = it["geom"]
    old_name = area.name
    area.name = it["name"]
    area.name_folded = fold(it["name"])
    if area.generation_low is None or area.generation_low > gen:
        area.generation_low = gen
    area.generation_high = max(gen, area.generation_high or gen)
    area.geom_wkb = shapely.to_wkb(geom)
    area.min_lon, area.min_lat, area.max_lon, area.max_lat = geom.bounds
    point = geom.representative_point()  # always inside, unlike a centroid
    area.centre_lon, area.centre_lat = point.x, point.y
    existing = {n.lang: n for n in area.names}
    if old_name and old_name != it["name"]:  # a renamed area: its copies of the old name follow
        for lang, n in existing.items():
            if n.name == old_name and lang not in it["names"]:
                n.name, n.folded = it["name"], fold(it["name"])
    for lang, text in it["names"].items():
        if lang in existing:
            existing[lang].name, existing[lang].folded = text, fold(text)
        else:
            area.names.append(AreaName(lang=lang, name=text, folded=fold(text)))
    if it["code"]:
        codes = {c.scheme: c for c in area.codes}
        if code_scheme in codes:
            codes[code_scheme].value = it["code"]
        else:
            area.codes.append(AreaCode(scheme=code_scheme, value=it["code"]))


def _find_parents(items: dict, parent_type: str, gen: int, summary: Summary) -> dict:
    """{item key: id of the parent-type area (in generation `gen`) holding it, or None}."""
    rows = db.session.execute(
        select(Area.id, Area.geom_wkb).where(
            Area.type_code == parent_type, Area.geom_wkb.is_not(None), services.in_generation(gen)
        )
    ).all()
    if not rows:
        raise ImportProblem(f"There are no areas of the parent type '{parent_type}' in generation {gen}.")
    ids = [r[0] for r in rows]
    geoms = shapely.from_wkb([r[1] for r in rows])
    shapely.prepare(geoms)
    tree = shapely.STRtree(geoms)
    out = {}
    for key, it in items.items():
        geom = it["geom"]
        point = geom.representative_point()
        cand = tree.query(point)
        inside = [int(c) for c in cand if shapely.intersects(geoms[c], point)]
        if len(inside) != 1:  # on a border, or in a gap: pick the parent it overlaps most
            best, best_area = None, 0.0
            for c in tree.query(geom):
                overlap = shapely.area(shapely.intersection(geoms[c], geom))
                if overlap > best_area:
                    best, best_area = int(c), overlap
            inside = [best] if best is not None else []
        if inside:
            out[key] = ids[inside[0]]
        else:
            out[key] = None
            summary.notes.append(f"No {parent_type} area contains {it['name']}; it has no parent.")
    return out
