"""Helpers the votes tests share: the small UK subset in tests/data/record and its import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data" / "record"
PEOPLE, PARTIES = str(DATA / "people.json"), str(DATA / "parties.json")
MOTIONS, ISSUES = str(DATA / "motions.json"), str(DATA / "issues.json")
TUITION = "pw-2010-12-09-150"


def invoke(app, *args):
    result = app.test_cli_runner().invoke(args=[str(a) for a in args])
    db.session.remove()
    return result


def import_subset(app, policies=True):
    for args in (("directory", "import-popolo", PEOPLE, PARTIES), ("record", "import-votes", MOTIONS)) + (
        (("record", "import-policies", ISSUES),) if policies else ()
    ):
        res = invoke(app, *args)
        assert res.exit_code == 0, res.output


def person_id(source_id: str) -> int:
    from app.directory import services as directory

    return directory.person_ids_by_popolo_id([source_id])[source_id]


def event_id(source_id: str) -> int:
    from app.record.models import VoteEvent

    return db.session.scalar(select(VoteEvent.id).where(VoteEvent.source_id == source_id))


def policy_id(source_id: str) -> int:
    from app.record.models import Policy

    return db.session.scalar(select(Policy.id).where(Policy.source_id == source_id))
