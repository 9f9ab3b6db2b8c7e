"""Second-round fixes: warnings must be previewed before sending, translated generic titles,
dashboard numbers that link to their lists, text of old Word (.doc) and RTF attachments."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select

from app.extensions import db
from app.foi.models import FoiRequest

from .conftest import make_user, sign_in
from .helpers import LETTER, make_request

TITLE = "Caminos reparados en 2025"


def _token(html: str) -> str | None:
    found = re.search(r'name="previewed" value="([^"]+)"', html)
    return found.group(1) if found else None


def _count() -> int:
    return db.session.scalar(select(func.count(FoiRequest.id)))


def test_send_with_warnings_shows_the_preview_first(client, authorities):
    body = authorities["Ministry of Roads"]
    sign_in(client, make_user().id)
    letter = LETTER + "\nLlámeme al +44 20 7946 0958 o a ana@example.org"
    url = f"/es/foi/new/{body.id}"
    # "Send" straight away: the preview with its warnings comes back, nothing is sent
    resp = client.post(url, data={"title": TITLE, "letter": letter, "action": "send"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="preview-h"' in html and html.count('class="flash error"') == 2
    assert _count() == 0 and _token(html)
    # A forged token, or a letter changed since the preview, shows the preview again
    for data in ({"previewed": "forged"}, {"previewed": _token(html), "letter": letter + " otra@example.org"}):
        again = client.post(url, data={"title": TITLE, "letter": letter, "action": "send"} | data)
        assert again.status_code == 200 and 'id="preview-h"' in again.get_data(as_text=True) and _count() == 0
    # The previewed letter, unchanged (line endings as a browser posts them), is sent
    resp = client.post(url, data={"title": TITLE, "letter": letter.replace("\n", "\r\n"), "action": "send",
                                  "previewed": _token(html)})
    assert resp.status_code == 303 and _count() == 1


def test_preview_token_survives_signing_in(client, authorities):
    body = authorities["Ministry of Roads"]
    url = f"/es/foi/new/{body.id}"
    letter = LETTER + "\nEscríbame a ana@example.org"
    first = client.post(url, data={"title": TITLE, "letter": letter, "action": "send"}).get_data(as_text=True)
    resp = client.post(url, data={"title": TITLE, "letter": letter, "action": "send", "previewed": _token(first)})
    assert resp.status_code == 303 and "/accounts/signin" in resp.headers["Location"]
    sign_in(client, make_user().id)
    page = client.get(url).get_data(as_text=True)  # the kept draft comes back as a preview, warnings shown
    assert 'id="preview-h"' in page and "email address" not in page and 'class="flash error"' in page
    resp = client.post(url, data={"title": TITLE, "letter": letter, "action": "send", "previewed": _token(page)})
    assert resp.status_code == 303 and _count() == 1


def test_generic_titles_are_refused_in_the_page_language(client, authorities, monkeypatch):
    from app.foi import letters

    real = letters._
    spanish = {"Information request": "Solicitud de información", "FOI request": "Solicitud de acceso"}
    monkeypatch.setattr(letters, "_", lambda text, **kw: real(spanish.get(text, text), **kw))
    body = authorities["Ministry of Roads"]
    for title in ("Solicitud de información", "SOLICITUD DE INFORMACION", "FOI request"):
        resp = client.post(f"/es/foi/new/{body.id}", data={"title": title, "letter": LETTER, "action": "preview"})
        assert resp.status_code == 422 and 'id="title-error"' in resp.get_data(as_text=True), title
    ok = client.post(f"/es/foi/new/{body.id}", data={"title": TITLE, "letter": LETTER, "action": "preview"})
    assert ok.status_code == 200


def test_dashboard_numbers_link_to_their_lists(client, authorities):
    user = make_user()
    late, very_late, _on_time = (make_request(authorities["Ministry of Roads"], user, title=t) for t in (
        "Puentes inspeccionados en 2025", "Semáforos instalados en 2024", "Baches tapados en 2023"))
    today = dt.date.today()
    late.due_on, late.very_overdue_on = today - dt.timedelta(days=3), today + dt.timedelta(days=30)
    very_late.due_on, very_late.very_overdue_on = today - dt.timedelta(days=40), today - dt.timedelta(days=2)
    db.session.commit()
    sign_in(client, make_user("admin@example.org", "Admin", role="admin", language="en").id)
    html = client.get("/en/admin/").get_data(as_text=True)
    for state, text in (("waiting_response_overdue", "1 overdue request"),
                        ("waiting_response_very_overdue", "1 very overdue request")):
        link = re.search(rf'<a href="([^"]*state={state}[^"]*)">{text}</a>', html)
        assert link, text
        listed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
        assert ("Puentes" in listed) == (state == "waiting_response_overdue")
        assert ("Semáforos" in listed) == (state == "waiting_response_very_overdue") and "Baches" not in listed


def _tnef_reply(req) -> bytes:
    from app.foi import services

    from .conftest import MAIL

    address = services.request_address(req).encode()
    raw = (MAIL / "incoming-request-tnef-attachments.eml").read_bytes()
    for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
        raw = raw.replace(key, address)
    return raw.replace(b"EMAIL_FROM", b"Officer <officer@roads.example>")


def test_old_word_documents_have_a_text_view_and_are_searched(client, runner, authorities):
    from app.foi import services

    req = make_request(authorities["Ministry of Roads"])
    result = runner.invoke(args=["mail", "receive", "--recipient", services.request_address(req)],
                           input=_tnef_reply(req))
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


def test_broken_old_word_files_give_no_text():
    from app.core.mail.parsing import parse
    from app.foi.mail.attachments import extract_text
    from app.foi.mail.msword import doc_text

    from .conftest import MAIL

    raw = (MAIL / "incoming-request-tnef-attachments.eml").read_bytes()
    data = next(a.data for a in parse(raw).attachments if a.filename.endswith("i.doc"))
    assert doc_text(b"") is None and doc_text(data[:8] + b"\xff" * 600) is None
    for cut in (600, 5000, len(data) // 2):  # truncated: no text and no exception
        assert extract_text("application/msword", data[:cut]) is None
    looped = bytearray(data)
    first_dir = int.from_bytes(data[0x30:0x34], "little")
    difat = 0x4C + 4 * (first_dir // 128)  # 512-byte sectors: 128 FAT entries each
    fat_sector = int.from_bytes(data[difat:difat + 4], "little")
    at = ((fat_sector + 1) << 9) + (first_dir % 128) * 4
    looped[at:at + 4] = first_dir.to_bytes(4, "little")  # the directory's chain points at itself
    assert doc_text(bytes(looped)) is None


def test_rtf_attachments_have_their_text(runner, authorities):
    from .helpers import receive, reply_email

    rtf = (rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\*\generator Word;}{\info{\author Oculto}}"
           rb"\pard Presupuesto de caf\'e9 2025\par Tramo\cell Norte\cell\row \u8364? 1.200\par}")
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, attachments=[("cuentas.rtf", "application/rtf", rtf)]))
    db.session.expire_all()
    att = req.messages[-1].attachments[0]
    assert att.text == "Presupuesto de café 2025\nTramo\tNorte\n€ 1.200"
