"""Replies received by email: quoted text folded, HTML links kept, auto-replies and bounces told apart, mail held or matched to requests."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from app.extensions import db
from app.foi import services
from app.foi.models import FoiMessage

from .conftest import make_user, sign_in
from .helpers import make_request, receive, reply_email


def test_inline_answers_stay_in_view(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    text = (
        "Respondemos a sus preguntas:\n\n> 1. ¿Cuántos contratos?\nHubo 12 contratos.\n\n"
        "> 2. ¿Con qué empresa?\nLimpiezas Sol S.A.\n"
    )
    receive(runner, reply_email(req, text))
    receive(runner, reply_email(req, ">50 responses were received.\nThat is all.", message_id="<b@x>"))
    receive(
        runner,
        reply_email(
            req, "Ya está.\n\nEl lun, 1 ene 2024, Ana escribió:\n> Quisiera saber\n> cuántos", message_id="<c@x>"
        ),
    )
    first, second, third = db.session.scalars(select(FoiMessage).where(FoiMessage.direction == "in")).all()
    assert "Hubo 12 contratos." in first.body and "Limpiezas Sol S.A." in first.body and first.folded == ""
    assert ">50 responses" in second.body and second.folded == ""
    assert third.body == "Ya está." and "Quisiera saber" in third.folded
    page = client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)
    assert page.index("Hubo 12 contratos.") < page.index("Ya está.")


def test_links_of_an_html_reply_keep_their_address(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "Officer <officer@roads.example>", services.request_address(req), "Re"
    msg.set_content(
        '<p>Ver <a href="http://ejemplo.es/doc?a=1&amp;b=2">documento</a> o '
        '<a href="mailto:jefe@roads.example">escríbanos</a>.</p>',
        subtype="html",
    )
    receive(runner, msg.as_bytes())
    reply = db.session.scalar(select(FoiMessage).where(FoiMessage.direction == "in"))
    assert "Ver documento (http://ejemplo.es/doc?a=1&b=2) o escríbanos." in reply.body
    assert "http://ejemplo.es/doc?a=1&amp;b=2" in client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)
    assert client.get("/api/foi/requests.json?q=ejemplo").get_json()["total"] == 1


def test_held_message_codes_and_huge_request_numbers(app, runner, authorities):
    from app.core.mail import InboxMessage
    from app.core.mail.inbox import redeliver
    from app.foi.labels import INBOX_NOTES

    req = make_request(authorities["Ministry of Roads"])
    raw = (
        b"From: x@roads.example\r\nTo: request-99999999999999999999-abcdef12@plaza.test\r\n"
        b"Message-ID: <huge@x>\r\nSubject: hola\r\n\r\nTexto.\r\n"
    )
    assert runner.invoke(args=["mail", "receive"], input=raw).exit_code == 0
    row = db.session.scalar(select(InboxMessage))
    assert row.status == "holding" and row.error is None and row.note in INBOX_NOTES
    assert row.note == "foi:bad_hash"
    assert redeliver(row.id, services.request_address(req)) == "processed"
    assert db.session.scalar(select(FoiMessage).where(FoiMessage.direction == "in")).body == "Texto."


def test_a_reply_to_two_requests_is_on_both(app, runner, authorities):
    one = make_request(authorities["Ministry of Roads"])
    two = make_request(authorities["Ministry of Roads"], user=one_user(), title="Puentes reparados en 2025")
    raw = reply_email(one, "Respuesta conjunta.").replace(
        services.request_address(one).encode(),
        f"{services.request_address(one)}, {services.request_address(two)}".encode(),
    )
    receive(runner, raw)
    assert sorted(db.session.scalars(select(FoiMessage.request_id).where(FoiMessage.direction == "in"))) == sorted(
        [one.id, two.id]
    )


def one_user():
    from .conftest import make_user

    return make_user("otra@example.org", "Otra")


def test_old_requests_take_replies_only_from_the_authority(app, runner, authorities):
    from app.core.mail import InboxMessage
    from app.core.mail.inbox import redeliver

    req = make_request(authorities["Ministry of Roads"])
    req.last_event_at = req.last_event_at - dt.timedelta(days=200)
    db.session.commit()
    spam = reply_email(req, "Compre relojes baratos.", sender="Spam <spam@spam.example>", message_id="<spam@x>")
    assert "holding" in runner.invoke(args=["mail", "receive"], input=spam).output
    row = db.session.scalar(select(InboxMessage).where(InboxMessage.message_id == "<spam@x>"))
    assert row.status == "holding" and row.note == "foi:unknown_sender"
    assert row.suggestion == services.request_address(req)
    receive(runner, reply_email(req, "Respuesta tardía.", sender="Jefa <jefa@roads.example>", message_id="<ok@x>"))
    bodies = list(db.session.scalars(select(FoiMessage.body).where(FoiMessage.direction == "in")))
    assert bodies == ["Respuesta tardía."]
    assert redeliver(row.id) == "processed"  # an admin can still deliver it
    req = db.session.merge(req)
    req.last_event_at = req.last_event_at - dt.timedelta(days=800)
    db.session.commit()
    late = reply_email(req, "Otra.", sender="Jefa <jefa@roads.example>", message_id="<late@x>")
    assert "holding" in runner.invoke(args=["mail", "receive"], input=late).output
    late = db.session.scalar(select(InboxMessage).where(InboxMessage.message_id == "<late@x>"))
    assert late.status == "holding" and late.note == "foi:closed"


def test_mail_from_outside_the_authority_is_not_labelled_its_reply(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "Respuesta oficial.", sender="Jefa <jefa@roads.example>", message_id="<a@x>"))
    receive(runner, reply_email(req, "Compre relojes.", sender="Spam <x@spam.example>", message_id="<b@x>"))
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    official, spam = page.index("Respuesta oficial."), page.index("Compre relojes.")
    assert page.rfind("Reply from Ministry of Roads", 0, official) > 0
    assert "Message from an address at spam.example" in page[official:spam]
    assert "x@spam.example" not in page


def test_french_and_arabic_quoted_messages_are_folded(app, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(
        runner,
        reply_email(
            req,
            "Voici la réponse.\n\nDe : Ana <ana@example.org>\nEnvoyé : lundi 1 janvier\n"
            "À : Ministère\nObjet : Demande\n\nMadame, je voudrais",
            message_id="<fr@x>",
        ),
    )
    receive(
        runner,
        reply_email(req, "هذا هو الرد.\n\nمن: أنا\nإلى: الوزارة\nالموضوع: طلب\n\nأود أن أعرف", message_id="<ar@x>"),
    )
    fr, ar = db.session.scalars(select(FoiMessage).where(FoiMessage.direction == "in").order_by(FoiMessage.id)).all()
    assert fr.body == "Voici la réponse." and "je voudrais" in fr.folded
    assert ar.body == "هذا هو الرد." and "أود أن أعرف" in ar.folded


@pytest.mark.shared_data
def test_arabic_auto_reply_and_delay_warning(app, runner, authorities, shared_data):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "أنا خارج المكتب", subject="رد تلقائي: طلب", message_id="<oof@x>"))
    address = services.request_address(req)
    raw = (shared_data / "mail" / "alaveteli" / "track-response-ms-bounce.eml").read_bytes()
    for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
        raw = raw.replace(key, address.encode())
    result = runner.invoke(args=["mail", "receive", "--recipient", address], input=raw)
    assert "processed" in result.output
    oof, delay = db.session.scalars(select(FoiMessage).where(FoiMessage.direction == "in")).all()
    assert oof.is_auto_reply and not oof.is_bounce
    assert not delay.is_bounce and delay.is_auto_reply
    assert not db.session.merge(req).awaiting_description  # nothing to classify yet


BOUNCE = b"""From: Mail Delivery System <MAILER-DAEMON@mx.roads.example>
To: %(to)s
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.roads.example>
Auto-Submitted: auto-replied
Content-Type: text/plain

This is the mail system. I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<foi@roads.example>: host mx.roads.example said: 550 5.1.1 User unknown
"""


def test_bounce_is_not_presented_as_a_reply(app, client, runner, authorities):
    from app.core.mail import OutboxMessage
    from app.foi import services
    from app.foi.models import FoiFollow, FoiMessage

    req = make_request(authorities["Ministry of Roads"])
    fan = make_user("fan@example.org", "Fan", language="en")
    db.session.add(FoiFollow(user_id=fan.id, request_id=req.id))
    db.session.commit()
    receive(runner, BOUNCE % {b"to": services.request_address(req).encode()})
    msg = db.session.scalar(select(FoiMessage).where(FoiMessage.direction == "in"))
    assert msg.is_bounce
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "foi/email/new_response.txt")
    ).all()
    assert [m.to_addr for m in mails] == ["ana@example.org"]  # followers are not told of a bounce
    # The requester writes in Spanish: the mail says "could not be delivered", never "has replied"
    assert "No se ha podido entregar tu solicitud" in mails[0].subject
    assert "ha respondido" not in mails[0].body_text
    sign_in(client, req.user_id)
    html = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "Delivery failure notice" in html and "Reply from" not in html
    assert 'value="error_message" aria-describedby="st-error_message-hint" checked' in html
