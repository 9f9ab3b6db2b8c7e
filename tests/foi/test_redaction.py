"""Redaction rules reach everything published: pages, downloads in any encoding, filenames, the API, the search index and mail."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.foi.models import FoiAttachment, FoiRedaction

from .conftest import make_user, sign_in
from .helpers import make_request, receive, reply_email

NAME = "Juan Pérez García"


def _download(client, req, att):
    return client.get(f"/es/foi/request/{req.id}/attachments/{att.id}/{att.filename}")


def test_text_downloads_cannot_hide_a_redacted_name(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    _rule(NAME)
    receive(
        runner,
        reply_email(
            req,
            attachments=[
                ("a.html", "text/html", b"<p>Firma: Juan P&eacute;rez Garc&iacute;a, jefe</p>"),
                ("b.txt", "text/plain", "\ufeffFirma: Juan Pérez García".encode("utf-16-le")),
                ("c.json", "application/json", b'{"firma": "Juan P\\u00e9rez Garc\\u00eda", "importe": "340.000.000"}'),
                ("d.xml", "application/xml", b"<firma>Juan P&#233;rez Garc&#xED;a</firma>"),
                ("e.txt", "text/plain", "Firma: Juan Pérez García".encode("utf-16")),
            ],
        ),
    )
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


def _rule(pattern, scope="global", scope_id=None, replacement="[oculto]"):
    db.session.add(
        FoiRedaction(pattern=pattern, scope=scope, scope_id=scope_id, replacement=replacement, note="privacy")
    )
    db.session.commit()


def test_redaction_reaches_downloads_filenames_and_mail(app, client, runner, authorities):
    from app.core.mail import OutboxMessage
    from app.foi.models import FoiAttachment, FoiSearchDoc

    from .helpers import docx_bytes

    req = make_request(authorities["Ministry of Roads"], title="Presupuesto de parques Geraldine 2025")
    follower = make_user("fan@example.org", "Fan", language="en")
    from app.foi.models import FoiFollow

    db.session.add(FoiFollow(user_id=follower.id, request_id=req.id))
    _rule("Geraldine")
    _rule("parques", scope="request", scope_id=req.id)
    receive(
        runner,
        reply_email(
            req,
            attachments=[
                ("nota-Geraldine.txt", "text/plain", b"Nota: llamar a pepe@x.example o 612 345 678. Geraldine."),
                (
                    "informe.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    docx_bytes("Informe para Geraldine"),
                ),
                (
                    "limpio.docx",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    docx_bytes("Nada que ocultar"),
                ),
            ],
        ),
    )
    txt, doc, clean = db.session.scalars(select(FoiAttachment).order_by(FoiAttachment.position)).all()
    page = client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)
    assert "nota-Geraldine" not in page and "nota-[oculto].txt" in page
    data = client.get(f"/es/foi/request/{req.id}/attachments/{txt.id}/x.txt").get_data(as_text=True)
    assert "Geraldine" not in data and "pepe@x.example" not in data and "612 345 678" not in data
    assert "[oculto]" in data
    withheld = client.get(f"/es/foi/request/{req.id}/attachments/{doc.id}/informe.docx")
    assert withheld.status_code == 403 and b"PK" not in withheld.data[:2]
    assert f"/attachments/{doc.id}/text" in withheld.get_data(as_text=True)
    view = client.get(f"/es/foi/request/{req.id}/attachments/{doc.id}/text").get_data(as_text=True)
    assert "Informe para [oculto]" in view and f"/attachments/{doc.id}/informe.docx" not in view
    assert client.get(f"/es/foi/request/{req.id}/attachments/{clean.id}/limpio.docx").data.startswith(b"PK")
    api = client.get(f"/api/foi/requests/{req.id}.json").get_data(as_text=True)
    assert "nota-Geraldine" not in api and "nota-[oculto].txt" in api
    index = db.session.get(FoiSearchDoc, req.id).body
    assert "geraldine" not in index
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "foi/email/new_response.txt"))
    mails = list(mails)
    assert {m.to_addr for m in mails} == {"ana@example.org", "fan@example.org"}
    for m in mails:
        assert "parques" not in m.subject + m.body_text and "Geraldine" not in m.subject + m.body_text
    # The reminder and the report mails too

    from app.foi.jobs import daily

    req = db.session.merge(req)
    req.classify_reminded_at = req.last_event_at = req.last_event_at - dt.timedelta(days=5)
    db.session.commit()
    daily()
    db.session.commit()
    reminder = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "foi/email/reminder.txt"))
    assert reminder is not None and "parques" not in reminder.body_text
    admin = make_user("root@example.org", "Root", role="admin", language="en")
    sign_in(client, admin.id)
    client.post(f"/es/foi/request/{req.id}/report", data={"reason": "mira"})
    reported = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "foi/email/reported.txt"))
    assert reported is not None and "parques" not in reported.subject + reported.body_text
