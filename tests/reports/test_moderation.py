"""Moderating reports: hiding and bans are logged and stop queued sends, removal requests, photos and updates redacted, bans from Admin › Users."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from app.accounts import services as accounts
from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import ModerationLog, Photo, Update

from .conftest import deliver, make_user, sign_in
from .test_routing_follow import new_report


def _moderate(client, report, action):
    mod = make_user(email=f"mod-{action}@example.org", role="moderator")
    sign_in(client, mod)
    resp = client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": action, "reason": "abuse"})
    assert resp.status_code == 303


def test_ban_cancels_the_queued_email_to_the_body(app, client, world, smtp):
    report = new_report(email="abuser@example.org", title="Abuse")
    svc.confirm_report(report)
    db.session.commit()
    [send] = report.sends
    assert send.status == "queued"
    _moderate(client, report, "ban")
    db.session.refresh(report)
    db.session.refresh(send)
    assert report.state == "hidden" and send.status == "superseded"
    mail = db.session.get(OutboxMessage, send.outbox_id)
    assert mail.status == "cancelled"
    deliver(app, smtp)
    assert all("info@north.example" not in m["to"] and "lights@north.example" not in m["to"] for m in smtp.messages)
    db.session.refresh(send)
    db.session.refresh(mail)
    assert send.status == "superseded" and mail.status == "cancelled" and mail.sent_at is None


def test_hide_cancels_the_queued_send_and_showing_again_sends_it(app, client, world):
    report = new_report(user=make_user(), title="Hidden for now")
    [send] = report.sends
    _moderate(client, report, "hide")
    db.session.refresh(send)
    assert send.status == "superseded"
    assert db.session.get(OutboxMessage, send.outbox_id).status == "cancelled"
    _moderate(client, report, "unhide")
    db.session.refresh(report)
    live = [s for s in report.sends if s.status == "queued"]
    assert report.state == "confirmed" and len(live) == 1
    assert db.session.get(OutboxMessage, live[0].outbox_id).status == "pending"


def test_staff_cannot_unhide_a_report_a_moderator_hid(client, world):
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    mod = make_user(email="mod@example.org", role="moderator")
    report = new_report(user=make_user())
    sign_in(client, mod)
    client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": "hide", "reason": "abusive"})
    sign_in(client, staff)
    page = client.get(f"/en/admin/reports/{report.id}").get_data(as_text=True)
    assert "A moderator hid this report" in page and 'name="state"' not in page
    assert client.post(f"/en/admin/reports/{report.id}", data={"state": "confirmed"}).status_code == 403
    db.session.refresh(report)
    assert report.state == "hidden"
    # A moderator cannot slip it back through the staff form either: only the logged action.
    sign_in(client, mod)
    resp = client.post(f"/en/admin/reports/{report.id}", data={"state": "confirmed", "category": "street-lights"})
    assert resp.status_code == 422 and "Show the report again" in resp.get_data(as_text=True)
    db.session.refresh(report)
    assert report.state == "hidden"
    client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": "unhide", "reason": "appeal upheld"})
    db.session.refresh(report)
    assert report.state == "confirmed"
    assert [x.action for x in db.session.scalars(select(ModerationLog).order_by(ModerationLog.id))] == [
        "hide",
        "unhide",
    ]


def test_removal_requests_queue_count_and_resolve(client, world):
    reporter = make_user(email="rep@example.org")
    report = new_report(user=reporter, title="Please remove me")
    other = new_report(user=reporter, title="Keep me")
    sign_in(client, reporter)
    client.post(f"/en/reports/{report.id}/removal", data={"reason": "my house is in the photo"})
    mod = make_user(email="mod@example.org", role="moderator")
    sign_in(client, mod)
    index = client.get("/en/admin/reports/").get_data(as_text=True)
    assert "1 removal request waiting" in index and "removal=1" in index
    queue = client.get("/en/admin/reports/?removal=1").get_data(as_text=True)
    assert "Please remove me" in queue and "Keep me" not in queue and other.id
    dash = client.get("/en/admin/").get_data(as_text=True)
    assert "Removal requests waiting: 1" in dash
    page = client.get(f"/en/admin/reports/{report.id}").get_data(as_text=True)
    assert "resolve_removal" in page
    client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": "resolve_removal", "reason": "not personal"})
    db.session.refresh(report)
    assert report.removal_requested_at is None and report.state == "confirmed"
    log = db.session.scalar(select(ModerationLog).where(ModerationLog.action == "resolve_removal"))
    assert log.reason == "not personal" and log.user_id == mod.id
    assert "No removal requests waiting." in client.get("/en/admin/reports/").get_data(as_text=True)


def _jpeg():
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buf, "JPEG")
    buf.seek(0)
    return buf


def test_moderator_hides_a_photo_and_redacts_an_update(client, world):
    report = new_report(user=make_user())
    reporter_client = client.application.test_client()
    resp = reporter_client.post(
        f"/en/reports/{report.id}/update",
        data={
            "text": "My phone is 07700 900123",
            "name": "Passer",
            "email": "p@example.org",
            "photo": (_jpeg(), "p.jpg"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303
    upd = db.session.scalar(select(Update).where(Update.email == "p@example.org"))
    photo = db.session.scalar(select(Photo).where(Photo.update_id == upd.id))
    url = f"/en/reports/photos/{photo.key}/full.jpg"
    assert client.get(url).status_code == 404  # the update is not confirmed yet
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "p@example.org"))
    client.get(re.search(r"http://plaza.test(/en/reports/updates/confirm/\S+)", mail.body_text).group(1))
    assert client.get(url).status_code == 200
    mod = make_user(email="mod@example.org", role="moderator")
    sign_in(client, mod)
    client.post(
        f"/en/admin/reports/{report.id}/moderate",
        data={
            "action": "redact_update",
            "update_id": upd.id,
            "text": "My phone is [removed]",
            "reason": "personal data",
        },
    )
    client.post(
        f"/en/admin/reports/{report.id}/moderate",
        data={"action": "hide_photo", "photo_id": photo.id, "reason": "a face"},
    )
    public = client.application.test_client()
    html = public.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "[removed]" in html and "07700" not in html and photo.key not in html
    assert public.get(url).status_code == 404
    actions = [(x.action, x.update_id) for x in db.session.scalars(select(ModerationLog).order_by(ModerationLog.id))]
    assert actions == [("redact_update", upd.id), ("hide_photo", None)]
    # A hidden update's photo is not served either.
    db.session.get(Photo, photo.id).hidden_at = None
    upd = db.session.get(Update, upd.id)
    upd.hidden_at = upd.created_at
    db.session.commit()
    assert public.get(url).status_code == 404


def test_banning_from_admin_users_hides_their_reports_and_refuses_their_updates(client, world):
    bad = make_user(email="bad@example.org", name="Bad")
    report = new_report(user=bad, title="Spam report")
    target = new_report(user=make_user(email="good@example.org"), title="Real problem")
    admin = make_user(email="admin@example.org", role="admin")
    sign_in(client, admin)
    assert client.post(f"/en/admin/users/{bad.id}/ban", data={"reason": "spam"}).status_code == 303
    db.session.refresh(report)
    assert report.state == "hidden" and report.hidden_reason == "spam"
    anon = client.application.test_client()
    resp = anon.post(
        f"/en/reports/{target.id}/update", data={"text": "spam update", "name": "B", "email": "bad@example.org"}
    )
    assert resp.status_code == 422 and "not accepted" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Update).where(Update.text == "spam update")) is None
    anon.post(f"/en/reports/{target.id}/support", data={"email": "bad@example.org"})
    assert (
        db.session.scalar(
            select(OutboxMessage).where(
                OutboxMessage.to_addr == "bad@example.org", OutboxMessage.subject.contains("support")
            )
        )
        is None
    )
    db.session.refresh(target)
    assert target.support_count == 0


def test_update_posted_before_a_ban_is_never_published(client, world):
    target = new_report(user=make_user(email="good@example.org"))
    bad = make_user(email="later@example.org")
    anon = client.application.test_client()
    anon.post(
        f"/en/reports/{target.id}/update",
        data={"text": "posted then banned", "name": "L", "email": "later@example.org"},
    )
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "later@example.org"))
    accounts.ban(bad.id, "abuse")
    db.session.commit()
    link = re.search(r"http://plaza.test(/en/reports/updates/confirm/\S+)", mail.body_text).group(1)
    assert anon.get(link).status_code == 404
    assert "posted then banned" not in anon.get(f"/en/reports/{target.id}").get_data(as_text=True)
