"""Every Popolo field the shared files carry survives import → export (given and family names,
death dates, images[], other names, links, identifiers, general elections ...), emails never go
out yet stay stored, and import → export → import → export gives the identical file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.directory.models import ContactDetail, LegislativePeriod, Membership, Organisation, Person
from app.extensions import db

SUBSET = Path(__file__).resolve().parents[1] / "data" / "popolo_roundtrip" / "ep-popolo-wales-subset.json"
SOURCE = "plaza-source"
PERSON_FIELDS = (
    "name",
    "given_name",
    "family_name",
    "sort_name",
    "gender",
    "birth_date",
    "death_date",
    "image",
    "summary",
)


def _rows(items) -> list[str]:
    return sorted(json.dumps(i, sort_keys=True, ensure_ascii=False) for i in items)


def _lower_lang(names) -> list[dict]:
    return [{**n, "lang": n["lang"].lower()} if n.get("lang") else n for n in names]


def _counts() -> list[int]:
    return [
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Person, Organisation, Membership, LegislativePeriod, ContactDetail)
    ]


def _import(runner, path) -> str:
    res = runner.invoke(args=["directory", "import-popolo", str(path)])
    assert res.exit_code == 0, res.output
    return res.output


def _check_fields_and_round_trip(app, runner, original: dict, tmp_path):
    client = app.test_client()
    _import(runner, tmp_path / "original.json")
    first = client.get("/api/popolo.json")
    assert first.status_code == 200
    first = first.get_json()
    text = json.dumps(first, ensure_ascii=False)
    assert not any("email" in p for p in first["persons"])  # no address of the file goes out
    assert not any(c["type"] == "email" for p in first["persons"] for c in p.get("contact_details", []))
    for p in original["persons"]:
        if p.get("email"):
            assert p["email"] not in text

    by_source = {next(i["identifier"] for i in p["identifiers"] if i["scheme"] == SOURCE): p for p in first["persons"]}
    for p in original["persons"]:
        out = by_source[p["id"]]
        assert {k: out.get(k) for k in PERSON_FIELDS} == {k: p.get(k) for k in PERSON_FIELDS}, p["id"]
        assert _rows(out.get("images", [])) == _rows(p.get("images", []))
        # language tags come back in BCP 47's canonical case ("zh-hans" → "zh-Hans")
        assert _rows(_lower_lang(out.get("other_names", []))) == _rows(_lower_lang(p.get("other_names", [])))
        assert _rows(out.get("links", [])) == _rows(p.get("links", []))
        assert _rows(i for i in out["identifiers"] if i["scheme"] != SOURCE) == _rows(p.get("identifiers", []))
        assert _rows(out.get("contact_details", [])) == _rows(
            c for c in p.get("contact_details", []) if c["type"] != "email"
        )
    events = {(e["name"], e["classification"], e.get("start_date"), e.get("end_date")) for e in first["events"]}
    assert events == {
        (e["name"], e["classification"], e.get("start_date"), e.get("end_date")) for e in original["events"]
    }
    assert len(first["memberships"]) == len(original["memberships"])

    counts = _counts()
    (tmp_path / "first.json").write_text(json.dumps(first, ensure_ascii=False), encoding="utf-8")
    output = _import(runner, tmp_path / "first.json")
    assert f"persons: 0 created, {len(original['persons'])} updated" in output
    second = client.get("/api/popolo.json").get_json()
    assert json.dumps(second, sort_keys=True, ensure_ascii=False) == json.dumps(
        first, sort_keys=True, ensure_ascii=False
    )
    assert _counts() == counts  # nothing duplicated, no email contact detail dropped
    emailed = [p for p in original["persons"] if p.get("email")]
    stored = set(db.session.scalars(select(Person.email).where(Person.email.is_not(None))))
    assert {p["email"] for p in emailed} == stored  # the round trip keeps the addresses it never shows
    return first


def test_small_everypolitician_copy_round_trips(app, runner, tmp_path):
    original = json.loads(SUBSET.read_text(encoding="utf-8"))
    (tmp_path / "original.json").write_text(SUBSET.read_text(encoding="utf-8"), encoding="utf-8")
    first = _check_fields_and_round_trip(app, runner, original, tmp_path)
    feld = next(p for p in first["persons"] if p["name"] == "Val Feld")
    assert feld["death_date"] == "2001-07-17"  # no longer comes out alive
    assert sum(e["classification"] == "general election" for e in first["events"]) == 7
    assert db.session.scalar(select(func.count()).select_from(ContactDetail).where(ContactDetail.type == "email")) == 2


@pytest.mark.shared_data
def test_everypolitician_wales_file_round_trips(welsh_areas_app, shared_data, tmp_path):
    source = shared_data / "wales" / "ep-popolo-v1.0.json"
    original = json.loads(source.read_text(encoding="utf-8"))
    (tmp_path / "original.json").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    first = _check_fields_and_round_trip(welsh_areas_app, welsh_areas_app.test_cli_runner(), original, tmp_path)
    assert sum("death_date" in p for p in first["persons"]) == 7
    assert any(m.get("area_id") for m in first["memberships"]) and first["areas"]
