"""The "who represents me?" page's reading of a place: an area chosen from a list, a point (old
links may name an area covering it), or typed text (a name, postcode or coordinates). The rule
for who represents the place found is services.representatives_for."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from ..areas import services as areas
from . import services


@dataclass(frozen=True)
class Found:
    places: list = field(default_factory=list)  # several matches to choose from
    point: tuple | None = None  # (lat, lon, label)
    chosen_area: object | None = None  # AreaInfo when the place is a whole area
    groups: list = field(default_factory=list)  # [(organisation name, AreaInfo, [Representative])]
    wide: bool = False
    error: bool = False


def _area_label(info) -> str:
    # Translators: a place in search results: an area's name and its type, e.g. "Cardiff, Council"
    return _("%(name)s, %(type)s", name=info.name, type=info.type_name)


def _area_place(area_id):
    """(lat, lon, label, AreaInfo) for an area of the current generation chosen as the place."""
    info = areas.area(area_id)
    centre = areas.centroid(info.id) if info else None
    if info is None or centre is None:
        return None
    gen = areas.current_generation()
    if gen is not None and info.generation_low is not None and not info.generation_low <= gen <= info.generation_high:
        return None
    return (centre[0], centre[1], _area_label(info), info)


def _groups(reps, infos):
    """[(organisation name, AreaInfo, [reps])], by area level, organisation and area name."""

    def key(r):
        a = infos.get(r.area_id)
        return (
            a.level if a else 99,
            r.organisation_name.casefold(),
            r.organisation_id,
            (r.area_name or "").casefold(),
            r.area_id or 0,
        )

    out = []
    for r in sorted(reps, key=key):
        k = (r.organisation_id, r.area_id)
        if out and out[-1][0] == k:
            out[-1][3].append(r)
        else:
            out.append((k, r.organisation_name, infos.get(r.area_id), [r]))
    return [(name, area, rs) for _, name, area, rs in out]


def find(q: str, lat: float | None, lon: float | None, area_id: int | None, label: str, bad_coords: bool) -> Found:
    """Representatives for a point (every area covering it), or for a whole area (every area
    sharing part of it: a council crosses several constituencies, so all their members are
    listed, with a word that a street, postcode or coordinates narrow it down)."""
    places, point, error, chosen_area = [], None, False, None
    if area_id:
        found = _area_place(area_id)
        if found:
            point, chosen_area = found[:3], found[3]
        else:
            error = True
    elif lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180:
        # An old link to an area ("?lat&lon&place=Cardiff, Council"): that area, if the label is
        # really that of an area covering the point; else the point, labelled by its
        # coordinates (never by text from the URL).
        match = next((a for a in areas.areas_at(lat, lon) if label and _area_label(a) == label), None)
        found = _area_place(match.id) if match else None
        if found:
            point, chosen_area = found[:3], found[3]
        else:
            point = (lat, lon, f"{lat:.5f}, {lon:.5f}")
    elif q:
        places = areas.search_places(q, limit=10)
        if len(places) == 1 or (places and places[0].kind in ("coords", "postcode")):
            first = places[0]
            found = _area_place(first.area_id) if first.kind == "area" and first.area_id else None
            if found:
                point, chosen_area = found[:3], found[3]
            else:
                point = (first.lat, first.lon, first.label)
            places = []
        elif not places:
            error = True
    elif bad_coords:
        error = True
    found = None
    if chosen_area is not None:
        found = services.representatives_for(area_id=chosen_area.id)
    elif point:
        found = services.representatives_for(lat=point[0], lon=point[1])
    groups, wide = [], False
    if found is not None:
        infos = {a.id: a for a in areas.areas(found.area_ids)}
        groups, wide = _groups(list(found.representatives), infos), found.wide
    return Found(places, point, chosen_area, groups, wide, error)
