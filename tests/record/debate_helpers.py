"""Helpers the debate, search and alert tests share: fixture files, persons, users, imports."""

from __future__ import annotations

from pathlib import Path

import helpers

from app.extensions import db

AKN = Path(__file__).resolve().parents[1] / "data" / "record_akn"
HARBOUR = AKN / "harbour_sitting_akn30.xml"
MARKET = AKN / "market_sitting_akn20.xml"
PLAIN = AKN / "plain_no_namespace.xml"
ENTITIES = AKN / "entity_expansion.xml"


def make_person(name: str, source_id: str | None = None, other_names=()) -> int:
    from app.directory.models import OtherName, Person

    person = Person(name=name, source_id=source_id)
    person.other_names = [OtherName(name=n) for n in other_names]
    db.session.add(person)
    db.session.commit()
    return person.id


def import_debates(app, *paths):
    result = app.test_cli_runner().invoke(args=["record", "import-debate", *[str(p) for p in paths]])
    db.session.remove()
    return result


def make_user(email="mod@example.org", name="Mo Derator", role="moderator", language="en") -> int:
    """A confirmed user (a moderator unless told otherwise), by id."""
    return helpers.make_user(email=email, name=name, role=role, language=language).id


sign_in = helpers.sign_in  # (client, user or id): the one sign-in helper of the suite
