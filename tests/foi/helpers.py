"""Helpers shared by FOI tests: requests made through the service, replies built as real emails."""

from __future__ import annotations

from email.message import EmailMessage

from app.extensions import db
from app.foi import operations, services

from .conftest import make_user

LETTER = "Estimado Ministerio,\n\nQuisiera saber cuántos kilómetros de caminos se repararon en 2025.\n\nAtentamente,"


def make_request(body, user=None, title="Kilómetros de caminos reparados en 2025", letter=LETTER, lang="es"):
    user = user or make_user()
    req = operations.create_request(user, body, title, letter, lang)
    db.session.commit()
    return req


def reply_email(
    req,
    text="Adjuntamos la respuesta.",
    attachments=(),
    subject="Re: su solicitud",
    sender="Officer <officer@roads.example>",
    message_id=None,
) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, services.request_address(req), subject
    if message_id:
        msg["Message-ID"] = message_id
    msg.set_content(text)
    for filename, ctype, data in attachments:
        maintype, subtype = ctype.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def receive(runner, raw: bytes):
    result = runner.invoke(args=["mail", "receive"], input=raw)
    assert result.exit_code == 0 and "processed" in result.output, result.output
    return result


def docx_bytes(*paragraphs: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
