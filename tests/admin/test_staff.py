"""Admins make a user staff of public bodies (user page without JS, `flask users staff`); making them a citizen ends it."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import StaffMembership, User
from app.core.audit import AuditEntry
from app.directory.models import Organisation
from app.extensions import db

from .conftest import PASSWORD


def _bodies():
    river = Organisation(name="River Valley Council", classification="council")
    mill = Organisation(name="Millbrook Council", classification="council")
    party = Organisation(name="River Party", classification="party")
    db.session.add_all([river, mill, party])
    db.session.commit()
    return river, mill


def test_admin_adds_and_removes_staff_bodies_without_js(as_role, make_user):
    river, mill = _bodies()
    target = make_user("worker@example.org", name="Wanda Worker")
    client, admin = as_role("admin")
    html = client.get(f"/en/admin/users/{target.id}").get_data(as_text=True)
    assert "Not staff of any public body." in html and 'name="body_q"' in html
    # Find a body by name: parties are not bodies and are not offered.
    html = client.get(f"/en/admin/users/{target.id}?body_q=river").get_data(as_text=True)
    assert f'value="{river.id}"' in html and "River Valley Council" in html and "River Party" not in html
    resp = client.post(f"/en/admin/users/{target.id}/staff", data={"body_id": str(river.id)})
    assert resp.status_code == 303
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Wanda Worker is now staff of River Valley Council." in html
    db.session.refresh(target)
    assert target.staff_org_ids == {river.id} and target.role == "staff" and target.is_staff
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.staff_add"))
    assert (entry.actor_id, entry.object_id) == (admin.id, str(target.id))
    history = client.get(f"/en/admin/users/{target.id}").get_data(as_text=True).split("<h2>History</h2>")[1]
    assert "Made staff of a public body" in history and '<td dir="auto">Admin</td>' in history
    assert entry.detail == {
        "organisation": river.id,
        "name": "River Valley Council",
        "role": {"from": "citizen", "to": "staff"},
    }
    client.post(f"/en/admin/users/{target.id}/staff", data={"body_id": str(mill.id)})
    db.session.refresh(target)
    assert target.staff_org_ids == {river.id, mill.id}
    # An unknown or missing body is refused with a message and nothing is stored.
    resp = client.post(f"/en/admin/users/{target.id}/staff", data={"body_id": "999999"})
    assert resp.status_code == 422 and "Choose a public body." in resp.get_data(as_text=True)
    assert client.post(f"/en/admin/users/{target.id}/staff", data={}).status_code == 422
    # Removing the last membership makes the user a citizen again.
    for body in (river, mill):
        resp = client.post(f"/en/admin/users/{target.id}/staff", data={"body_id": str(body.id), "remove": "1"})
        assert resp.status_code == 303
    db.session.refresh(target)
    assert target.staff_org_ids == set() and target.role == "citizen"
    assert db.session.scalar(select(db.func.count()).select_from(StaffMembership)) == 0
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(target.id))).all()
    assert sorted(actions) == ["user.staff_add"] * 2 + ["user.staff_remove"] * 2


def test_non_admins_cannot_change_staff(as_role, make_user):
    river, _mill = _bodies()
    target = make_user("worker@example.org")
    for role in ("moderator", "staff", "citizen"):
        client, _ = as_role(role)
        assert client.post(f"/en/admin/users/{target.id}/staff", data={"body_id": str(river.id)}).status_code == 403
    client, _ = as_role("moderator", "mod2@example.org")
    html = client.get(f"/en/admin/users/{target.id}?body_q=river").get_data(as_text=True)
    assert 'name="body_q"' not in html and f'value="{river.id}"' not in html
    db.session.refresh(target)
    assert target.staff_org_ids == set()


def test_cli_users_staff(app, make_user):
    river, mill = _bodies()
    target = make_user("worker@example.org")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "staff", "worker@example.org", "river valley council"])
    assert result.exit_code == 0, result.output
    assert f"worker@example.org is now staff of River Valley Council (id {river.id})." in result.output
    result = runner.invoke(args=["users", "staff", "WORKER@example.org", str(mill.id)])
    assert result.exit_code == 0, result.output
    db.session.refresh(target)
    assert target.staff_org_ids == {river.id, mill.id}
    result = runner.invoke(args=["users", "staff", "worker@example.org", "Council"])
    assert result.exit_code != 0 and "2 public bodies match" in result.output
    result = runner.invoke(args=["users", "staff", "nobody@example.org", str(mill.id)])
    assert result.exit_code != 0 and "No account has the email" in result.output
    result = runner.invoke(args=["users", "staff", "worker@example.org", "Atlantis"])
    assert result.exit_code != 0 and "No public body matches" in result.output
    result = runner.invoke(args=["users", "staff", "worker@example.org", str(mill.id), "--remove"])
    assert result.exit_code == 0 and "is no longer staff of Millbrook Council" in result.output
    db.session.refresh(target)
    assert target.staff_org_ids == {river.id}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.staff_remove"))
    assert entry.actor_id is None and entry.detail["via"] == "cli"


def test_making_a_staff_member_a_citizen_ends_their_staff_access(as_role, make_user):
    body = Organisation(name="River Valley Council", classification="council")
    db.session.add(body)
    db.session.commit()
    ana = make_user("ana@example.org", name="Ana")
    client, _admin = as_role("admin")
    assert client.post(f"/en/admin/users/{ana.id}/staff", data={"body_id": str(body.id)}).status_code == 303
    ana_client = client.application.test_client()
    ana_client.post("/en/accounts/signin", data={"email": "ana@example.org", "password": PASSWORD})
    reports = "reports_admin" in client.application.blueprints
    assert ana_client.get("/en/admin/reports/").status_code == (200 if reports else 404)
    resp = client.post(f"/en/admin/users/{ana.id}/role", data={"role": "citizen"})
    assert resp.status_code == 303
    db.session.expire_all()
    ana = db.session.get(User, ana.id)
    assert ana.role == "citizen" and ana.staff_org_ids == set() and not ana.is_staff
    assert db.session.scalar(select(db.func.count()).select_from(StaffMembership)) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role"))
    assert entry.detail == {"from": "staff", "to": "citizen", "organisations": [body.id]}
    assert ana_client.get("/en/admin/reports/").status_code == (403 if reports else 404)
    # "Staff" alone, with no public body, is refused with a message.
    resp = client.post(f"/en/admin/users/{ana.id}/role", data={"role": "staff"})
    assert resp.status_code == 422
    assert "Staff work for a public body" in resp.get_data(as_text=True)
    assert db.session.get(User, ana.id).role == "citizen"


def test_a_citizen_with_left_over_memberships_is_not_staff(app, make_user):
    user = make_user("old@example.org")
    user.staff_of.append(StaffMembership(organisation_id=5))
    db.session.commit()
    assert user.role == "citizen" and not user.is_staff
