"""MapIt-compatible JSON API under /mapit/ (no language prefix).

Lists are objects keyed by area id (string keys); errors are {"error": ..., "code": N} with that
status; every answer carries Access-Control-Allow-Origin: *. See docs/api-areas.md.
"""

from __future__ import annotations

import functools
import re

import shapely
from babel import Locale, UnknownLocaleError
from flask import Blueprint, current_app, g, jsonify, redirect, request, url_for
from werkzeug.datastructures import MultiDict

from ..core.profile import current_profile
from ..extensions import csrf
from . import queries, services
from .geo import spherical_area_m2

bp = Blueprint("areas_api", __name__)
csrf.exempt(bp)

_INT = re.compile(r"^\d{1,12}$")
_NUM = r"[+-]?\d{1,3}(?:\.\d+)?"
_POINT = re.compile(rf"^({_NUM}),({_NUM})$")
MAX_IDS = 2000  # one request for every ward of a country (Wales has 852)


class ApiError(Exception):
    def __init__(self, message: str, code: int = 400):
        super().__init__(message)
        self.message, self.code = message, code


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    resp = jsonify({"error": exc.message, "code": exc.code})
    resp.status_code = exc.code
    return resp


@bp.after_request
def _cors(resp):
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def _strip_format(text: str) -> str:
    return text[:-5] if text.endswith(".json") else text


def _params() -> MultiDict:
    """The query string, or for MapIt's POST form (see areas_post) the posted fields."""
    return g.get("mapit_params") or request.args


def _int_arg(name: str) -> int | None:
    raw = _params().get(name)
    if raw is None or raw == "":
        return None
    if not _INT.match(raw):
        raise ApiError(f"Bad {name} parameter: '{raw}' is not a number.", 400)
    # No generation is that big; clamping keeps the number inside a 32-bit column.
    return min(int(raw), services.MAX_ID)


def _types_arg() -> list[str] | None:
    raw = _params().get("type", "")
    return [t.strip() for t in raw.split(",") if t.strip()] or None


def _area_json(info: services.AreaInfo, names: dict | None = None) -> dict:
    names = names if names is not None else {"": _default_name(info.id), **services.all_names(info.id)}
    return {
        "id": info.id,
        "name": names.get("", info.name),
        "parent_area": info.parent_id,
        "type": info.type,
        "type_name": info.type_name,
        # One deployment is one country: MapIt's answer for an area without a country.
        "country": "",
        "country_name": "-",
        "generation_low": info.generation_low,
        "generation_high": info.generation_high,
        "codes": info.codes,
        "all_names": {k: [_language_name(k), v] for k, v in names.items() if k},
    }


@functools.lru_cache(maxsize=256)
def _language_name(tag: str) -> str:
    """MapIt pairs each name with its name type's description: the language's English name."""
    try:
        return Locale.parse(tag, sep="-").get_display_name("en") or tag
    except (ValueError, TypeError, UnknownLocaleError):
        return tag


def _default_name(area_id: int) -> str:
    return queries.default_name(area_id)


def _areas_json(infos) -> dict:
    """{id: area} for several areas, with names fetched in two queries rather than per area."""
    infos = list(infos)
    ids = [a.id for a in infos]
    names = queries.names_by_area(ids)
    return {str(a.id): _area_json(a, names[a.id]) for a in infos}


def _get_area(raw: str) -> services.AreaInfo:
    if not _INT.match(raw):
        raise ApiError(f"Bad area ID '{raw}'.", 400)
    info = services.area(int(raw))
    if info is None:
        raise ApiError(f"No area found with ID {raw}.", 404)
    return info


# -- point lookup --------------------------------------------------------------------
@bp.route("/point/latlon/<coords>")
def point_latlon(coords):
    m = _POINT.match(_strip_format(coords))
    if not m:
        raise ApiError(f"Bad coordinates '{coords}': expected LAT,LON.", 400)
    target = url_for(".point", srid="4326", coords=f"{m.group(2)},{m.group(1)}")
    qs = request.query_string.decode("latin-1")
    return redirect(target + ("?" + qs if qs else ""), 302)


@bp.route("/point/<srid>/<coords>")
def point(srid, coords):
    if srid != "4326":
        raise ApiError(f"Unsupported coordinate system '{srid}': use 4326 (WGS84 longitude,latitude).", 400)
    m = _POINT.match(_strip_format(coords))
    if not m:
        raise ApiError(f"Bad coordinates '{coords}': expected LON,LAT.", 400)
    lon, lat = float(m.group(1)), float(m.group(2))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ApiError(f"Coordinates '{coords}' are out of range.", 400)
    found = services.areas_at(
        lat, lon, types=_types_arg(), generation=_int_arg("generation"), min_generation=_int_arg("min_generation")
    )
    return jsonify(_areas_json(found))


# -- single areas ------------------------------------------------------------------------
@bp.route("/area/<raw>")
def area(raw):
    if raw.endswith(".geojson"):
        return area_geojson(raw[: -len(".geojson")])
    return jsonify(_area_json(_get_area(_strip_format(raw))))


def area_geojson(raw):
    info = _get_area(raw)
    geom = services.geometry(info.id)
    if geom is None:
        raise ApiError(f"Area {info.id} has no geometry.", 404)
    tol = request.args.get("simplify_tolerance")
    if tol:
        try:
            tolerance = float(tol)
        except ValueError:
            raise ApiError(f"Bad simplify_tolerance '{tol}'.", 400) from None
        if not 0 <= tolerance < 10:
            raise ApiError(f"Bad simplify_tolerance '{tol}'.", 400)
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    resp = current_app.response_class(shapely.to_geojson(geom), mimetype="application/geo+json")
    return resp


@bp.route("/area/<raw>/children")
@bp.route("/area/<raw>/children.json")
def area_children(raw):
    info = _get_area(_strip_format(raw))
    return jsonify(
        _areas_json(
            services.children(
                info.id,
                types=_types_arg(),
                generation=_int_arg("generation"),
                min_generation=_int_arg("min_generation"),
            )
        )
    )


def _geometry_json(info: services.AreaInfo) -> dict:
    """MapIt's geometry keys for a WGS84 deployment (no projected min_e/centre_n: Plaza has no
    national grid); `area` is in square metres, on the sphere."""
    geom = services.geometry(info.id)
    if geom is None:
        raise ApiError(f"Area {info.id} has no geometry.", 404)
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    centre = services.centroid(info.id)
    return {
        "srid": 4326,
        "parts": len(getattr(geom, "geoms", [geom])),
        "area": round(spherical_area_m2(geom)),
        "centre_lat": centre[0],
        "centre_lon": centre[1],
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lon": min_lon,
        "max_lon": max_lon,
    }


@bp.route("/area/<raw>/geometry")
@bp.route("/area/<raw>/geometry.json")
def area_geometry(raw):
    return jsonify(_geometry_json(_get_area(_strip_format(raw))))


@bp.route("/area/<raw>/example_postcode")
@bp.route("/area/<raw>/example_postcode.json")
def area_example_postcode(raw):
    """One postcode in the area, or null (MapIt's answer when it has none)."""
    return jsonify(services.example_postcode(_get_area(_strip_format(raw)).id))


@bp.route("/area/<raw>/<path:rest>")
def area_unknown(raw, rest):
    raise ApiError(f"Unknown request: /area/{raw}/{rest}", 404)


# -- many areas --------------------------------------------------------------------------
def _ids_or_types(parts: list[str]) -> str | None:
    if parts and all(_INT.match(p) for p in parts):
        return "ids"
    if parts and set(parts) <= queries.type_codes():
        return "types"
    return None


@bp.route("/areas/<path:spec>")
def areas(spec):
    head, slash, sub = spec.partition("/")
    parts = [p.strip() for p in _strip_format(head if slash else spec).split(",") if p.strip()]
    kind = _ids_or_types(parts)
    if slash and kind:
        # /areas/IDS/geometry is MapIt's; any other sub-path of ids or types is unknown, not a name.
        if kind == "ids" and _strip_format(sub) == "geometry":
            out = {}
            for a in services.areas(parts[:MAX_IDS]):
                try:
                    out[str(a.id)] = _geometry_json(a)
                except ApiError:  # no geometry: left out, as unknown ids are
                    continue
            return jsonify(out)
        raise ApiError(f"Unknown request: /areas/{spec}", 404)
    spec = _strip_format(spec).strip()
    if not parts:
        raise ApiError("Nothing to look up.", 400)
    if kind == "ids":
        return jsonify(_areas_json(services.areas(parts[:MAX_IDS])))
    gen, min_gen = _int_arg("generation"), _int_arg("min_generation")
    if kind == "types":
        infos, _ = services.areas_of_type(parts, generation=gen, min_generation=min_gen)
        return jsonify(_areas_json(infos))
    if len(spec) < 2:
        raise ApiError("Give at least two characters of a name.", 400)
    infos = services.find_areas_by_name(
        spec, type=_types_arg(), mode="prefix", generation=gen, limit=500, min_generation=min_gen
    )
    return jsonify(_areas_json(infos))


@bp.route("/areas", methods=["POST"])
@bp.route("/areas/<path:after>", methods=["POST"])
def areas_post(after=""):
    """MapIt's POST form of a long list URL: field URL holds what would follow /areas/ (ids or
    types, maybe with /geometry), the other fields are the query parameters. mySociety::MaPit
    switches to it past 1,024 characters and separates fields with ";" as well as "&"."""
    fields = MultiDict()
    for name, value in request.form.items(multi=True):
        first, *more = value.split(";")  # "URL=1,2;type=UTW" arrives as URL "1,2;type=UTW"
        fields.add(name, first)
        for pair in more:
            key, _, val = pair.partition("=")
            fields.add(key, val)
    url = (fields.pop("URL", "") or "").strip().strip("/")
    if not url:
        raise ApiError("No content specified", 400)
    g.mapit_params = fields
    return areas(url + (f"/{after}" if after else ""))


@bp.route("/code/<scheme>/<value>")
def code(scheme, value):
    # MapIt: the area with that code in the requested (default: current) generation only.
    raw = value
    info = services.find_area_by_code(scheme, _strip_format(value), generation=_int_arg("generation"), strict=True)
    if info is None:
        raise ApiError(f"No area found with code {scheme} {_strip_format(value)}.", 404)
    target = url_for(".area", raw=str(info.id) + (".json" if raw.endswith(".json") else ""))
    qs = request.query_string.decode("latin-1")
    return redirect(target + ("?" + qs if qs else ""), 302)


@bp.route("/postcode/<path:raw>")
def postcode(raw):
    raw = " ".join(_strip_format(raw).split())  # as MapIt: "CF10  1EP" is "CF10 1EP"
    prof = current_profile()
    if not prof.postcode_valid(raw):
        raise ApiError(f"Postcode '{raw}' is not valid.", 400)
    found = services.postcode_point(raw)
    if found is None:
        raise ApiError(f"Postcode '{raw}' not found.", 404)
    code_, lat, lon = found
    at = services.areas_at(lat, lon)
    out = {
        "postcode": services.display_postcode(code_),
        "wgs84_lat": lat,
        "wgs84_lon": lon,
        "areas": _areas_json(at),
    }
    shortcuts = services.ward_shortcuts(at)
    if shortcuts:  # as MapIt: left out when no ward is there
        out["shortcuts"] = shortcuts
    return jsonify(out)


@bp.route("/generations")
def generations():
    rows = queries.generations()
    return jsonify(
        {
            str(g.id): {
                "id": g.id,
                "active": g.active,
                "description": g.description,
                "created": g.created.isoformat() if g.created else None,
            }
            for g in rows
        }
    )


@bp.route("/types")
def types():
    gen = services.current_generation()
    counts = queries.type_counts_in(gen)
    default = current_profile().default_language
    return jsonify(
        {
            t.code: {
                "code": t.code,
                "name": t.name_in(default, default),
                "level": t.level,
                "names": {k: v for k, v in (t.names or {}).items() if k},
                "count": counts.get(t.code, 0),
            }
            for t in queries.area_types()
        }
    )
