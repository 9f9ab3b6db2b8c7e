"""Attachments of replies: text views of Word (.doc, .docx), RTF and attached emails; empty messages, small sizes, disguised names."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.foi import services
from app.foi.models import FoiAttachment

from .helpers import make_request, receive, reply_email


def _fixture(shared_data, name, address, sender=b"Officer <officer@roads.example>"):
    raw = (shared_data / "mail" / "alaveteli" / name).read_bytes()
    for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
        raw = raw.replace(key, address.encode())
    return raw.replace(b"EMAIL_FROM", sender)


def _download(client, req, att):
    return client.get(f"/es/foi/request/{req.id}/attachments/{att.id}/{att.filename}")


@pytest.mark.shared_data
def test_attached_email_is_text_without_addresses_and_its_files_are_listed(
    app, client, runner, authorities, shared_data
):
    req = make_request(authorities["Ministry of Roads"])
    address = services.request_address(req)
    raw = _fixture(
        shared_data,
        "incoming-request-attach-attachments.eml",
        address,
        sender=b"Officer <officer@national-assembly.example>",
    )
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


def test_empty_reply_small_files_and_disguised_names(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(
        runner,
        reply_email(
            req,
            "",
            attachments=[
                ("informe\u202etxt.exe", "application/octet-stream", b"MZ12"),
                ("nota.txt", "text/plain", b"Hola"),
            ],
        ),
    )
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "(This message has no text.)" in page
    assert "\u202e" not in page and "informetxt.exe" in page
    assert "4 bytes" in page and "0 KB" not in page and "0.0 KB" not in page


def _tnef_reply(req, shared_data) -> bytes:
    from app.foi import services

    address = services.request_address(req).encode()
    raw = (shared_data / "mail" / "alaveteli" / "incoming-request-tnef-attachments.eml").read_bytes()
    for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
        raw = raw.replace(key, address)
    return raw.replace(b"EMAIL_FROM", b"Officer <officer@roads.example>")


@pytest.mark.shared_data
def test_old_word_documents_have_a_text_view_and_are_searched(client, runner, authorities, shared_data):
    from app.foi import services

    req = make_request(authorities["Ministry of Roads"])
    result = runner.invoke(
        args=["mail", "receive", "--recipient", services.request_address(req)], input=_tnef_reply(req, shared_data)
    )
    assert result.exit_code == 0 and "processed" in result.output, result.output
    db.session.expire_all()
    docs = [a for m in req.messages for a in m.attachments]
    assert [a.filename for a in docs] == ["FOI 09-02976i.doc", "FOI 09-02976iii.doc"]
    first, second = (a.text or "" for a in docs)
    assert first.startswith("Actions Arising from a Meeting of the Chief Officer Group held at\n0930 hours")
    assert "Chief Constable presented to COG a matrix" in first and "\x07" not in first and "\x13" not in first
    assert "Minutes of Chief Officer Group Meeting" in second and "Humberside Police’s support" in second
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    text_url = f"/en/foi/request/{req.id}/attachments/{docs[0].id}/text"
    assert text_url in page
    assert "Assistant Chief Constable (Operations Support)" in client.get(text_url).get_data(as_text=True)
    found = client.get("/api/foi/requests.json?q=Chief%20Constable").get_json()
    assert found["total"] == 1
    # Files received before .doc could be read get their text with `flask foi reindex --extract`
    for att in docs:
        att.text = None
    from app.foi.search import reindex

    reindex([req.id])
    db.session.commit()
    assert client.get("/api/foi/requests.json?q=Chief%20Constable").get_json()["total"] == 0
    result = runner.invoke(args=["foi", "reindex", "--extract"])
    assert "extracted text from 2 attachments" in result.output, result.output
    assert client.get("/api/foi/requests.json?q=Chief%20Constable").get_json()["total"] == 1


@pytest.mark.shared_data
def test_broken_old_word_files_give_no_text(shared_data):
    from app.core.mail.parsing import parse
    from app.foi.mail.attachments import extract_text
    from app.foi.mail.msword import doc_text

    raw = (shared_data / "mail" / "alaveteli" / "incoming-request-tnef-attachments.eml").read_bytes()
    data = next(a.data for a in parse(raw).attachments if a.filename.endswith("i.doc"))
    assert doc_text(b"") is None and doc_text(data[:8] + b"\xff" * 600) is None
    for cut in (600, 5000, len(data) // 2):  # truncated: no text and no exception
        assert extract_text("application/msword", data[:cut]) is None
    looped = bytearray(data)
    first_dir = int.from_bytes(data[0x30:0x34], "little")
    difat = 0x4C + 4 * (first_dir // 128)  # 512-byte sectors: 128 FAT entries each
    fat_sector = int.from_bytes(data[difat : difat + 4], "little")
    at = ((fat_sector + 1) << 9) + (first_dir % 128) * 4
    looped[at : at + 4] = first_dir.to_bytes(4, "little")  # the directory's chain points at itself
    assert doc_text(bytes(looped)) is None


def test_rtf_attachments_have_their_text(runner, authorities):
    from .helpers import receive, reply_email

    rtf = (
        rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\*\generator Word;}{\info{\author Oculto}}"
        rb"\pard Presupuesto de caf\'e9 2025\par Tramo\cell Norte\cell\row \u8364? 1.200\par}"
    )
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, attachments=[("cuentas.rtf", "application/rtf", rtf)]))
    db.session.expire_all()
    att = req.messages[-1].attachments[0]
    assert att.text == "Presupuesto de café 2025\nTramo\tNorte\n€ 1.200"


def test_docx_tables_are_extracted_in_order():
    import io

    import docx

    from app.foi.mail.attachments import DOCX, extract_text

    document = docx.Document()
    document.add_paragraph("Antes de la tabla")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Partida", "Importe"
    table.cell(1, 0).text, table.cell(1, 1).text = "Celda con presupuesto", "1234"
    document.add_paragraph("Después de la tabla")
    out = io.BytesIO()
    document.save(out)
    text = extract_text(DOCX, out.getvalue())
    assert text.index("Antes") < text.index("Celda con presupuesto\t1234") < text.index("Después")
