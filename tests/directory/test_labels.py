"""Classifications and roles are codes in the data: known ones are shown translated, others as given."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from app.directory.models import Membership, Organisation, Person
from app.extensions import db

FRENCH = {
    ("organisation kind", "party"): "parti",
    ("organisation kind", "legislature"): "assemblée",
    ("membership role", "member"): "membre",
}


@pytest.fixture
def fr_app(app_factory, tmp_path):
    catalog = Catalog(locale="fr", domain="messages")
    for (context, msgid), text in FRENCH.items():
        catalog.add(msgid, text, context=context)
    out = tmp_path / "fr" / "LC_MESSAGES"
    out.mkdir(parents=True)
    with open(out / "messages.mo", "wb") as fh:
        write_mo(fh, catalog)
    app = app_factory(PLAZA_TRANSLATIONS_DIR=str(tmp_path))
    with app.app_context():
        yield app


def test_classifications_and_roles_are_translated(fr_app):
    party = Organisation(name="Green Party", classification="party")
    odd = Organisation(name="Friends of Parks", classification="think tank")
    house = Organisation(name="Senedd", classification="Legislature")
    person = Person(name="Gwen Evans")
    db.session.add_all([party, odd, house, person])
    db.session.flush()
    db.session.add_all(
        [
            Membership(person_id=person.id, organisation_id=house.id, role="member"),
            Membership(person_id=person.id, organisation_id=odd.id, role="treasurer"),
        ]
    )
    db.session.commit()
    client = fr_app.test_client()
    listing = client.get("/fr/organisations/").get_data(as_text=True)
    assert '<span class="badge">parti</span>' in listing and '<span class="badge">assemblée</span>' in listing
    assert '<span class="badge">think tank</span>' in listing  # unknown: shown as given
    assert '<span class="badge">parti</span>' in client.get(f"/fr/organisations/{party.id}").get_data(as_text=True)
    page = client.get(f"/fr/people/{person.id}").get_data(as_text=True)
    assert '<span dir="auto">membre</span>' in page and '<span dir="auto">treasurer</span>' in page
    english = client.get(f"/en/people/{person.id}").get_data(as_text=True)
    assert '<span dir="auto">member</span>' in english
    assert '<span class="badge">party</span>' in client.get("/en/organisations/").get_data(as_text=True)
