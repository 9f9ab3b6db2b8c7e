"""The reporter edits until sent, hides their name and asks for removal, signed in or through the emailed manage link."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Report

from .conftest import make_user, sign_in


def test_reporter_hides_name_and_asks_removal_but_cannot_edit_once_sent(client, world):
    user = make_user(email="me@example.org", name="Mair Jones")
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="Hole",
        detail="",
        lat=50.5,
        lon=0.5,
        name="Mair Jones",
        email=user.email,
        show_name=True,
        language="en",
        user=user,
    )
    db.session.commit()
    assert "Mair Jones" in client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    sign_in(client, make_user(email="x@example.org"))
    assert client.post(f"/en/reports/{report.id}/name", data={"show_name": "0"}).status_code == 403
    sign_in(client, user)
    client.post(f"/en/reports/{report.id}/name", data={"show_name": "0"})
    client2 = client.application.test_client()
    assert "Mair Jones" not in client2.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert client.post(f"/en/reports/{report.id}/edit", data={"title": "Changed"}).status_code == 303
    db.session.refresh(report)
    assert report.title == "Hole"  # already sent: no edits
    assert client.post(f"/en/reports/{report.id}/removal", data={"reason": ""}).status_code == 422
    client.post(f"/en/reports/{report.id}/removal", data={"reason": "Wrong place"})
    db.session.refresh(report)
    assert report.removal_requested_at is not None and report.removal_reason == "Wrong place"


def test_reporter_edits_an_unsent_report(client, world):
    user = make_user(email="me@example.org")
    cat = svc.find_category("potholes")
    # No contact at this point yet for this category: stays unsent.
    report = svc.create_report(
        category=cat,
        title="Hole",
        detail="",
        lat=50.5,
        lon=0.5,
        name="M",
        email=user.email,
        show_name=False,
        language="en",
        user=user,
    )
    report.sent_at = None
    for s in report.sends:
        s.status = "pending"
    db.session.commit()
    sign_in(client, user)
    assert client.post(f"/en/reports/{report.id}/edit", data={"title": ""}).status_code == 422
    assert client.post(f"/en/reports/{report.id}/edit", data={"title": "Bigger hole", "detail": "d"}).status_code == 303
    db.session.refresh(report)
    assert report.title == "Bigger hole"


def test_signed_out_reporter_manages_through_the_emailed_link(client, world):
    from .test_flow import details

    client.post("/en/reports/new", data=details())
    report = db.session.scalar(select(Report))
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == report.email))
    manage = re.search(r"http://plaza.test(/en/reports/manage/\S+)", mail.body_text).group(1)
    stranger = client.application.test_client()
    assert stranger.post(f"/en/reports/{report.id}/name", data={"show_name": "1"}).status_code == 404
    client.get(re.search(r"http://plaza.test(/en/reports/confirm/\S+)", mail.body_text).group(1))
    other = client.application.test_client()  # another browser, with only the manage link
    assert other.post(f"/en/reports/{report.id}/removal", data={"reason": "x"}).status_code == 403
    assert other.get(manage).status_code == 303
    assert "Ask for removal" in other.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert other.post(f"/en/reports/{report.id}/removal", data={"reason": "wrong place"}).status_code == 303
    db.session.refresh(report)
    assert report.removal_reason == "wrong place"
    assert other.get(manage[:-3] + "abc").status_code == 404
