"""`flask directory import-popolo` takes bare arrays of persons (memberships nested) and of
organisations, several files in one transaction, in either order, and a re-run only updates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.directory.models import Identifier, Membership, Organisation, Person
from app.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data" / "popolo_people"
PEOPLE, PARTIES = str(DATA / "people.json"), str(DATA / "parties.json")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _party_of(person_source: str) -> list[tuple[str, str | None, str | None]]:
    rows = db.session.execute(
        select(Organisation.source_id, Membership.start_date, Membership.end_date)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .join(Person, Membership.person_id == Person.id)
        .where(Person.source_id == person_source)
    ).all()
    out = [(s, a.isoformat() if a else None, b.isoformat() if b else None) for s, a, b in rows]
    return sorted(out, key=lambda r: r[1] or "")  # an unknown start first, on every database


def test_people_and_parties_in_one_call_are_one_import(runner):
    res = runner.invoke(args=["directory", "import-popolo", PEOPLE, PARTIES])
    assert res.exit_code == 0, res.output
    assert "persons: 6 created, 0 updated" in res.output
    assert "memberships: 11 created, 0 updated" in res.output
    assert "deputy speaker" in res.output  # known by id only: reported, not invented
    assert _count(Person) == 6
    con = db.session.scalar(select(Organisation).where(Organisation.source_id == "con"))
    assert (con.name, con.classification) == ("Conservative Party", "party")
    assert _party_of("andrew_hunter") == [
        ("con", None, "2002-09-24"),
        ("ind", "2002-11-04", "2004-11-09"),
        ("dup", "2004-12-20", "2005-03-18"),
    ]
    ident = db.session.scalar(
        select(Identifier).join(Person, Identifier.person_id == Person.id).where(Person.source_id == "adam_afriyie")
    )
    assert (ident.scheme, ident.identifier) == ("publicwhip.org", "11929")
    opik = db.session.scalar(select(Person).where(Person.source_id == "lembit_opik"))
    assert opik.name == "Lembit Öpik" and [n.name for n in opik.other_names] == ["Mr Lembit Öpik"]

    again = runner.invoke(args=["directory", "import-popolo", PARTIES, PEOPLE])
    assert again.exit_code == 0, again.output
    assert "persons: 0 created, 6 updated" in again.output and "memberships: 0 created, 11 updated" in again.output
    assert (_count(Person), _count(Membership), _count(Identifier)) == (6, 11, 6)


def test_people_first_then_parties_in_another_call(runner):
    res = runner.invoke(args=["directory", "import-popolo", PEOPLE])
    assert res.exit_code == 0, res.output
    assert "con" in res.output.split("known only by id")[1]
    stub = db.session.scalar(select(Organisation).where(Organisation.source_id == "lab"))
    assert (stub.name, stub.classification) == ("lab", None)
    res = runner.invoke(args=["directory", "import-popolo", PARTIES])
    assert res.exit_code == 0, res.output
    assert "organizations: 0 created, 6 updated" in res.output
    db.session.expire_all()
    lab = db.session.scalar(select(Organisation).where(Organisation.source_id == "lab"))
    assert (lab.name, lab.classification) == ("Labour Party", "party")
    assert _count(Organisation) == 7  # the six parties and the Deputy Speaker's chair
    assert _party_of("bob_spink")[0] == ("con", "2001-10-24", "2008-03-11")


def test_a_bad_file_among_several_keeps_nothing(runner, tmp_path):
    bad = tmp_path / "motions.json"
    bad.write_text(json.dumps([{"id": "m1", "text": "A motion", "vote_events": []}]), encoding="utf-8")
    res = runner.invoke(args=["directory", "import-popolo", PARTIES, PEOPLE, str(bad)])
    assert res.exit_code == 1
    assert "Nothing was imported" in res.output and "motions.json" in res.output and "import-votes" in res.output
    assert _count(Person) == 0 and _count(Organisation) == 0
    unclear = tmp_path / "unclear.json"
    unclear.write_text(json.dumps([{"id": "x", "name": "X"}]), encoding="utf-8")
    res = runner.invoke(args=["directory", "import-popolo", str(unclear)])
    assert res.exit_code == 1 and "persons or organizations" in res.output


@pytest.mark.shared_data
def test_the_whole_uk_commons_people_file(runner, shared_data):
    folder = shared_data / "record" / "uk-commons-policy-votes"
    files = [str(folder / "people.json"), str(folder / "parties.json")]
    res = runner.invoke(args=["directory", "import-popolo", *files])
    assert res.exit_code == 0, res.output
    assert "persons: 1156 created, 0 updated" in res.output and "memberships: 1278 created" in res.output
    assert "… and" in res.output  # hundreds of unlinked constituencies are counted, not listed
    again = runner.invoke(args=["directory", "import-popolo", *reversed(files)])
    assert again.exit_code == 0, again.output
    assert "persons: 0 created, 1156 updated" in again.output and "memberships: 0 created, 1278 updated" in again.output
    assert (_count(Person), _count(Membership), _count(Organisation)) == (1156, 1278, 17)  # 15 parties, 2 chairs
