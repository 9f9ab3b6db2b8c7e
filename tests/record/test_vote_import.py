"""`flask record import-votes`: both Popolo layouts, matching to the directory, re-runs, bad files."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.extensions import db
from app.record.models import Motion, Vote, VoteEvent

from .votes_helpers import MOTIONS, PARTIES, PEOPLE, TUITION, event_id, import_subset, invoke, person_id


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_nested_layout_links_voters_and_parties_and_a_rerun_only_updates(app):
    assert invoke(app, "directory", "import-popolo", PEOPLE, PARTIES).exit_code == 0
    res = invoke(app, "record", "import-votes", MOTIONS)
    assert res.exit_code == 0, res.output
    assert "motions: 4 created, 0 updated" in res.output
    assert "vote events: 4 created, 0 updated" in res.output
    assert "votes: 160 created" in res.output
    assert "not in the directory" not in res.output
    assert (_count(Motion), _count(VoteEvent), _count(Vote)) == (4, 4, 160)
    corbyn = db.session.scalar(
        select(Vote).where(Vote.voter_source == "jeremy_corbyn", Vote.vote_event_id == event_id(TUITION))
    )
    assert corbyn.person_id == person_id("jeremy_corbyn") and corbyn.option == "no"
    assert corbyn.party_source == "lab" and corbyn.party_id is not None
    motion = db.session.scalar(select(Motion).where(Motion.source_id == TUITION))
    assert motion.result == "pass" and motion.chamber_source == "uk.parliament.commons"
    assert motion.sources[0]["url"].startswith("http://www.publicwhip.org.uk/")
    assert db.session.scalar(select(func.count()).select_from(Vote).where(Vote.option == "both")) == 1

    again = invoke(app, "record", "import-votes", MOTIONS)
    assert again.exit_code == 0, again.output
    assert "motions: 0 created, 0 updated" in again.output
    assert "votes: 0 created, 0 updated, 0 removed, 160 unchanged" in again.output
    assert (_count(Motion), _count(VoteEvent), _count(Vote)) == (4, 4, 160)


def test_counts_are_kept_as_published_and_recounted(app):
    import_subset(app, policies=False)
    event = db.session.get(VoteEvent, event_id(TUITION))
    assert {c["option"]: c["value"] for c in event.counts_published} == {"no": 304, "yes": 325, "absent": 20}
    assert sum(event.counts_computed.values()) == db.session.scalar(
        select(func.count()).select_from(Vote).where(Vote.vote_event_id == event.id)
    )


def _flat_file(tmp_path, extra_voter=False):
    data = {
        "motions": [
            {
                "id": "m-1",
                "organization_id": "senate",
                "text": "That the bill be read a second time.",
                "date": "2024-03-05",
                "result": "Failed",
            }
        ],
        "vote_events": [{"id": "ve-1", "motion_id": "m-1", "start_date": "2024-03-05T15:00:00Z"}],
        "votes": [
            {"vote_event_id": "ve-1", "voter_id": "jeremy_corbyn", "option": "abstain", "group_id": "lab"},
            {"vote_event_id": "ve-1", "voter_id": "kate_hoey", "option": "paired", "group_id": "lab"},
        ]
        + (
            [
                {
                    "vote_event_id": "ve-1",
                    "voter_id": "nobody_known",
                    "voter": {"id": "nobody_known", "name": "A. Stranger"},
                    "option": "yes",
                }
            ]
            if extra_voter
            else []
        ),
        "counts": [
            {"vote_event_id": "ve-1", "option": "abstain", "value": 1},
            {"vote_event_id": "ve-1", "option": "paired", "value": 1},
        ],
    }
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_flat_layout_keeps_options_as_given_and_normalises_the_result(app, tmp_path):
    assert invoke(app, "directory", "import-popolo", PEOPLE, PARTIES).exit_code == 0
    res = invoke(app, "record", "import-votes", _flat_file(tmp_path))
    assert res.exit_code == 0, res.output
    event = db.session.scalar(select(VoteEvent).where(VoteEvent.source_id == "ve-1"))
    assert event.result == "fail" and event.chamber_source == "senate"
    assert event.start_date.isoformat() == "2024-03-05T15:00:00+00:00"
    options = dict(db.session.execute(select(Vote.voter_source, Vote.option)).all())
    assert options == {"jeremy_corbyn": "abstain", "kate_hoey": "paired"}


def test_unknown_voters_are_listed_and_strict_imports_nothing(app, tmp_path):
    assert invoke(app, "directory", "import-popolo", PEOPLE, PARTIES).exit_code == 0
    path = _flat_file(tmp_path, extra_voter=True)
    strict = invoke(app, "record", "import-votes", "--strict", path)
    assert strict.exit_code == 1
    assert "Nothing was imported" in strict.output and "nobody_known" in strict.output
    assert _count(Vote) == 0 and _count(Motion) == 0
    res = invoke(app, "record", "import-votes", path)
    assert res.exit_code == 0, res.output
    assert "voters not in the directory: 1" in res.output and "nobody_known (A. Stranger)" in res.output
    stranger = db.session.scalar(select(Vote).where(Vote.voter_source == "nobody_known"))
    assert stranger.person_id is None and stranger.voter_name == "A. Stranger"


def test_a_bad_file_is_refused_whole(app, tmp_path):
    good = _flat_file(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "m-2", "vote_events": [{"votes": [{"voter_id": "x"}]}]}]), encoding="utf-8")
    res = invoke(app, "record", "import-votes", good, bad)
    assert res.exit_code == 1
    assert "Nothing was imported" in res.output and "has no option" in res.output
    assert _count(Motion) == 0
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    res = invoke(app, "record", "import-votes", broken)
    assert res.exit_code == 1 and "is not valid JSON" in res.output
