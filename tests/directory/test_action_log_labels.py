"""The directory's audit actions are shown in the admin audit log by the labels the directory registers."""

from __future__ import annotations

from conftest import login
from sqlalchemy import select

from app.core import registry
from app.directory.models import Person
from app.extensions import db


def test_person_and_contact_edits_show_as_labels_in_the_audit_log(app, client):
    login(client, app, role="admin", email="admin@example.org")
    saved = client.post("/en/admin/directory/people/new", data={"name": "Ana Pérez"})
    assert saved.status_code == 303
    person = db.session.scalar(select(Person).where(Person.name == "Ana Pérez"))
    added = client.post(
        f"/en/admin/directory/people/{person.id}/contacts", data={"type": "address", "value": "1 Main St"}
    )
    assert added.status_code == 303
    html = client.get("/en/admin/audit/").get_data(as_text=True)
    assert '<span title="directory.person.save">Person saved</span>' in html
    assert '<span title="directory.contact.add">Contact detail added</span>' in html


def test_every_directory_action_has_a_registered_label(app):
    with app.test_request_context("/en/"):
        labels = {
            code: registry.label("audit_action", code)
            for code in (
                "directory.person.save",
                "directory.organisation.save",
                "directory.membership.save",
                "directory.membership.delete",
                "directory.contact.add",
                "directory.contact.delete",
            )
        }
    assert labels == {
        "directory.person.save": "Person saved",
        "directory.organisation.save": "Organisation saved",
        "directory.membership.save": "Membership saved",
        "directory.membership.delete": "Membership deleted",
        "directory.contact.add": "Contact detail added",
        "directory.contact.delete": "Contact detail deleted",
    }
