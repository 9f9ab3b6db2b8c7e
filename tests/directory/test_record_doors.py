"""The directory's bulk doors for record: Popolo ids and identifiers to person and party ids,
party memberships over time, display names and URLs, spoken names to candidates; a constant
number of queries however many keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import event

from app.directory import services as directory
from app.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data" / "popolo_people"


@pytest.fixture
def people(app, runner):
    res = runner.invoke(args=["directory", "import-popolo", str(DATA / "people.json"), str(DATA / "parties.json")])
    assert res.exit_code == 0, res.output
    return directory.person_ids_by_popolo_id(
        ["adam_afriyie", "bob_spink", "lembit_opik", "sian_james", "andrew_hunter", "alan_haselhurst"]
    )


class _Queries:
    def __init__(self):
        self.count = 0

    def __call__(self, *args, **kwargs):
        self.count += 1


@pytest.fixture
def queries(app):
    counter = _Queries()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


def test_ids_and_identifiers_resolve_in_bulk(people, queries):
    assert len(people) == 6
    wanted = [
        ("publicwhip.org", "11929"),
        ("publicwhip.org", "10301"),
        ("publicwhip.org", "nobody"),
        ("other-scheme", "11929"),
    ]
    assert directory.person_ids_by_identifier(wanted) == {
        ("publicwhip.org", "11929"): people["adam_afriyie"],
        ("publicwhip.org", "10301"): people["andrew_hunter"],
    }
    parties = directory.organisation_ids_by_popolo_id(["con", "lab", "green"])
    assert set(parties) == {"con", "lab"}
    queries.count = 0
    many = [f"nobody-{i}" for i in range(3000)] + ["bob_spink"]
    assert directory.person_ids_by_popolo_id(many) == {"bob_spink": people["bob_spink"]}
    directory.person_ids_by_identifier(("publicwhip.org", str(i)) for i in range(3000))
    directory.party_memberships(list(range(1, 3001)))
    assert queries.count == 4 + 4 + 4  # one per 900 keys, whatever the number of rows


def test_party_on_a_division_date(people):
    rows = directory.party_memberships([people["andrew_hunter"], people["adam_afriyie"], 999999])
    assert rows[999999] == []
    hunter = rows[people["andrew_hunter"]]
    assert [(m.party_name, m.start_date, m.end_date) for m in hunter] == [
        ("Conservative Party", None, dt.date(2002, 9, 24)),
        ("Independent", dt.date(2002, 11, 4), dt.date(2004, 11, 9)),
        ("DUP", dt.date(2004, 12, 20), dt.date(2005, 3, 18)),
    ]
    assert directory.party_on(hunter, dt.date(2003, 1, 1)).party_name == "Independent"
    assert directory.party_on(hunter, dt.date(2002, 10, 1)) is None  # between two parties
    assert directory.party_on(hunter, None) is None  # several parties: no date, no answer
    assert directory.party_on(rows[people["adam_afriyie"]], None).party_name == "Conservative Party"
    # the Deputy Speaker's chair is no party (its file never came: no classification)
    haselhurst = directory.party_memberships([people["alan_haselhurst"]])[people["alan_haselhurst"]]
    assert [m.party_name for m in haselhurst] == ["Conservative Party"]


def test_names_urls_and_spoken_names(app, people):
    with app.test_request_context("/en/"):
        links = directory.person_links([people["lembit_opik"], 424242])
        assert list(links) == [people["lembit_opik"]]
        assert links[people["lembit_opik"]].name == "Lembit Öpik"
        assert links[people["lembit_opik"]].url == f"/en/people/{people['lembit_opik']}"
    found = directory.persons_by_names(["LEMBIT OPIK", "mr  lembit öpik", "Sian James", "Nobody Here", ""])
    assert [c.id for c in found["LEMBIT OPIK"]] == [people["lembit_opik"]]
    assert found["mr  lembit öpik"][0].matched_name == "Mr Lembit Öpik"
    assert found["Sian James"][0].name == "Siân James" and found["Sian James"][0].source_id == "sian_james"
    assert found["Nobody Here"] == [] and "" not in found


def test_display_names_in_the_reader_language_in_one_query_per_chunk(app, people, queries):
    from app.directory.models import OtherName

    opik = people["lembit_opik"]
    db.session.add_all(
        [
            OtherName(person_id=opik, name="Lembit Öpik (cy)", lang="cy"),
            OtherName(person_id=opik, name="Mr Lembit Öpik again", lang=""),
        ]
    )
    lab = directory.organisation_ids_by_popolo_id(["lab"])["lab"]
    db.session.add(OtherName(organisation_id=lab, name="Y Blaid Lafur", lang="cy-GB"))
    db.session.flush()
    with app.test_request_context("/en/"):
        queries.count = 0
        links = directory.person_links(list(people.values()) + list(range(900_000, 901_000)), "cy")
        assert queries.count == 2  # 1,006 ids: two chunks, one query each, no other names loaded per row
        assert links[opik].name == "Lembit Öpik (cy)" and links[opik].url == f"/en/people/{opik}"
        assert links[people["bob_spink"]].name == "Bob Spink"
        assert directory.person_links([opik], "en")[opik].name == "Lembit Öpik"
        assert directory.person_links([opik])[opik].name == "Lembit Öpik"
    queries.count = 0
    assert directory.organisation_names([lab, 424242], "cy") == {lab: "Y Blaid Lafur"}
    assert directory.organisation_names([lab], "en") == {lab: "Labour Party"} and queries.count == 2
