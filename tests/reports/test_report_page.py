"""The report page: where it was sent (linked), who may reopen or support it, signed-out support confirmed by email, unique ids."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import operations as svc

from .conftest import deliver, make_user, sign_in
from .test_routing_follow import new_report


def test_sent_to_links_the_bodys_report_list(app, client, world, smtp):
    report = new_report(user=make_user(), title="Linked body")
    deliver(app, smtp)
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert f'Sent to <a href="/en/reports/body/{world["north"]}">North Council</a>' in page


def test_reopen_and_me_too_rules(client, world):
    from app.reports.models import Update

    reporter = make_user(email="owner@example.org")
    report = new_report(user=reporter, title="Fixed lamp")
    svc.set_state(report, "fixed - council")
    db.session.commit()
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert 'name="reopen"' not in page  # a signed-out visitor is not offered to reopen
    assert f'href="/en/reports/body/{world["north"]}"' in page or "Not sent yet" in page
    resp = client.post(
        f"/en/reports/{report.id}/update",
        data={"text": "Still dark", "reopen": "y", "name": "X", "email": "stranger@example.org"},
    )
    assert resp.status_code == 422
    assert "Only the person who reported the problem can reopen it." in resp.get_data(as_text=True)
    assert db.session.scalar(select(Update).where(Update.text == "Still dark")) is None
    # With the reporter's own email it waits for the emailed link, then reopens.
    resp = client.post(
        f"/en/reports/{report.id}/update",
        data={"text": "Still dark", "reopen": "y", "name": "O", "email": "owner@example.org"},
    )
    assert resp.status_code == 303
    upd = db.session.scalar(select(Update).where(Update.text == "Still dark"))
    client.get(f"/en/reports/updates/confirm/{upd.token}")
    db.session.refresh(report)
    assert report.state == "confirmed"
    # The reporter cannot support their own report.
    sign_in(client, reporter)
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Me too" not in page
    client.post(f"/en/reports/{report.id}/support", data={})
    db.session.refresh(report)
    assert report.support_count == 0
    assert not svc.add_support(report, "OWNER@example.org")


def test_report_page_has_unique_ids(client, world):
    report = new_report(user=make_user())
    html = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids


def test_signed_out_support_counts_only_after_the_emailed_link(client, world):
    report = new_report(user=make_user())
    client.post(f"/en/reports/{report.id}/support", data={"email": "fan@example.org"})
    db.session.refresh(report)
    assert report.support_count == 0
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "fan@example.org"))
    link = re.search(r"http://plaza.test(/en/reports/support/confirm/\S+)", mail.body_text).group(1)
    assert client.get(link).status_code == 303 and client.get(link).status_code == 303
    db.session.refresh(report)
    assert report.support_count == 1
    assert client.get(link[:-4] + "abcd").status_code == 404
    assert "add your support" in client.get("/en/reports/check-email?kind=support").get_data(as_text=True)
