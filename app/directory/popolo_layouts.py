"""The Popolo layouts found in the wild, turned into the one object the importer reads.

- the full object (`persons`, `organizations`, `memberships`, … lists: EveryPolitician, Plaza);
- a bare array of persons, each carrying its `memberships` (voteit-data's people.json);
- a bare array of organisations (voteit-data's parties.json).

Memberships nested in a person get that person's id and are marked `nested`: their
organisation may be known by id only (a party defined in another file), so the importer makes
a stub for it that the organisation's own file completes later (in the same call or another).
An inline `area` object ({"name": "Windsor"}) becomes an entry of `areas`, linked by name.
"""

from __future__ import annotations


class PopoloError(ValueError):
    """A file the directory cannot import; nothing of the call is kept (the caller rolls back)."""


NESTED = "_plaza_nested"  # marks a membership that came nested in a person

_PERSON_KEYS = {
    "given_name",
    "family_name",
    "birth_date",
    "death_date",
    "gender",
    "sort_name",
    "memberships",
    "honorific_prefix",
    "email",
}
_ORG_KEYS = {"classification", "parent_id", "founding_date", "dissolution_date", "seats"}
_VOTE_KEYS = {"vote_events", "votes", "counts", "result", "motion_id"}


def _kind(items: list, where: str) -> str:
    keys = set().union(*(x.keys() for x in items)) if items else set()
    if keys & _VOTE_KEYS:
        raise PopoloError(f"{where}: this looks like a file of votes or motions (use 'flask record import-votes').")
    person, org = bool(keys & _PERSON_KEYS), bool(keys & _ORG_KEYS)
    if person == org:
        raise PopoloError(
            f"{where}: cannot tell whether this list holds persons or organizations; "
            'wrap it as {"persons": [...]} or {"organizations": [...]}.'
        )
    return "persons" if person else "organizations"


def normalise(data, where: str = "The file") -> dict:
    """The full Popolo object for any accepted layout (a new dict; `data` is not changed)."""
    if isinstance(data, list):
        if not all(isinstance(x, dict) for x in data):
            raise PopoloError(f"{where}: a list must hold only JSON objects (persons or organizations).")
        data = {_kind(data, where): data} if data else {}
    if not isinstance(data, dict):
        raise PopoloError(
            f"{where}: must hold a JSON object with 'persons', 'organizations' ... lists, "
            "or a list of persons or of organizations."
        )
    out = dict(data)
    persons, memberships = [], list(out.get("memberships") or [])
    areas = list(out.get("areas") or [])
    inline_areas: dict[str, dict] = {}
    for n, person in enumerate(out.get("persons") or []):
        if not isinstance(person, dict) or "memberships" not in person:
            persons.append(person)
            continue
        nested = person.get("memberships") or []
        if not isinstance(nested, list) or not all(isinstance(m, dict) for m in nested):
            raise PopoloError(f"{where}: persons[{n}]: 'memberships' must be a list of objects.")
        persons.append({k: v for k, v in person.items() if k != "memberships"})
        for m in nested:
            m = {**m, NESTED: True}
            m.setdefault("person_id", person.get("id"))
            area = m.pop("area", None)
            if isinstance(area, dict) and (area.get("id") or area.get("name")) and not m.get("area_id"):
                ref = str(area.get("id") or f"name:{area['name']}")
                inline_areas.setdefault(ref, {**area, "id": ref})
                m["area_id"] = ref
            memberships.append(m)
    known = {str(a.get("id")) for a in areas if isinstance(a, dict)}
    areas += [a for ref, a in inline_areas.items() if ref not in known]
    if "persons" in out:
        out["persons"] = persons
    if memberships:
        out["memberships"] = memberships
    if areas:
        out["areas"] = areas
    return out


def organisations_first(files: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """Files of organisations only before the rest, so that persons' party ids find their
    parties without stubs when both come in one call (the order is otherwise kept)."""

    def only_orgs(data) -> bool:
        return isinstance(data, dict) and bool(data.get("organizations")) and not data.get("persons")

    return sorted(files, key=lambda f: 0 if only_orgs(f[1]) else 1)
