"""Popolo export and import: a lossless round trip on source ids, no email addresses, bad files refused, open to other sites (CORS)."""

from __future__ import annotations

import json

from directory_helpers import POPOLO, popolo_validators
from sqlalchemy import func, select

from app.directory.models import LegislativePeriod, Membership, Organisation, Person
from app.extensions import db

SOURCE = "plaza-source"


def _source(item) -> str:
    found = [i["identifier"] for i in item.get("identifiers", []) if i.get("scheme") == SOURCE]
    assert len(found) == 1, item
    return found[0]


def canonical(data) -> dict:
    """The export with Plaza's own ids replaced by what they stand for (source ids, area codes)."""
    src = {kind: {item["id"]: _source(item) for item in data[kind]} for kind in ("persons", "organizations", "events")}
    areas = {a["id"]: a.get("identifier") or a["name"] for a in data["areas"]}

    def mapped(item, **refs):
        out = dict(item)
        for key, table in refs.items():
            if key in out:
                out[key] = table.get(out[key], out[key]) if table is not None else None
        return out

    def rows(items):
        return sorted(json.dumps(i, sort_keys=True, ensure_ascii=False) for i in items)

    return {
        "persons": rows(mapped(p, id=src["persons"]) for p in data["persons"]),
        "organizations": rows(
            mapped(o, id=src["organizations"], parent_id=src["organizations"], area_id=areas)
            for o in data["organizations"]
        ),
        "events": rows(mapped(e, id=src["events"], organization_id=src["organizations"]) for e in data["events"]),
        "memberships": rows(
            mapped(
                m,
                id=None,
                person_id=src["persons"],
                organization_id=src["organizations"],
                on_behalf_of_id=src["organizations"],
                legislative_period_id=src["events"],
                area_id=areas,
            )
            for m in data["memberships"]
        ),
        "posts": rows(data["posts"]),
        "areas": rows(mapped(a, id=areas, parent_id=areas) for a in data["areas"]),
    }


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_export_carries_source_ids_and_survives_a_round_trip(wales_client, welsh_areas_app, tmp_path, popolo_data):
    first = wales_client.get("/api/popolo.json").get_json()
    uuids = {p["id"] for p in popolo_data["persons"]}
    assert {_source(p) for p in first["persons"]} == uuids  # EveryPolitician's ids, as identifiers
    assert {_source(o) for o in first["organizations"]} == {o["id"] for o in popolo_data["organizations"]}
    assert "term/5" in {_source(e) for e in first["events"]}

    # A second Plaza, with the same boundaries but none of the people, imports the first one's export.
    path = tmp_path / "first.json"
    path.write_text(json.dumps(first), encoding="utf-8")
    runner = welsh_areas_app.test_cli_runner()
    res = runner.invoke(args=["directory", "import-popolo", str(path)])
    assert res.exit_code == 0, res.output
    assert "areas not linked" not in res.output, res.output  # linked by their codes
    rathbone = db.session.scalar(select(Person).where(Person.name == "Jenny Rathbone"))
    assert rathbone.source_id in uuids  # where the person came from, not the first site's row id
    assert all(i.scheme != SOURCE for i in rathbone.identifiers)  # kept once, as source_id

    second = welsh_areas_app.test_client().get("/api/popolo.json").get_json()
    assert canonical(second) == canonical(first)
    v = popolo_validators()
    for key, schema in (
        ("persons", "person"),
        ("organizations", "organization"),
        ("memberships", "membership"),
        ("events", "event"),
        ("areas", "area"),
    ):
        for item in second[key]:
            assert not list(v[schema].iter_errors(item)), (key, item.get("id"))

    # Re-importing (the same export, then EveryPolitician's own file) updates the same rows.
    counts = [_count(m) for m in (Person, Organisation, LegislativePeriod, Membership)]
    res = runner.invoke(args=["directory", "import-popolo", str(path)])
    assert res.exit_code == 0 and "persons: 0 created, 142 updated" in res.output, res.output
    assert "memberships: 0 created, 320 updated" in res.output
    assert [_count(m) for m in (Person, Organisation, LegislativePeriod, Membership)] == counts
    res = runner.invoke(args=["directory", "import-popolo", str(POPOLO)])
    assert res.exit_code == 0 and "persons: 0 created, 142 updated" in res.output, res.output
    assert "organizations: 0 created" in res.output and "legislative periods: 0 created" in res.output
    assert "memberships: 0 created, 320 updated" in res.output  # matched by what they say
    assert [_count(m) for m in (Person, Organisation, LegislativePeriod, Membership)] == counts


def test_every_popolo_answer_allows_other_origins(wales_client):
    data = wales_client.get("/api/popolo.json")
    assert data.headers["Access-Control-Allow-Origin"] == "*"
    person_id = data.get_json()["persons"][0]["id"]
    org_id = data.get_json()["organizations"][0]["id"]
    for url in (
        f"/api/persons/{person_id}.json",
        f"/api/organizations/{org_id}.json",
        "/api/persons/999999.json",
        "/api/organizations/999999.json",
        "/api/persons/99999999999999999999.json",
    ):
        resp = wales_client.get(url)
        assert resp.headers.get("Access-Control-Allow-Origin") == "*", (url, resp.status_code)
        assert resp.is_json
    assert wales_client.get("/api/persons/999999.json").status_code == 404
    assert wales_client.options(f"/api/persons/{person_id}.json").headers["Access-Control-Allow-Origin"] == "*"


def test_popolo_export_carries_no_email_address(wales_app, wales_client):
    full = wales_client.get("/api/popolo.json").get_data(as_text=True)
    assert "@assembly.wales" not in full and '"email"' not in full
    with wales_app.app_context():
        pid = db.session.scalar(select(Person.id).where(Person.name == "Andrew R. T. Davies"))
    person = wales_client.get(f"/api/persons/{pid}.json").get_json()
    assert not any(c["type"] == "email" for c in person.get("contact_details", []))
    assert "@" not in json.dumps(person)


def _popolo_file(tmp_path, data) -> str:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_popolo_import_refuses_duplicate_person_ids_and_reversed_dates(app, tmp_path):
    runner = app.test_cli_runner()
    dup = {"persons": [{"id": "p1", "name": "Ann"}, {"id": "p1", "name": "Bob"}]}
    res = runner.invoke(args=["directory", "import-popolo", _popolo_file(tmp_path, dup)])
    assert res.exit_code != 0 and "'p1' is given to two persons" in res.output
    assert db.session.scalar(select(Person.id)) is None
    reversed_dates = {
        "persons": [{"id": "p1", "name": "Ann"}],
        "organizations": [{"id": "o1", "name": "Assembly", "classification": "legislature"}],
        "memberships": [
            {"person_id": "p1", "organization_id": "o1", "start_date": "2016-05-05", "end_date": "2011-05-05"}
        ],
    }
    res = runner.invoke(args=["directory", "import-popolo", _popolo_file(tmp_path, reversed_dates)])
    assert res.exit_code != 0 and "before the start date" in res.output
    assert db.session.scalar(select(Person.id)) is None
