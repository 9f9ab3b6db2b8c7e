"""Second audit, receiving and serving replies: downloads redacted whatever their encoding, attached
emails, sender addresses, quoted text, HTML links, the holding pen, replies to two requests."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from sqlalchemy import select

from app.extensions import db
from app.foi import queries, services
from app.foi.models import FoiAttachment, FoiMessage, FoiRedaction

from .conftest import MAIL, sign_in
from .helpers import make_request, receive, reply_email

NAME = "Juan Pérez García"


def _rule(pattern=NAME, replacement="[oculto]"):
    db.session.add(FoiRedaction(pattern=pattern, scope="global", replacement=replacement, note="privacy"))
    db.session.commit()


def _fixture(name, address, sender=b"Officer <officer@roads.example>"):
    raw = (MAIL / name).read_bytes()
    for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
        raw = raw.replace(key, address.encode())
    return raw.replace(b"EMAIL_FROM", sender)


def _download(client, req, att):
    return client.get(f"/es/foi/request/{req.id}/attachments/{att.id}/{att.filename}")


def test_text_downloads_cannot_hide_a_redacted_name(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    _rule()
    receive(runner, reply_email(req, attachments=[
        ("a.html", "text/html", b"<p>Firma: Juan P&eacute;rez Garc&iacute;a, jefe</p>"),
        ("b.txt", "text/plain", "\ufeffFirma: Juan Pérez García".encode("utf-16-le")),
        ("c.json", "application/json", b'{"firma": "Juan P\\u00e9rez Garc\\u00eda", "importe": "340.000.000"}'),
        ("d.xml", "application/xml", b"<firma>Juan P&#233;rez Garc&#xED;a</firma>"),
        ("e.txt", "text/plain", "Firma: Juan Pérez García".encode("utf-16")),
    ]))
    atts = db.session.scalars(select(FoiAttachment).order_by(FoiAttachment.position)).all()
    for att in atts:
        resp = _download(client, req, att)
        body = resp.get_data(as_text=True)
        assert "Pérez" not in body and "P&eacute;rez" not in body and "\\u00e9" not in body, (att.filename, body)
        assert "\x00" not in body and "ÿþ" not in body
        if resp.status_code == 200:
            assert "[oculto]" in body, att.filename
        else:  # withheld, with its redacted text one click away
            assert resp.status_code == 403 and f"/attachments/{att.id}/text" in body
        text = client.get(f"/es/foi/request/{req.id}/attachments/{att.id}/text").get_data(as_text=True)
        assert "[oculto]" in text and "Pérez" not in text and "ÿþ" not in text, (att.filename, text)
    html_, utf16, json_, _xml, utf16_bom = atts
    assert _download(client, req, html_).get_data(as_text=True).strip() == "Firma: [oculto], jefe"
    assert _download(client, req, utf16).get_data(as_text=True) == "Firma: [oculto]"
    assert "340.000.000" in client.get(f"/es/foi/request/{req.id}/attachments/{json_.id}/text").get_data(as_text=True)
    assert utf16_bom.text == "Firma: Juan Pérez García"  # stored readable, found by search


def test_attached_email_is_text_without_addresses_and_its_files_are_listed(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    address = services.request_address(req)
    raw = _fixture("incoming-request-attach-attachments.eml", address,
                   sender=b"Officer <officer@national-assembly.example>")
    assert "processed" in runner.invoke(args=["mail", "receive", "--recipient", address], input=raw).output
    atts = db.session.scalars(select(FoiAttachment).order_by(FoiAttachment.position)).all()
    assert [a.filename for a in atts] == ["incoming-request-two-same-name.email", "hello.txt", "hello.txt"]
    email = atts[0]
    assert email.content_type == "message/rfc822" and "Subject: Same attachment twice" in email.text
    page = client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)
    assert f"/attachments/{email.id}/text" in page
    data = _download(client, req, email).get_data(as_text=True)
    assert "officer@national-assembly.example" not in data and "foi_person@localhost" not in data
    assert "Same attachment twice" in data and "Second hello" in data
    assert {a.text for a in atts[1:]} == {"Second hello", "First hello"}


def test_encoded_sender_name_with_a_comma_keeps_the_address(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    address = services.request_address(req)
    for name in ("quoted-subject-iso8859-1.eml", "dos-linebreaks.eml"):
        raw = _fixture(name, address)
        assert "processed" in runner.invoke(args=["mail", "receive", "--recipient", address], input=raw).output
    msgs = [m for m in db.session.scalars(select(FoiMessage).where(FoiMessage.direction == "in"))]
    first, second = msgs
    assert first.from_addr == "geraldinequango@localhost"
    assert first.from_name.startswith("Coordenação de Relacionamento, Pesquisa")
    assert second.from_addr == "email@example.com" and second.from_name == "A Person"
    sign_in(client, req.user_id)
    html = client.get(f"/es/foi/request/{req.id}/followup").get_data(as_text=True)
    assert "coordenação)" not in html and "(localhost)" in html and "(example.com)" in html


def test_garbage_sender_is_never_offered(app, authorities):
    req = make_request(authorities["Ministry of Roads"])
    db.session.add(FoiMessage(request_id=req.id, direction="in", kind="reply", from_addr="coordenação",
                              body="x"))
    db.session.add(FoiMessage(request_id=req.id, direction="in", kind="reply",
                              from_addr='"a person" email@example.com', body="x"))
    db.session.commit()
    assert [k for k, _label in queries.reply_targets(db.session.merge(req))] == ["authority"]


def test_inline_answers_stay_in_view(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    text = ("Respondemos a sus preguntas:\n\n> 1. ¿Cuántos contratos?\nHubo 12 contratos.\n\n"
            "> 2. ¿Con qué empresa?\nLimpiezas Sol S.A.\n")
    receive(runner, reply_email(req, text))
    receive(runner, reply_email(req, ">50 responses were received.\nThat is all.", message_id="<b@x>"))
    receive(runner, reply_email(req, "Ya está.\n\nEl lun, 1 ene 2024, Ana escribió:\n> Quisiera saber\n> cuántos",
                                message_id="<c@x>"))
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
    msg.set_content('<p>Ver <a href="http://ejemplo.es/doc?a=1&amp;b=2">documento</a> o '
                    '<a href="mailto:jefe@roads.example">escríbanos</a>.</p>', subtype="html")
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
    raw = (b"From: x@roads.example\r\nTo: request-99999999999999999999-abcdef12@plaza.test\r\n"
           b"Message-ID: <huge@x>\r\nSubject: hola\r\n\r\nTexto.\r\n")
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
        f"{services.request_address(one)}, {services.request_address(two)}".encode())
    receive(runner, raw)
    assert sorted(db.session.scalars(select(FoiMessage.request_id).where(FoiMessage.direction == "in"))) == \
        sorted([one.id, two.id])


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
