"""Mail to reporters and followers: links in their language, a working stop link, the questionnaire only where it is wanted."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Alert

from .conftest import make_user, sign_in
from .test_routing_follow import new_report, outbox_to


def test_mail_links_follow_the_recipients_language(client, world):
    import datetime as dt

    from app.reports.questionnaire import send_due

    reporter = make_user(email="layla@example.org")
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="حفرة",
        detail="",
        lat=50.5,
        lon=0.5,
        name="ليلى",
        email=reporter.email,
        show_name=False,
        language="ar",
        user=reporter,
    )
    db.session.commit()
    client.post("/fr/reports/alerts", data={"kind": "report", "target": str(report.id), "email": "fan@example.org"})
    [confirm] = outbox_to("fan@example.org")
    assert "http://plaza.test/fr/reports/alerts/confirm/" in confirm.body_text
    alert = db.session.scalar(select(Alert).where(Alert.email == "fan@example.org"))
    client.get(f"/fr/reports/alerts/confirm/{alert.token}")
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    sign_in(client, staff)
    resp = client.post(
        f"/en/admin/reports/{report.id}", data={"state": "fixed - council", "category": "potholes", "text": "Fixed"}
    )
    assert resp.status_code == 303
    to_reporter = outbox_to("layla@example.org")[-1]
    assert f"http://plaza.test/ar/reports/{report.id}" in to_reporter.body_text
    assert "/ar/reports/stop/" in to_reporter.body_text and "/en/" not in to_reporter.body_text
    assert to_reporter.headers["List-Unsubscribe"].startswith("<http://plaza.test/ar/reports/stop/")
    to_fan = outbox_to("fan@example.org")[-1]
    assert f"http://plaza.test/fr/reports/{report.id}" in to_fan.body_text and "/en/" not in to_fan.body_text
    assert "/fr/reports/alerts/unsubscribe/" in to_fan.headers["List-Unsubscribe"]
    # The questionnaire, sent by a job with no request: the reporter's language too, with a stop link.
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 1
    q = outbox_to("layla@example.org")[-1]
    assert q.template == "reports/email/questionnaire.txt"
    assert "http://plaza.test/ar/reports/questionnaire/" in q.body_text and "/en/" not in q.body_text
    assert "/ar/reports/stop/" in q.body_text and "List-Unsubscribe" in q.headers


def test_questionnaire_is_not_sent_after_stop_these_emails(client, world):
    import datetime as dt

    from app.reports.questionnaire import send_due

    report = new_report(user=make_user(email="quiet@example.org"))
    assert svc.stop_reporter_emails(report)
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 0
    assert outbox_to("quiet@example.org") == []
    db.session.refresh(report)
    assert report.questionnaire_due_at is None


def test_reporter_update_emails_have_a_working_stop_link(client, world):
    reporter = make_user(email="rep@example.org")
    report = new_report(user=reporter)
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    sign_in(client, staff)
    client.post(
        f"/en/admin/reports/{report.id}",
        data={"state": "investigating", "category": "street-lights", "text": "Looking at it"},
    )
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "rep@example.org")).all()
    link = re.search(r"Stop these emails: http://plaza.test(/en/reports/stop/\S+)", mail.body_text).group(1)
    anon = client.application.test_client()
    assert "Unsubscribe" in anon.get(link).get_data(as_text=True)  # a GET only asks
    assert "no longer get emails" in anon.post(link).get_data(as_text=True)
    assert anon.get(link[:-3] + "xyz").status_code == 404
    client.post(
        f"/en/admin/reports/{report.id}",
        data={"state": "investigating", "category": "street-lights", "text": "Fixed tomorrow"},
    )
    assert len(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "rep@example.org")).all()) == 1


def test_not_fixed_answer_tells_the_body_once(client, world):
    from app.reports.questionnaire import send_due

    user = make_user(email="q@example.org")
    report = new_report(user=user, title="Hole", category="potholes")
    svc.set_state(report, "fixed - council")
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 1
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "q@example.org")).all()[-1]
    link = re.search(r"http://plaza.test(/en/reports/questionnaire/[^?\s]+)", mail.body_text).group(1)
    assert client.post(link, data={"answer": "no"}).status_code == 303
    to_body = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.to_addr == "potholes@north.example", OutboxMessage.subject.contains("Update")
        )
    ).all()
    assert len(to_body) == 1


def test_no_questionnaire_without_an_email(app, world):
    from app.reports.questionnaire import send_due

    report = new_report(user=make_user(), title="Hole", category="potholes")
    report.email = ""
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 0
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "")) is None
    db.session.refresh(report)
    assert report.questionnaire_due_at is None
