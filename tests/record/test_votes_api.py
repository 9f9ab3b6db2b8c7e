"""/record/api/ motions and vote events: Popolo objects, valid against the Popolo JSON Schemas."""

from __future__ import annotations

import json

from helpers import POPOLO_SCHEMAS
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from .votes_helpers import TUITION, event_id, import_subset

SCHEMAS = POPOLO_SCHEMAS
BASE = "http://www.popoloproject.com/schemas/"


def _validator(name: str) -> Draft3Validator:
    """A draft-3 validator whose popoloproject.com $refs resolve to the local copies (no network)."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        resources.append((f"{BASE}{path.name}", Resource.from_contents(schema, default_specification=DRAFT3)))
        resources.append((f"{BASE}{path.name}#", Resource.from_contents(schema, default_specification=DRAFT3)))
    registry = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    return Draft3Validator(schema, registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER)


def _errors(validator, obj) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(obj)]


def test_the_validator_can_fail():
    assert _errors(_validator("count"), {"option": "yes"})  # value is required
    assert _errors(_validator("vote_event"), {"counts": [{"option": "yes", "value": "many"}]})


def test_motions_and_vote_events_are_valid_popolo(app, client):
    import_subset(app)
    motions = client.get("/record/api/motions")
    assert motions.status_code == 200
    body = motions.get_json()
    assert body["total"] == 4 and len(body["results"]) == 4
    motion_v, event_v, vote_v, count_v = (_validator(n) for n in ("motion", "vote_event", "vote", "count"))
    for m in body["results"]:
        assert _errors(motion_v, m) == []
    tuition = next(m for m in body["results"] if m["id"] == TUITION)
    assert tuition["result"] == "pass" and tuition["organization_id"] == "uk.parliament.commons"

    event = client.get(f"/record/api/vote_events/{event_id(TUITION)}")
    assert event.status_code == 200
    ve = event.get_json()
    assert _errors(event_v, ve) == []
    assert len(ve["votes"]) == 40 and all(_errors(vote_v, v) == [] for v in ve["votes"])
    assert all(_errors(count_v, c) == [] for c in ve["counts"])
    assert {c["option"]: c["value"] for c in ve["counts"]} == {"no": 304, "yes": 325, "absent": 20}
    assert ve["motion_id"] == TUITION and ve["start_date"] == "2010-12-09T17:12:00Z"

    listing = client.get("/record/api/vote_events").get_json()
    assert listing["total"] == 4 and all(_errors(event_v, e) == [] for e in listing["results"])
    assert client.get("/record/api/vote_events/999999").status_code == 404
