"""Admin editing (moderators only, 422 with the form kept), the dashboard panel, the demo."""

from __future__ import annotations

from conftest import login
from sqlalchemy import select

from app.directory.models import Membership, Organisation, Person
from app.extensions import db


def test_admin_asks_to_sign_in(client):
    assert client.get("/en/admin/directory/").status_code == 302


def test_admin_requires_a_moderator(app, client):
    login(client, app, role="citizen", email="c@example.org")
    assert client.get("/en/admin/directory/").status_code == 403
    assert client.post("/en/admin/directory/organisations/new", data={"name": "X"}).status_code == 403
    assert db.session.scalar(select(Organisation)) is None


def test_moderator_edits_bodies_people_and_memberships(welsh_areas_app, client):
    app = welsh_areas_app
    login(client, app)
    bad = client.post(
        "/en/admin/directory/organisations/new",
        data={"name": "Cardiff Council", "email": "nope", "parent_id": "0", "area_codes": "gss:W06000015"},
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Enter a valid email address." in html and 'value="Cardiff Council"' in html
    assert db.session.scalar(select(Organisation)) is None
    unknown = client.post(
        "/en/admin/directory/organisations/new",
        data={"name": "Cardiff Council", "parent_id": "0", "area_codes": "gss:NOPE"},
    )
    assert unknown.status_code == 422 and db.session.scalar(select(Organisation)) is None
    ok = client.post(
        "/en/admin/directory/organisations/new",
        data={
            "name": "Cardiff Council",
            "names": "cy = Cyngor Caerdydd",
            "classification": "council",
            "parent_id": "0",
            "area_codes": "gss:W06000015",
            "tags": "council",
            "email": "",
            "foi_email": "",
        },
    )
    assert ok.status_code == 303
    org = db.session.scalar(select(Organisation))
    assert org.name_in("cy") == "Cyngor Caerdydd" and len(org.area_ids) == 1
    missing = client.get("/en/admin/directory/bodies/missing-email").get_data(as_text=True)
    assert "Cardiff Council" in missing
    client.post(
        f"/en/admin/directory/organisations/{org.id}",
        data={
            "name": "Cardiff Council",
            "names": "cy = Cyngor Caerdydd",
            "parent_id": "0",
            "area_codes": "gss:W06000015",
            "foi_email": "foi@cardiff.example",
        },
    )
    assert "Cardiff Council" not in client.get("/en/admin/directory/bodies/missing-email").get_data(as_text=True)
    # a person, a membership, a private contact detail
    res = client.post("/en/admin/directory/people/new", data={"name": "Huw Jones", "email": "huw@example.org"})
    assert res.status_code == 303
    person = db.session.scalar(select(Person))
    res = client.post(
        f"/en/admin/directory/people/{person.id}/memberships",
        data={
            "organisation_id": str(org.id),
            "role": "councillor",
            "on_behalf_of_id": "0",
            "legislative_period_id": "0",
            "area_code": "gss:W06000015",
            "start_date": "2022-05-05",
            "end_date": "2021-01-01",
        },
    )
    assert res.status_code == 422 and "before the start date" in res.get_data(as_text=True)
    res = client.post(
        f"/en/admin/directory/people/{person.id}/memberships",
        data={
            "organisation_id": str(org.id),
            "role": "councillor",
            "on_behalf_of_id": "0",
            "legislative_period_id": "0",
            "area_code": "gss:W06000015",
            "start_date": "2022-05-05",
        },
    )
    assert res.status_code == 303
    m = db.session.scalar(select(Membership))
    assert m.area_id == org.area_ids[0] and m.is_current()
    client.post(
        f"/en/admin/directory/people/{person.id}/contacts",
        data={"type": "voice", "value": "029 2087 0000", "private": "y"},
    )
    db.session.expire_all()
    assert db.session.get(Person, person.id).contact_details[0].private
    reps = client.get("/en/representatives?lat=51.4816&lon=-3.1791").get_data(as_text=True)
    assert "Huw Jones" in reps and "2087 0000" not in client.get(f"/en/people/{person.id}").get_data(as_text=True)


def test_dashboard_panel(app):
    from app.core import registry

    with app.test_request_context("/en/"):
        db.session.add(Organisation(name="Silent Body", classification="council"))
        db.session.commit()
        panels = [f() for f in registry.dashboard_panels()]
        mine = [p for p in panels if p and p[0] == "directory/_dashboard_panel.html"]
        assert mine and mine[0][1]["missing_email"] == 1


def test_demo_loader_creates_bodies_and_representatives(app):
    from app.areas import services as areas
    from app.core import registry
    from app.directory import services

    with app.test_request_context("/en/"):
        for loader in registry.demo_loaders():
            if loader.__module__.startswith(("app.areas", "app.directory")):
                loader()
        db.session.commit()
        district = areas.areas_of_type(["DIS"])[0][0]
        bodies = services.bodies_for_areas([district.id])
        council = next(b for b in bodies if b.tags == ("council", "district"))
        assert council.foi_email == f"foi@{district.name.lower()}-council.example"
        lat, lon = areas.centroid(district.id)
        reps = services.representatives_at(lat, lon)
        assert any(r.organisation_name == "National Assembly" for r in reps)
        assert not any(r.person_name == "Olu Adeyemi" for r in reps)  # the former member


def test_phone_numbers_are_checked_stored_in_e164_and_shown_locally(welsh_areas_app, client):
    app = welsh_areas_app
    login(client, app)
    person = Person(name="Nia Phone")
    db.session.add(person)
    db.session.commit()
    url = f"/en/admin/directory/people/{person.id}/contacts"
    client.post(url, data={"type": "voice", "value": "12"})
    db.session.expire_all()
    assert db.session.get(Person, person.id).contact_details == []  # refused: not a possible number
    client.post(url, data={"type": "voice", "value": "029 2087 2087"})
    client.post(url, data={"type": "fax", "value": "+33 1 23 45 67 89"})
    db.session.expire_all()
    assert [c.value for c in db.session.get(Person, person.id).contact_details] == ["+442920872087", "+33123456789"]
    page = client.get(f"/en/people/{person.id}").get_data(as_text=True)
    assert '<span dir="ltr">029 2087 2087</span>' in page  # a number of this country, written the local way
    assert "+33 1 23 45 67 89" in page
