"""Any parliament: two chambers, options beyond yes/no, rebels and attendance by the rules, Welsh
pages, and a fixed number of SQL statements per page whatever the number of votes."""

from __future__ import annotations

import json
from contextlib import contextmanager

from sqlalchemy import event, select

from app.extensions import db
from app.record.models import PersonStat, PolicyScore, Vote

from .votes_helpers import TUITION, event_id, import_subset, invoke, person_id, policy_id


def _people(tmp_path):
    persons = [{"id": f"p{i}", "name": f"Member {i}"} for i in range(1, 12)]
    orgs = [
        {"id": "blue", "name": "Blue", "classification": "party"},
        {"id": "green", "name": "Green", "classification": "party"},
    ]
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"persons": persons, "organizations": orgs}), encoding="utf-8")
    return path


def _votes(tmp_path):
    blue = [("p1", "against")] + [(f"p{i}", "for") for i in range(2, 10)]  # 1 of 9 differs: under 15 %
    votes = [{"vote_event_id": "lower-1", "voter_id": v, "option": o, "group_id": "blue"} for v, o in blue]
    votes += [
        {"vote_event_id": "lower-1", "voter_id": "p10", "option": "abstain", "group_id": "green"},
        {"vote_event_id": "lower-1", "voter_id": "p11", "option": "paired", "group_id": "green"},
    ]
    upper = [
        {"vote_event_id": "upper-1", "voter_id": "p10", "option": "for", "group_id": "green"},
        {"vote_event_id": "upper-1", "voter_id": "p11", "option": "against", "group_id": "green"},
    ]
    data = {
        "motions": [
            {
                "id": "bill-7",
                "organization_id": "lower-house",
                "text": "Bill 7, third reading",
                "date": "2025-05-06",
                "result": "carried",
            },
            {
                "id": "bill-7-upper",
                "organization_id": "upper-house",
                "text": "Bill 7 in the upper house",
                "date": "2025-06-01",
                "result": "rejected",
            },
        ],
        "vote_events": [{"id": "lower-1", "motion_id": "bill-7"}, {"id": "upper-1", "motion_id": "bill-7-upper"}],
        "votes": votes + upper,
    }
    path = tmp_path / "votes.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_two_chambers_and_options_beyond_yes_no(app, tmp_path):
    assert invoke(app, "directory", "import-popolo", _people(tmp_path)).exit_code == 0
    res = invoke(app, "record", "import-votes", _votes(tmp_path))
    assert res.exit_code == 0, res.output
    csv_path = tmp_path / "policy.csv"
    csv_path.write_text(
        "policy_id,title,motion_id,agree_option,strength\n"
        "b7,Bill 7,bill-7,for,strong\nb7,Bill 7,bill-7-upper,for,weak\n",
        encoding="utf-8",
    )
    assert invoke(app, "record", "import-policies", csv_path).exit_code == 0

    rebels = set(db.session.scalars(select(Vote.voter_source).where(Vote.rebel)))
    assert rebels == {"p1"}  # p11's "against" in a party of two split 50/50 is a free vote
    stats = {s.person_id: s for s in db.session.scalars(select(PersonStat))}
    p1, p10, p11 = person_id("p1"), person_id("p10"), person_id("p11")
    assert (stats[p1].rebellions, stats[p1].whipped_votes) == (1, 1)
    assert stats[p1].alignment == 0.0 and stats[person_id("p2")].alignment == 7 / 8
    assert (stats[p11].divisions, stats[p11].attended) == (2, 1)  # paired is no ballot
    assert (stats[p10].divisions, stats[p10].attended) == (2, 2)  # abstaining is attending
    scores = {s.person_id: s for s in db.session.scalars(select(PolicyScore))}
    assert scores[p1].distance == 1.0 and scores[p1].band == "voted_against"
    # p10: strong abstention (25 of 50) and a weak vote for (0 of 10)
    assert scores[p10].distance == 25 / 60 and scores[p10].votes == 2


def test_welsh_pages(app_factory):
    app = app_factory(PLAZA_PROFILE="gb-wls")
    with app.app_context():
        import_subset(app)
        client = app.test_client()
        resp = client.get(f"/cy/record/divisions/{event_id(TUITION)}")
        assert resp.status_code == 200
        assert 'lang="cy"' in resp.get_data(as_text=True)
        assert client.get(f"/cy/people/{person_id('jeremy_corbyn')}").status_code == 200
        assert client.get(f"/cy/record/policies/{policy_id('PW-1132')}").status_code == 200


@contextmanager
def _counted():
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _statements(client, url) -> int:
    client.get(url)  # the first request of a process loads the translation overlay once
    with _counted() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_pages_run_a_fixed_number_of_statements(app, client, tmp_path):
    import_subset(app)
    assert invoke(app, "directory", "import-popolo", _people(tmp_path)).exit_code == 0
    assert invoke(app, "record", "import-votes", _votes(tmp_path)).exit_code == 0
    small = db.session.scalar(select(Vote.vote_event_id).where(Vote.voter_source == "p11", Vote.option == "against"))
    big = event_id(TUITION)  # 40 votes against 2
    assert _statements(client, f"/en/record/divisions/{big}") == _statements(client, f"/en/record/divisions/{small}")
    assert _statements(client, f"/en/record/divisions/{big}") <= 6
    corbyn = person_id("jeremy_corbyn")
    assert _statements(client, f"/en/record/people/{corbyn}/votes") <= 4
    assert _statements(client, f"/en/record/policies/{policy_id('PW-6697')}") <= 5
