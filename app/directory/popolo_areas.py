"""Linking a Popolo file's areas to the areas component: by code, else by name in any
language; a name that could mean several areas is decided only by the area types the file's
other areas matched without doubt, and what cannot be linked is reported. A mixin of the importer."""

from __future__ import annotations

from collections import Counter

from flask import current_app

from ..areas import services as areas_services
from . import langtags
from .popolo_fields import as_list as _list
from .popolo_fields import text as _text


class AreaLinking:
    def link_areas(self):
        candidates: dict[str, list] = {}
        certain: dict = {}
        names: dict[str, str] = {}
        for n, item in enumerate(self.data.get("areas") or []):
            where = f"areas[{n}]"
            aid = _text(item, "id", where, required=True, limit=200)
            names[aid] = _text(item, "name", where) or aid
            pairs = [(i.get("scheme"), i.get("identifier")) for i in _list(item, "identifiers", where)]
            single = item.get("identifier")  # Popolo's one "scheme:value" string (Plaza's export)
            if isinstance(single, str) and ":" in single:
                pairs.append(tuple(single.split(":", 1)))
            for scheme, value in pairs:
                if scheme and value and scheme != "wikidata":
                    found = areas_services.find_area_by_code(str(scheme), str(value))
                    if found and (not self.area_types or found.type in self.area_types):
                        certain[aid] = found
                        break
            if aid in certain:
                continue
            spellings = [item.get("name")] + [o.get("name") for o in _list(item, "other_names", where)]
            for spelling in spellings:
                if not spelling:
                    continue
                found = areas_services.find_areas_by_name(str(spelling), type=self.area_types or None)
                if found:
                    candidates[aid] = found
                    break
            else:
                candidates[aid] = []
        # Evidence: the area types that the file's other areas matched without doubt.
        support = Counter(a.type for a in certain.values())
        single = {aid: c[0] for aid, c in candidates.items() if len(c) == 1}
        support.update(a.type for a in single.values())
        self.area_links.update({aid: a.id for aid, a in certain.items()})
        for aid, found in candidates.items():
            if not found:
                self.area_links[aid] = None
                self.summary.unlinked_areas.append((aid, names[aid], "no area has this name or code"))
                continue
            others = Counter(support)
            if aid in single:
                others[single[aid].type] -= 1
            best = max(others[a.type] for a in found)
            top = [a for a in found if others[a.type] == best]
            alone = sum(others.values()) == 0  # nothing else to compare with: trust a single match
            if len(top) == 1 and (best > 0 or (len(found) == 1 and alone)):
                self.area_links[aid] = top[0].id
            else:
                self.area_links[aid] = None
                why = (
                    "several areas have this name"
                    if len(top) > 1
                    else "the only area with this name is of a type no other area in the file has"
                )
                self.summary.unlinked_areas.append((aid, names[aid], why))
        self.summary.linked_areas = sum(1 for v in self.area_links.values() if v is not None)
        self.add_area_names()

    def add_area_names(self):
        """Names the file gives a linked area in the site's languages, where the area has none
        in that language (a Welsh name for a constituency whose boundary file had only English)."""
        wanted = {t.lower(): t for t in current_app.extensions["plaza_profile"].language_tags}
        for n, item in enumerate(self.data.get("areas") or []):
            area_id = self.area_links.get(_text(item, "id", f"areas[{n}]", required=True, limit=200))
            if area_id is None:
                continue
            names = {}
            for k, other in enumerate(_list(item, "other_names", f"areas[{n}]")):
                where = f"areas[{n}].other_names[{k}]"
                if not other.get("lang") or other.get("end_date"):  # no language, or a former name
                    continue
                try:  # areas' names were never required: a bad tag skips the name, not the file
                    lang = wanted.get(langtags.normalise(str(other["lang"])).lower())
                except ValueError:
                    continue
                name = _text(other, "name", where)
                if lang and name:
                    names.setdefault(lang, name)
            if names:
                self.summary.area_names_added += areas_services.add_missing_names(area_id, names)
