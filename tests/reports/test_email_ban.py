"""Banning a reporter without an account bans their email: reports (web and Open311), updates and support refused until lifted."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.reports import operations as svc
from app.reports.models import ModerationLog, Report, Update

from .conftest import make_user, sign_in
from .test_routing_follow import new_report

REFUSED = "Reports from this email address are not accepted."


def web_report(client, email, title="Another hole"):
    return client.post(
        "/en/reports/new",
        data={
            "lat": "50.500000",
            "lon": "0.500000",
            "category": "potholes",
            "title": title,
            "detail": "Deep",
            "name": "Sam",
            "email": email,
        },
    )


def reports_titled(title):
    return db.session.scalar(select(func.count()).select_from(Report).where(Report.title == title))


def ban_anonymous_reporter(client):
    report = new_report(email="anon@example.org", title="Abusive words")
    svc.confirm_report(report)
    db.session.commit()
    mod = make_user(email="mod@example.org", role="moderator")
    sign_in(client, mod)
    resp = client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": "ban", "reason": "abuse"})
    assert resp.status_code == 303
    log = db.session.scalar(select(ModerationLog).where(ModerationLog.action == "ban"))
    assert log.target_user_id is None and log.reason == "abuse"
    return report


def test_banned_email_cannot_report_update_or_support(client, world):
    target = new_report(user=make_user(email="good@example.org"), title="Real problem")
    banned = ban_anonymous_reporter(client)
    db.session.refresh(banned)
    assert banned.state == "hidden"
    page = client.get(f"/en/admin/reports/{banned.id}").get_data(as_text=True)
    assert "The reporter's email address is banned" in page and 'value="unban"' in page

    anon = client.application.test_client()
    resp = web_report(anon, "Anon@Example.org")
    assert resp.status_code == 422 and REFUSED in resp.get_data(as_text=True)
    assert reports_titled("Another hole") == 0
    resp = anon.post(
        f"/en/reports/{target.id}/update", data={"text": "more abuse", "name": "A", "email": "anon@example.org"}
    )
    assert resp.status_code == 422 and "Updates from this email address are not accepted." in resp.get_data(
        as_text=True
    )
    assert db.session.scalar(select(Update).where(Update.text == "more abuse")) is None
    anon.post(f"/en/reports/{target.id}/support", data={"email": "anon@example.org"})
    db.session.refresh(target)
    assert target.support_count == 0

    _row, key = svc.create_api_key("App")
    db.session.commit()
    resp = anon.post(
        "/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "potholes",
            "lat": "50.5",
            "long": "0.5",
            "description": "Again",
            "email": "anon@example.org",
        },
    )
    assert resp.status_code == 400 and "not accepted" in resp.get_json()[0]["description"]

    # Someone else is not affected.
    assert web_report(anon, "other@example.org", title="Fine report").status_code == 303


def test_signed_in_user_with_a_banned_email_is_refused(client, world):
    ban_anonymous_reporter(client)
    sign_in(client, make_user(email="anon@example.org", name="Now registered"))
    resp = web_report(client, "anon@example.org")
    assert resp.status_code == 422 and REFUSED in resp.get_data(as_text=True)
    assert reports_titled("Another hole") == 0


def test_a_moderator_lifts_an_email_ban(client, world):
    banned = ban_anonymous_reporter(client)
    resp = client.post(f"/en/admin/reports/{banned.id}/moderate", data={"action": "unban", "reason": "appeal"})
    assert resp.status_code == 303
    assert not svc.email_banned("anon@example.org")
    assert 'value="ban"' in client.get(f"/en/admin/reports/{banned.id}").get_data(as_text=True)
    anon = client.application.test_client()
    assert web_report(anon, "anon@example.org").status_code == 303
    assert reports_titled("Another hole") == 1
    # Lifting again: nothing to lift, said plainly.
    resp = client.post(
        f"/en/admin/reports/{banned.id}/moderate", data={"action": "unban", "reason": "x"}, follow_redirects=True
    )
    assert "This email address is not banned." in resp.get_data(as_text=True)
