"""Admin set-up of reports (categories, contacts, response templates, Open311 keys): 422 with values kept, every write audited, others refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEntry
from app.extensions import db
from app.reports import queries as svc
from app.reports.models import ApiKey, Category, Contact, ResponseTemplate

from .conftest import make_user, sign_in


def audit_actions():
    return [a.action for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_category_create_and_edit_with_texts_per_language(client, world, admin):
    page = client.get("/en/admin/reports/categories/").get_data(as_text=True)
    assert "Potholes" in page and "North Council" in page
    resp = client.post(
        "/en/admin/reports/categories/new",
        data={
            "name": "Graffiti",
            "code": "",
            "name_es": "Pintadas",
            "name_ar": "كتابة على الجدران",
            "hint_en": "Paint on walls",
            "notice_fr": "Appelez la police en cas d'urgence",
        },
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)
    cat = svc.find_category("graffiti")
    assert cat.name == "Graffiti" and cat.names == {"es": "Pintadas", "ar": "كتابة على الجدران"}
    assert cat.hints == {"en": "Paint on walls"} and cat.notices == {"fr": "Appelez la police en cas d'urgence"}
    assert cat.label("ar") == "كتابة على الجدران"
    assert audit_actions()[-1] == "reports.category.create"
    form = client.get(f"/en/admin/reports/categories/{cat.id}").get_data(as_text=True)
    assert "Pintadas" in form and "Paint on walls" in form
    resp = client.post(
        f"/en/admin/reports/categories/{cat.id}",
        data={"name": "Graffiti and fly-posting", "code": "graffiti", "name_es": "Pintadas y carteles"},
    )
    assert resp.status_code == 303
    db.session.refresh(cat)
    assert cat.name == "Graffiti and fly-posting" and cat.names == {"es": "Pintadas y carteles"}
    assert cat.hints == {} and audit_actions()[-1] == "reports.category.update"


def test_category_validation_keeps_values_and_stores_nothing(client, world, admin):
    before = db.session.scalar(select(func.count()).select_from(Category))
    resp = client.post("/en/admin/reports/categories/new", data={"name": "", "name_es": "Baches nuevos"})
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Please give the category a name." in page and "Baches nuevos" in page
    resp = client.post("/en/admin/reports/categories/new", data={"name": "Holes", "code": "potholes"})
    assert resp.status_code == 422 and "Another category already has this code." in resp.get_data(as_text=True)
    resp = client.post("/en/admin/reports/categories/new", data={"name": "Bad", "code": "no spaces!"})
    assert resp.status_code == 422 and 'value="Bad"' in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Category)) == before
    assert not [a for a in audit_actions() if a.startswith("reports.")]


def test_contacts_per_body_add_edit_delete(client, world, admin):
    south = world["south"]
    page = client.get(f"/en/admin/reports/bodies/{south}/contacts").get_data(as_text=True)
    assert "South Council" in page and "roads@south.example" in page
    resp = client.post(
        f"/en/admin/reports/bodies/{south}/contacts",
        data={
            "category": "street-lights",
            "send_method": "open311",
            "endpoint": "https://south.example/open311",
            "jurisdiction_id": "south",
            "api_key": "s3cret-key",
            "active": "y",
        },
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)
    contact = db.session.scalar(
        select(Contact).where(Contact.body_id == south, Contact.category_id == svc.find_category("street-lights").id)
    )
    assert contact.send_method == "open311" and contact.api_key == "s3cret-key" and contact.active
    # The point in Southtown now offers street lights too.
    assert "Street lights" in [c.name for c in svc.categories_at(49.5, 0.5)]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reports.contact.create"))
    assert entry.detail["api_key_changed"] is True and "s3cret-key" not in str(entry.detail)
    # Editing without a key keeps the saved one; the key is never shown back.
    edit = client.get(f"/en/admin/reports/contacts/{contact.id}").get_data(as_text=True)
    assert "s3cret-key" not in edit and "https://south.example/open311" in edit
    resp = client.post(
        f"/en/admin/reports/contacts/{contact.id}",
        data={"category": "street-lights", "send_method": "email", "email": "Lights@South.example", "endpoint": ""},
    )
    assert resp.status_code == 303
    db.session.refresh(contact)
    assert contact.send_method == "email" and contact.email == "lights@south.example"
    assert contact.api_key == "s3cret-key" and contact.active is False  # unticked box
    assert "reports.contact.update" in audit_actions()
    resp = client.post(f"/en/admin/reports/contacts/{contact.id}/delete")
    assert resp.status_code == 303
    assert db.session.get(Contact, contact.id) is None and audit_actions()[-1] == "reports.contact.delete"


def test_contact_validation(client, world, admin):
    north, south = world["north"], world["south"]
    url = f"/en/admin/reports/bodies/{north}/contacts"
    resp = client.post(url, data={"category": "potholes", "send_method": "email", "email": "x@north.example"})
    assert resp.status_code == 422
    assert "This body already has a contact for this category." in resp.get_data(as_text=True)
    resp = client.post(
        url, data={"category": "", "send_method": "open311", "endpoint": "ftp://x", "jurisdiction_id": "kept-value"}
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Please choose a category." in page
    assert "starting with http:// or https://" in page and "kept-value" in page
    resp = client.post(url, data={"category": "street-lights", "send_method": "email", "email": "not an email"})
    assert resp.status_code == 422 and "Please give a valid email address." in resp.get_data(as_text=True)
    resp = client.post(url, data={"category": "potholes", "send_method": "open311", "endpoint": ""})
    assert resp.status_code == 422 and "needs the endpoint" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Contact)) == 3
    # Editing a contact to a category the body already has is refused too.
    [lights] = db.session.scalars(select(Contact).where(Contact.body_id == north, Contact.email.like("lights%")))
    resp = client.post(f"/en/admin/reports/contacts/{lights.id}", data={"category": "potholes", "send_method": "email"})
    assert resp.status_code == 422
    db.session.refresh(lights)
    assert lights.category.code == "street-lights"
    assert client.get("/en/admin/reports/bodies/999999/contacts").status_code == 404
    assert south


def test_response_templates_by_moderators(client, world):
    sign_in(client, make_user(email="mod@example.org", name="Mo", role="moderator"))
    resp = client.post("/en/admin/reports/templates/", data={"title": "", "text": "We are on it", "state": ""})
    assert resp.status_code == 422 and "We are on it" in resp.get_data(as_text=True)
    resp = client.post(
        "/en/admin/reports/templates/",
        data={
            "title": "Fixed",
            "text": "Repaired by our team",
            "state": "fixed - council",
            "body_id": str(world["north"]),
        },
    )
    assert resp.status_code == 303
    row = db.session.scalar(select(ResponseTemplate))
    assert (row.title, row.state, row.body_id) == ("Fixed", "fixed - council", world["north"])
    assert "Repaired by our team" in client.get("/en/admin/reports/templates/").get_data(as_text=True)
    resp = client.post(
        f"/en/admin/reports/templates/{row.id}",
        data={"title": "Fixed", "text": "Done", "state": "bogus", "body_id": ""},
    )
    assert resp.status_code == 422
    resp = client.post(
        f"/en/admin/reports/templates/{row.id}", data={"title": "Fixed", "text": "Done", "state": "", "body_id": ""}
    )
    assert resp.status_code == 303
    db.session.refresh(row)
    assert (row.text, row.state, row.body_id) == ("Done", None, None)
    assert client.post(f"/en/admin/reports/templates/{row.id}/delete").status_code == 303
    assert db.session.get(ResponseTemplate, row.id) is None
    assert [a for a in audit_actions() if a.startswith("reports.template")] == [
        "reports.template.create",
        "reports.template.update",
        "reports.template.delete",
    ]
    # Moderators do not set routing: categories, contacts and keys are for admins.
    assert client.get("/en/admin/reports/categories/").status_code == 403
    assert client.get("/en/admin/reports/open311-keys/").status_code == 403


def test_open311_key_shown_once_then_revoked(client, app, world, admin):
    resp = client.post("/en/admin/reports/open311-keys/", data={"name": "   "})
    assert resp.status_code == 422 and "Please name the client." in resp.get_data(as_text=True)
    resp = client.post("/en/admin/reports/open311-keys/", data={"name": "City app"})
    assert resp.status_code == 201 and resp.headers["Cache-Control"] == "no-store"
    page = resp.get_data(as_text=True)
    key = page.split('<code id="new-key">', 1)[1].split("</code>", 1)[0]
    row = db.session.scalar(select(ApiKey))
    assert svc.check_api_key(key).id == row.id and row.name == "City app"
    assert key not in client.get("/en/admin/reports/open311-keys/").get_data(as_text=True)
    ok = client.get("/open311/v2/services.json")
    assert ok.status_code == 200
    resp = client.post(f"/en/admin/reports/open311-keys/{row.id}/revoke")
    assert resp.status_code == 303
    assert svc.check_api_key(key) is None
    posted = client.post(
        "/open311/v2/requests.json",
        data={"api_key": key, "service_code": "potholes", "lat": "50.5", "long": "0.5", "email": "a@b.example"},
    )
    assert posted.status_code == 403
    assert audit_actions()[-2:] == ["reports.open311_key.create", "reports.open311_key.revoke"]


@pytest.mark.parametrize("role", ["citizen", "staff"])
def test_citizens_and_staff_get_403(client, world, role):
    staff_of = [world["north"]] if role == "staff" else []
    sign_in(client, make_user(email=f"{role}@example.org", role=role, staff_of=staff_of))
    [contact] = db.session.scalars(select(Contact).where(Contact.body_id == world["south"]))
    for url in (
        "/en/admin/reports/categories/",
        "/en/admin/reports/categories/new",
        f"/en/admin/reports/bodies/{world['north']}/contacts",
        f"/en/admin/reports/contacts/{contact.id}",
        "/en/admin/reports/templates/",
        "/en/admin/reports/open311-keys/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.post("/en/admin/reports/categories/new", data={"name": "Sneaky"}).status_code == 403
    assert client.post(f"/en/admin/reports/contacts/{contact.id}/delete").status_code == 403
    assert client.post("/en/admin/reports/open311-keys/", data={"name": "x"}).status_code == 403
    assert client.post("/en/admin/reports/templates/", data={"title": "t", "text": "x"}).status_code == 403
    assert db.session.get(Contact, contact.id) is not None and svc.find_category("Sneaky") is None
    assert db.session.scalar(select(func.count()).select_from(ApiKey)) == 0


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    resp = client.get("/en/admin/reports/categories/")
    assert resp.status_code == 302
