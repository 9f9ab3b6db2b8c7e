"""Open311 API keys: a rate limit per key (over every view that needs one), and admins suspend and restore a key (audited; 403 while suspended)."""

from __future__ import annotations

from sqlalchemy import select

from app.core.audit import AuditEntry
from app.extensions import db, limiter
from app.reports import operations as svc
from app.reports.models import ApiKey

from .conftest import make_user, sign_in

B = "/open311/v2"


def _post(client, key):
    data = {"api_key": key, "service_code": "potholes", "lat": "50.5", "long": "0.5", "description": "Hole"}
    return client.post(f"{B}/requests.json", data=data)


def test_each_key_has_its_own_rate_limit(app_factory, world):
    app = app_factory(RATELIMIT_ENABLED=True, OPEN311_KEY_RATE_LIMIT="3/hour")
    client = app.test_client()
    with app.app_context():
        limiter.reset()
        _, first = svc.create_api_key("first")
        _, second = svc.create_api_key("second")
        db.session.commit()
        # POST requests and the GET of updates count together, for that key only.
        codes = [_post(client, first).status_code, _post(client, first).status_code]
        codes.append(client.get(f"{B}/servicerequestupdates.json", query_string={"api_key": first}).status_code)
        resp = _post(client, first)
        codes.append(resp.status_code)
        assert codes == [200, 200, 200, 429]
        [err] = resp.get_json()
        assert err["code"] == "429" and resp.headers.get("Retry-After")
        assert _post(client, second).status_code == 200
        # Public reads need no key and are not counted against one.
        assert client.get(f"{B}/services.json").status_code == 200
        limiter.reset()


def _audit_actions():
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_admin_suspends_and_restores_a_key(client, world):
    row, key = svc.create_api_key("City app")
    db.session.commit()
    admin = make_user(email="admin@example.org", role="admin")
    sign_in(client, admin)
    page = client.get("/en/admin/reports/open311-keys/").get_data(as_text=True)
    assert f'action="/en/admin/reports/open311-keys/{row.id}/suspension"' in page and ">Suspend</button>" in page
    resp = client.post(f"/en/admin/reports/open311-keys/{row.id}/suspension", data={"action": "suspend"})
    assert resp.status_code == 303
    db.session.refresh(row)
    assert row.suspended_at is not None
    for fmt in ("json", "xml"):
        resp = client.post(f"{B}/requests.{fmt}", data={"api_key": key, "service_code": "potholes"})
        assert resp.status_code == 403
    resp = _post(client, key)
    assert resp.get_json() == [{"code": "403", "description": "this api_key is suspended"}]
    page = client.get("/en/admin/reports/open311-keys/").get_data(as_text=True)
    assert "Suspended " in page and ">Restore</button>" in page
    resp = client.post(f"/en/admin/reports/open311-keys/{row.id}/suspension", data={"action": "restore"})
    assert resp.status_code == 303
    assert _post(client, key).status_code == 200
    assert _audit_actions()[-2:] == ["reports.open311_key.suspend", "reports.open311_key.restore"]


def test_only_admins_suspend_keys(client, world):
    row, _ = svc.create_api_key("City app")
    db.session.commit()
    sign_in(client, make_user(email="staff@north.example", role="staff", staff_of=[world["north"]]))
    resp = client.post(f"/en/admin/reports/open311-keys/{row.id}/suspension", data={"action": "suspend"})
    assert resp.status_code == 403
    assert db.session.get(ApiKey, row.id).suspended_at is None
