"""Slice 7: the reporter edits until sent, hides their name, asks for removal."""

from __future__ import annotations

from app.extensions import db
from app.reports import operations as svc

from .conftest import make_user, sign_in


def test_reporter_hides_name_and_asks_removal_but_cannot_edit_once_sent(client, world):
    user = make_user(email="me@example.org", name="Mair Jones")
    report = svc.create_report(category=svc.find_category("potholes"), title="Hole", detail="", lat=50.5,
                               lon=0.5, name="Mair Jones", email=user.email, show_name=True, language="en", user=user)
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
    report = svc.create_report(category=cat, title="Hole", detail="", lat=50.5, lon=0.5, name="M",
                               email=user.email, show_name=False, language="en", user=user)
    report.sent_at = None
    for s in report.sends:
        s.status = "pending"
    db.session.commit()
    sign_in(client, user)
    assert client.post(f"/en/reports/{report.id}/edit", data={"title": ""}).status_code == 422
    assert client.post(f"/en/reports/{report.id}/edit", data={"title": "Bigger hole", "detail": "d"}).status_code == 303
    db.session.refresh(report)
    assert report.title == "Bigger hole"
