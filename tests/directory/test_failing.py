"""Admins see whose email is failing: a list on the missing-email page, linked from the dashboard."""

from __future__ import annotations

from conftest import login

from app.directory import services
from app.directory.models import ContactDetail, Person
from app.extensions import db


def test_failing_people_are_listed_and_linked(app, client):
    jenny = Person(name="Jenny Rathbone", email="jenny@senedd.example")
    huw = Person(name="Huw Jones", contact_details=[ContactDetail(type="email", value="huw@council.example")])
    fine = Person(name="Fine Person", email="fine@example.org")
    db.session.add_all([jenny, huw, fine])
    db.session.commit()
    with app.test_request_context("/en/"):
        services.mark_contact_failing(person_id=jenny.id, email="jenny@senedd.example", reason="550 unknown user")
        services.mark_contact_failing(person_id=huw.id, email="huw@council.example", reason="552 mailbox full")
    db.session.commit()
    login(client, app, role="admin", email="admin@example.org")
    page = client.get("/en/admin/directory/bodies/missing-email").get_data(as_text=True)
    section = page[page.index('id="failing-people"') :]
    assert f'href="/en/admin/directory/people/{jenny.id}"' in section and "550 unknown user" in section
    assert f'href="/en/admin/directory/people/{huw.id}"' in section and "552 mailbox full" in section
    assert "Fine Person" not in section
    dashboard = client.get("/en/admin/").get_data(as_text=True)
    assert '<a href="/en/admin/directory/bodies/missing-email#failing-people">2 people' in dashboard
