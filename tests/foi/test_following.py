"""Classification reminders, follow emails, Atom feeds (with an author), Word attachments read as text."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.core.models import utcnow
from app.extensions import db
from app.foi.jobs import REMINDER_DAYS, daily

from .conftest import make_user, sign_in
from .helpers import docx_bytes, make_request, receive, reply_email

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _mails_to(addr):
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_addr == addr).order_by(OutboxMessage.id)
    ).all()


def test_classification_reminders_follow_the_schedule(app, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "Respuesta."))
    db.session.refresh(req)
    assert req.awaiting_description and len(_mails_to("ana@example.org")) == 1  # "new response"
    assert daily()["reminders"] == 0  # too soon
    sent = []
    for days in REMINDER_DAYS:
        req.classify_reminded_at = utcnow() - dt.timedelta(days=days - 1)
        assert daily()["reminders"] == 0, days
        req.classify_reminded_at = utcnow() - dt.timedelta(days=days, minutes=1)
        assert daily()["reminders"] == 1, days
        db.session.commit()
        sent.append(_mails_to("ana@example.org")[-1])
    req.classify_reminded_at = utcnow() - dt.timedelta(days=400)
    assert daily()["reminders"] == 0  # no more than the schedule
    assert len(sent) == len(REMINDER_DAYS) and all(f"/foi/request/{req.id}" in m.body_text for m in sent)
    # Classifying stops the reminders
    from app.accounts.models import User
    from app.foi import operations

    operations.set_state(req, "successful", db.session.get(User, req.user_id))
    db.session.commit()
    assert not req.awaiting_description and req.classify_reminders == 0


def test_followers_are_mailed_new_responses_but_not_hidden_ones(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    fan = make_user("fan@example.org", "Fan", language="en")
    sign_in(client, fan.id)
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "Follow this request" in page
    assert client.post(f"/en/foi/request/{req.id}/follow").status_code == 303
    assert "Stop following" in client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    receive(runner, reply_email(req, "Primera respuesta."))
    mails = _mails_to("fan@example.org")
    assert len(mails) == 1 and f"/foi/request/{req.id}" in mails[0].body_text
    assert len(_mails_to("ana@example.org")) == 1  # the requester too (once, not as a follower)
    req.prominence = "backpage"  # still public: followers hear of it
    db.session.commit()
    receive(runner, reply_email(req, "Segunda respuesta.", message_id="<second@roads.example>"))
    assert len(_mails_to("fan@example.org")) == 1  # only "normal" requests send follow emails
    assert client.post(f"/en/foi/request/{req.id}/follow", data={"stop": "1"}).status_code == 303
    req.prominence = "normal"
    db.session.commit()
    receive(runner, reply_email(req, "Tercera respuesta.", message_id="<third@roads.example>"))
    assert len(_mails_to("fan@example.org")) == 1
    assert len(_mails_to("ana@example.org")) == 3


def test_request_feed_lists_the_thread(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "Llame al 0044 20 7946 0958 o escriba a jefe@roads.example."))
    resp = client.get(f"/en/foi/request/{req.id}/feed.atom")
    assert resp.mimetype == "application/atom+xml"
    feed = ET.fromstring(resp.data)
    ns = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{ns}title").text == req.title
    entries = feed.findall(f"{ns}entry")
    assert len(entries) == 2 and "kilómetros" in entries[0].find(f"{ns}content").text
    reply = entries[1].find(f"{ns}content").text
    assert "7946" not in reply and "jefe@roads.example" not in reply  # personal data masked
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert f'href="/en/foi/request/{req.id}/feed.atom"' in page


def test_word_attachment_viewed_as_text(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    data = docx_bytes("Informe de obras 2025", "Tramo Sur: 17 km repavimentados.", "Contacto: ana@example.org")
    receive(runner, reply_email(req, "Adjunto el informe.", attachments=[("informe.docx", DOCX, data)]))
    db.session.refresh(req)
    att = req.messages[-1].attachments[0]
    assert att.content_type == DOCX and "17 km repavimentados" in att.text
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert f"/en/foi/request/{req.id}/attachments/{att.id}/text" in page
    view = client.get(f"/en/foi/request/{req.id}/attachments/{att.id}/text").get_data(as_text=True)
    assert "Tramo Sur: 17 km repavimentados." in view and "Informe de obras 2025" in view
    assert "ana@example.org" not in view  # masked like the message text
    download = client.get(f"/en/foi/request/{req.id}/attachments/{att.id}/informe.docx")
    assert download.data == data and download.headers["Content-Disposition"] == "attachment"
    # A broken Word file has no text view, and never an error
    receive(
        runner,
        reply_email(
            req,
            "Otro.",
            attachments=[("roto.docx", DOCX, b"PK\x03\x04 not really")],
            message_id="<broken@roads.example>",
        ),
    )
    db.session.refresh(req)
    broken = req.messages[-1].attachments[0]
    assert broken.text is None
    assert client.get(f"/en/foi/request/{req.id}/attachments/{broken.id}/text").status_code == 404


def test_feeds_have_an_author(app, client, authorities):
    req = make_request(authorities["Ministry of Roads"])
    for url in ("/en/foi/feed.atom", f"/en/foi/request/{req.id}/feed.atom"):
        xml = client.get(url).get_data(as_text=True)
        assert "<author><name>Plaza" in xml, url
