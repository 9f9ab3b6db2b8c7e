"""Open311 servicerequestupdates: only a key of the report's body may push, FixMyStreet's statuses map to states, ids are never mixed up."""

from __future__ import annotations

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import ApiKey, Report, Send, Update

from .conftest import make_user, sign_in
from .open311_helpers import errors_of, post, push
from .test_routing_follow import new_report


def _push(client, key, rid, **extra):
    data = {
        "api_key": key,
        "service_request_id": rid,
        "update_id": extra.pop("update_id", "u1"),
        "updated_datetime": "2025-01-02T10:00:00Z",
    }
    data.update(extra)
    return client.post("/open311/v2/servicerequestupdates.json", data=data)


def _north_key(world):
    row, key = svc.create_api_key("north back-end")
    row.body_id = world["north"]
    db.session.commit()
    return key


def test_fixmystreet_statuses_map_to_plaza_states(client, world):
    from app.reports.models import Update

    key = _north_key(world)
    report = new_report(user=make_user())
    steps = [
        ({"status": "IN_PROGRESS"}, "in progress"),
        ({"status": "action_scheduled"}, "action scheduled"),
        ({"status": "FIXED"}, "fixed - council"),
        ({"status": "OPEN"}, "confirmed"),
        ({"status": "CLOSED", "external_status_code": "duplicate"}, "duplicate"),
        ({"status": "open", "external_status_code": "investigating"}, "investigating"),
        ({"status": "CLOSED", "external_status_code": "not_councils_responsibility"}, "not responsible"),
        ({"status": "closed", "external_status_code": "no_further_action"}, "unable to fix"),
        ({"status": "OPEN"}, "confirmed"),
        ({"status": "NOT_COUNCILS_RESPONSIBILITY"}, "not responsible"),
        ({"status": "open"}, "confirmed"),
        ({"status": "CLOSED"}, "fixed - council"),
    ]
    for i, (data, state) in enumerate(steps):
        resp = _push(client, key, str(report.id), update_id=f"s{i}", description=f"step {i}", **data)
        assert resp.status_code == 200, (data, resp.get_json())
        db.session.refresh(report)
        assert report.state == state, data
    for bad in (
        {"status": "maybe"},
        {"status": "open", "external_status_code": "whatever"},
        {"status": "open", "updated_datetime": "garbage"},
    ):
        data = {"update_id": "bad", "description": "x"}
        data.update(bad)
        resp = _push(client, key, str(report.id), **data)
        assert resp.status_code == 400, bad
        assert resp.get_json()[0]["code"] == "400"
    count = db.session.query(Update).count()
    # An empty push (no text, no change) publishes nothing and mails nobody.
    mails = db.session.query(OutboxMessage).count()
    resp = _push(client, key, str(report.id), update_id="empty", status="CLOSED")
    assert resp.status_code == 200 and resp.get_json() == [{"update_id": "empty"}]
    assert db.session.query(Update).count() == count and db.session.query(OutboxMessage).count() == mails


def test_a_bodys_own_id_and_plazas_id_are_not_mixed_up(client, world):
    from app.reports.models import Send

    key = _north_key(world)
    sent_by_open311 = new_report(user=make_user(), title="Has a CRM id")
    by_email = new_report(user=make_user(email="e2@example.org"), title="Known by Plaza id")
    [send] = sent_by_open311.sends
    send.external_id = str(by_email.id)  # the CRM's id for the first is the second's Plaza id
    db.session.commit()
    resp = _push(client, key, str(by_email.id), status="FIXED", description="done")
    assert resp.status_code == 400 and "ambiguous" in resp.get_json()[0]["description"]
    resp = _push(
        client, key, str(by_email.id), service_request_id_ext=str(by_email.id), status="FIXED", description="done"
    )
    assert resp.status_code == 200
    db.session.refresh(by_email)
    db.session.refresh(sent_by_open311)
    assert by_email.state == "fixed - council" and sent_by_open311.state == "confirmed"
    # The first report's Plaza id is not the body's id for it: the body's own id wins.
    other = db.session.scalar(select(Send).where(Send.report_id == sent_by_open311.id))
    other.external_id = "CRM-1"
    db.session.commit()
    resp = _push(client, key, "CRM-1", update_id="u2", status="IN_PROGRESS", description="on it")
    assert resp.status_code == 200
    db.session.refresh(sent_by_open311)
    assert sent_by_open311.state == "in progress"


def test_only_a_key_of_one_of_the_reports_bodies_may_push_updates(client, keys, world):
    rid = post(client, keys["app"]).get_json()[0]["service_request_id"]  # routed to North Council
    for who in ("app", "south"):
        r = push(client, keys[who], rid)
        assert r.status_code == 403
        [(code, text)] = errors_of(r)
        assert code == "403" and "may not update" in text
        r = push(client, keys[who], rid, fmt="xml")
        assert r.status_code == 403 and errors_of(r)[0][0] == "403"
    report = db.session.get(Report, int(rid))
    assert report.state == "confirmed" and db.session.scalar(select(Update)) is None
    r = push(client, keys["north"], rid)
    assert r.status_code == 200
    db.session.refresh(report)
    assert report.state == "fixed - council"
    upd = db.session.scalar(select(Update))
    assert upd.body_id == world["north"] and upd.text == "Mended"


def test_a_body_key_finds_the_report_by_the_bodys_own_id(client, keys, world):
    rid = int(post(client, keys["app"]).get_json()[0]["service_request_id"])
    send = db.session.scalar(select(Send).where(Send.report_id == rid))
    send.external_id = "NC-5"
    db.session.commit()
    assert push(client, keys["south"], "NC-5").status_code == 404  # not South's id
    assert push(client, keys["north"], "NC-5", status="open", external_status_code="in progress").status_code == 200
    assert db.session.get(Report, rid).state == "in progress"


def test_admin_issues_a_key_for_a_body(client, world):
    sign_in(client, make_user(email="admin@example.org", role="admin"))
    page = client.get("/en/admin/reports/open311-keys/").get_data(as_text=True)
    assert "North Council" in page and "A reporting app (new reports only)" in page
    r = client.post("/en/admin/reports/open311-keys/", data={"name": "North back office", "body": str(world["north"])})
    assert r.status_code == 201
    row = db.session.scalar(select(ApiKey))
    assert row.body_id == world["north"]
    html = r.get_data(as_text=True)
    assert "North back office" in html and html.count("North Council") >= 2  # the table and the choice
    assert client.post("/en/admin/reports/open311-keys/", data={"name": "X", "body": "999"}).status_code == 422
    r = client.post("/en/admin/reports/open311-keys/", data={"name": "App", "body": ""})
    assert r.status_code == 201
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "App")).body_id is None


def test_cli_issues_a_key_for_a_body(app, runner, world):
    out = runner.invoke(args=["reports", "open311-key", "create", "South backend", "--body", "South Council"])
    assert out.exit_code == 0, out.output
    row = db.session.scalar(select(ApiKey))
    assert row.body_id == world["south"] and "South Council" in out.output
    out = runner.invoke(args=["reports", "open311-key", "create", "By id", "--body", str(world["north"])])
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "By id")).body_id == world["north"]
    bad = runner.invoke(args=["reports", "open311-key", "create", "Nobody", "--body", "No Such Council"])
    assert bad.exit_code != 0 and "Unknown body" in bad.output
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "Nobody")) is None
