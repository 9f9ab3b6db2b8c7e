"""Slice 5: staff of a body handle their reports (and never another body's); moderation is logged."""

from __future__ import annotations

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports.models import ModerationLog, Report, Update

from .conftest import make_user, sign_in
from .test_routing_follow import new_report


def test_staff_change_state_and_category_only_for_their_body(client, world):
    north_staff = make_user(email="staff@north.example", name="North Staff", role="staff", staff_of=[world["north"]])
    south_staff = make_user(email="staff@south.example", name="South Staff", role="staff", staff_of=[world["south"]])
    reporter = make_user(email="rep@example.org")
    report = new_report(user=reporter)
    sign_in(client, south_staff)
    assert client.get(f"/en/admin/reports/{report.id}").status_code == 403
    resp = client.post(f"/en/admin/reports/{report.id}", data={"state": "fixed - council", "category": "potholes"})
    assert resp.status_code == 403
    assert "Broken lamp" not in client.get("/en/admin/reports/").get_data(as_text=True)
    assert b"Broken lamp" not in client.get("/en/admin/reports/export.csv").data
    db.session.refresh(report)
    assert report.state == "confirmed"
    sign_in(client, north_staff)
    assert "Broken lamp" in client.get("/en/admin/reports/").get_data(as_text=True)
    resp = client.post(f"/en/admin/reports/{report.id}",
                       data={"state": "fixed - council", "category": "street-lights", "text": "Replaced the bulb",
                             "note": "internal: contractor 12"})
    assert resp.status_code == 303
    db.session.refresh(report)
    assert report.state == "fixed - council"
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Replaced the bulb" in page and "contractor 12" not in page and "Fixed by the council" in page
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "rep@example.org")).all()[-1]
    assert "Replaced the bulb" in mail.body_text
    csv_text = client.get("/en/admin/reports/export.csv?state=fixed+-+council").get_data(as_text=True)
    assert "Broken lamp" in csv_text and csv_text.startswith("\ufeffid,title")  # BOM: UTF-8 for spreadsheets
    import csv
    import io

    [row] = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert row["body_names"] == "North Council" and row["areas"] == "Northtown"
    assert row["url"] == f"http://plaza.test/en/reports/{report.id}"


def test_citizens_cannot_open_staff_pages(client, world):
    sign_in(client, make_user())
    assert client.get("/en/admin/reports/").status_code == 403


def test_moderator_hides_and_bans_with_a_logged_reason(client, world):
    mod = make_user(email="mod@example.org", name="Mod", role="moderator")
    abuser = make_user(email="bad@example.org", name="Bad")
    report = new_report(user=abuser, title="Rude words")
    sign_in(client, mod)
    resp = client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": "hide", "reason": ""})
    db.session.refresh(report)
    assert report.state == "confirmed"  # no reason, nothing done
    client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": "ban", "reason": "abuse"})
    db.session.refresh(report)
    assert report.state == "hidden" and abuser.banned_at is not None
    log = db.session.scalar(select(ModerationLog))
    assert log.action == "ban" and log.reason == "abuse" and log.user_id == mod.id and log.created_at
    client2 = client.application.test_client()
    assert client2.get(f"/en/reports/{report.id}").status_code in (404, 410)
    assert "Rude words" not in client2.get("/en/reports/").get_data(as_text=True)
    # A banned user's new report is hidden and never sent.
    later = new_report(user=db.session.get(type(abuser), abuser.id), title="Again")
    assert later.state == "hidden" and later.sends == []
    assert resp.status_code == 303
    db.session.add(Update(report_id=report.id, text="x", kind="public"))
    db.session.commit()
    assert db.session.scalar(select(Report).where(Report.title == "Again")).state == "hidden"


def test_staff_see_where_when_and_who_to_contact(client, world):
    staff = make_user(email="desk@north.example", name="North Desk", role="staff", staff_of=[world["north"]])
    report = new_report(user=make_user(email="rep2@example.org"), category="potholes")
    report.phone = "+44 29 2087 2000"
    db.session.commit()
    sign_in(client, staff)
    client.post(f"/en/admin/reports/{report.id}", data={"state": "investigating", "category": "potholes",
                                                         "text": "Inspector booked"})
    html = client.get(f"/en/admin/reports/{report.id}").get_data(as_text=True)
    assert "<svg" in html and "Northtown" in html  # the map and the areas at the point
    assert 'href="mailto:rep2@example.org"' in html and "+44 29 2087 2000" in html and "<bdi>Rhian</bdi>" in html
    assert "Name not shown publicly" in html
    update_meta = html.split("Inspector booked")[0].rsplit('<p class="small muted">', 1)[1]
    assert "North Desk" in update_meta and "Investigating" in update_meta
    public = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "rep2@example.org" not in public and "2087 2000" not in public
