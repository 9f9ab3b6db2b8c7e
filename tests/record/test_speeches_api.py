"""/record/api/speeches: Popolo speeches, filtered by person or debate, paged, valid against the Popolo schema."""

from __future__ import annotations

import json

from helpers import POPOLO_SCHEMAS
from sqlalchemy import select

from app.extensions import db
from app.record.debates.models import Debate

from .debate_helpers import HARBOUR, MARKET, import_debates, make_person

SCHEMAS = POPOLO_SCHEMAS


def test_speeches_of_a_person_in_popolo_form(app, client):
    quill = make_person("Alys Quill", source_id="popolo-quill")
    import_debates(app, HARBOUR, MARKET)
    resp = client.get(f"/record/api/speeches?person={quill}")
    assert resp.status_code == 200
    body = resp.get_json()
    assert [s["text"][:20] for s in body["speeches"]] == [
        "Dredging the harbour",
        "The silt in the east",
        "asked when the ferry",
    ]
    first = body["speeches"][1]
    assert first["creator_id"] == str(quill) and first["type"] == "speech" and first["attribution_text"] == "Ms A QUILL"
    assert first["date"].endswith("Z") and first["position"] == 2


def test_speeches_of_a_debate_and_bad_ids(app, client):
    import_debates(app, HARBOUR)
    debate = db.session.scalar(select(Debate))
    body = client.get(f"/record/api/speeches?debate={debate.id}").get_json()
    assert len(body["speeches"]) == 8 and "next" not in body
    assert client.get("/record/api/speeches?person=abc").status_code == 400


def test_every_speech_is_valid_popolo(app, client):
    from jsonschema import Draft3Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    folder = SCHEMAS  # the Popolo spec's schemas (CC BY 4.0, see SOURCE.md there)
    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")]
    registry = Registry().with_resources(
        (s["id"], Resource.from_contents(s, default_specification=DRAFT3)) for s in schemas
    )
    schema = next(s for s in schemas if s["title"] == "Speech")
    validator = Draft3Validator(schema, registry=registry, format_checker=FormatChecker())
    make_person("Alys Quill", source_id="popolo-quill")
    import_debates(app, HARBOUR, MARKET)
    speeches = client.get("/record/api/speeches").get_json()["speeches"]
    assert len(speeches) == 10
    for speech in speeches:
        errors = list(validator.iter_errors(speech))
        assert errors == [], (speech, errors)
