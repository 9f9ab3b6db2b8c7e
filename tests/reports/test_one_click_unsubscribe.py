"""Every stop link a reports mail carries works as an RFC 8058 one-click POST, with no form token."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import alerts as A
from app.reports.models import Alert
from app.reports.queries import reporter_emails_stopped
from app.reports.questionnaire import send_due

from .conftest import make_user
from .test_routing_follow import new_report


def _stop_path(mail: OutboxMessage) -> str:
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.headers["Auto-Submitted"] == "auto-generated"
    url = re.fullmatch(r"<(http://plaza\.test/\S+)>", mail.headers["List-Unsubscribe"]).group(1)
    return url.removeprefix("http://plaza.test")


def _one_click(app, client, path):
    app.config["WTF_CSRF_ENABLED"] = True  # as on the site: a mail program's POST has no token
    try:
        assert client.get(path).status_code == 200  # a GET only asks (mail scanners follow links)
        return client.post(path, data="List-Unsubscribe=One-Click")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_alert_and_questionnaire_stop_links_take_a_one_click_post(app, client, world):
    report = new_report(user=make_user(email="rhian@example.org"))
    A.subscribe("area", "fan@example.org", "en", confirmed=True, area_id=report.area_ids[0])
    db.session.commit()
    A.notify_new_report(new_report(title="Second lamp"))
    db.session.commit()
    [alert_mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "fan@example.org"))
    path = _stop_path(alert_mail)
    assert "/reports/alerts/unsubscribe/" in path
    resp = _one_click(app, client, path)
    assert resp.status_code == 200
    assert db.session.scalar(select(Alert.unsubscribed_at).where(Alert.email == "fan@example.org")) is not None

    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 1
    question = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.template == "reports/email/questionnaire.txt")
    )
    path = _stop_path(question)
    assert not reporter_emails_stopped(report)
    assert _one_click(app, client, path).status_code == 200
    assert reporter_emails_stopped(report)
