"""The "tell us what the reply said" reminders carry a one-click stop link that holds across replies."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.foi.jobs import daily
from app.foi.models import FoiRequest

from .helpers import make_request, receive, reply_email


def _reminders():
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "foi/email/reminder.txt").order_by(OutboxMessage.id)
        )
    )


def _age(req_id, days):
    req = db.session.get(FoiRequest, req_id)
    req.classify_reminded_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    db.session.commit()


def test_classify_reminder_stops_in_one_click(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req))
    _age(req.id, 4)
    assert daily()["reminders"] == 1
    db.session.commit()
    [mail] = _reminders()
    assert mail.headers["Auto-Submitted"] == "auto-generated"
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = re.fullmatch(r"<(http://plaza\.test/\S+)>", mail.headers["List-Unsubscribe"]).group(1)
    assert url in mail.body_text
    path = url.removeprefix("http://plaza.test")
    app.config["WTF_CSRF_ENABLED"] = True  # a mail program's POST carries no form token
    try:
        assert client.get(path).status_code == 200  # a GET only asks
        assert db.session.get(FoiRequest, req.id).classify_reminders == 1
        assert client.post(path.replace(f"/request/{req.id}/", "/request/999999/")).status_code == 404
        assert client.post(path + "x").status_code == 404
        resp = client.post(path, data="List-Unsubscribe=One-Click")
        assert resp.status_code == 200
        assert "no longer" in resp.get_data(as_text=True)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    receive(runner, reply_email(req, text="Otra respuesta."))  # a new reply does not restart them
    _age(req.id, 30)
    assert daily()["reminders"] == 0
    assert len(_reminders()) == 1
