"""Making a request, sending it, receiving every shared test email, classifying, following up."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.core.mail import OutboxMessage, address_hash, send_pending
from app.extensions import db
from app.foi import laws, operations, queries, services
from app.foi.models import FoiAttachment, FoiMessage, FoiRequest

from .conftest import make_user, sign_in

LETTER = "Estimado Ministerio,\n\nQuisiera saber cuántos kilómetros de caminos se repararon en 2025.\n\nAtentamente,"


def _new(client, body, **form):
    return client.post(f"/es/foi/new/{body.id}", data=form)


def make_request(app, body, user=None, title="Kilómetros de caminos reparados en 2025"):
    user = user or make_user()
    req = operations.create_request(user, body, title, LETTER, "es")
    db.session.commit()
    return req


def test_authorities_list_search_and_pages(client, authorities):
    page = client.get("/es/foi/authorities?q=caminos").get_data(as_text=True)
    assert "Ministerio de Caminos" in page and "Concejo Callado" not in page
    frag = client.get("/es/foi/authorities?q=junta", headers={"HX-Request": "true"})
    assert "<html" not in frag.get_data(as_text=True) and "Junta Antigua" in frag.get_data(as_text=True)
    assert "HX-Request" in frag.headers["Vary"]
    assert "Junta Antigua" in client.get("/es/foi/authorities?tag=defunct").get_data(as_text=True)
    old = client.get(f"/en/foi/authorities/{authorities['Old Board'].id}").get_data(as_text=True)
    assert "no longer exists" in old and "/foi/new/" not in old
    quiet = client.get(f"/en/foi/new/{authorities['Quiet Council'].id}")
    assert quiet.status_code == 410 and "do not have an address" in quiet.get_data(as_text=True)
    roads = client.get(f"/en/foi/authorities/{authorities['Ministry of Roads'].id}").get_data(as_text=True)
    assert f"/en/foi/new/{authorities['Ministry of Roads'].id}" in roads


def test_compose_validates_previews_and_signs_in_last(mail_app, smtp, tmp_path):
    from .conftest import CSV

    (tmp_path / "b.csv").write_text(CSV, encoding="utf-8")
    assert (
        mail_app.test_cli_runner().invoke(args=["directory", "import-bodies", str(tmp_path / "b.csv")]).exit_code == 0
    )
    client = mail_app.test_client()
    from app.directory import services as directory

    body = directory.search_bodies(q="roads")[0][0]
    form = client.get(f"/es/foi/new/{body.id}").get_data(as_text=True)
    assert "Ministerio de Caminos" in form and 'class="flash info"' in form  # names the authority, says "published"
    assert "published" in client.get(f"/en/foi/new/{body.id}").get_data(as_text=True)
    unchanged = laws.letter_template(body, "es")
    resp = _new(client, body, title="x", letter=unchanged, action="preview")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'aria-invalid="true"' in html and 'value="x"' in html
    resp = _new(
        client,
        body,
        title="Caminos reparados",
        letter=LETTER + "\nLlámeme: +44 20 7946 0958, ana@example.org",
        action="preview",
    )
    assert resp.status_code == 200 and resp.get_data(as_text=True).count('class="flash error"') == 2  # email, phone
    assert 'id="preview-h"' in resp.get_data(as_text=True)
    # Send while signed out: kept in the session, sent to sign in
    resp = _new(client, body, title="Caminos reparados en 2025", letter=LETTER, action="send")
    assert resp.status_code == 303 and "/accounts/signin" in resp.headers["Location"]
    assert db.session.scalar(select(func.count(FoiRequest.id))) == 0
    user = make_user()
    sign_in(client, user.id)
    # Back from signing in: a preview of the kept draft with a POST "Send" button; a GET never sends
    resp = client.get(f"/es/foi/new/{body.id}")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="preview-h"' in html and 'value="Caminos reparados en 2025"' in html
    assert re.search(r'<form method="post"[^>]*>.*name="action" value="send"', html, re.S)
    assert client.get(f"/es/foi/new/{body.id}").status_code == 200
    assert db.session.scalar(select(func.count(FoiRequest.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    resp = _new(client, body, title="Caminos reparados en 2025", letter=LETTER, action="send")
    assert resp.status_code == 303
    req = db.session.scalar(select(FoiRequest))
    assert req.title == "Caminos reparados en 2025" and req.user_id == user.id and req.language == "es"
    out = db.session.scalar(select(OutboxMessage))
    assert out.to_addr == "foi@roads.example"
    addr = f"request-{req.id}-{address_hash(req.id)}@plaza.test"
    assert addr in out.from_addr and "Ana" in out.from_addr
    law = laws.law_name(laws.law_for(body), "es")
    assert out.subject == f"{law} request - Caminos reparados en 2025" or out.subject.endswith(
        "- Caminos reparados en 2025"
    )
    assert law in out.subject
    assert req.messages[0].message_id == out.message_id
    assert send_pending() == (1, 0)
    assert smtp.messages[0]["to"] == ["foi@roads.example"] and "kilómetros" in smtp.body()
    # The same request again is refused, linking to the existing one
    resp = _new(client, body, title="Caminos reparados en 2025", letter=LETTER, action="send")
    assert resp.status_code == 422 and f"/es/foi/request/{req.id}" in resp.get_data(as_text=True)


def test_daily_limit(app, authorities):
    app.config["FOI_DAILY_LIMIT"] = 2
    user = make_user()
    body = authorities["Ministry of Roads"]
    for i in range(2):
        operations.create_request(user, body, f"Pregunta número {i} sobre caminos", LETTER + str(i), "es")
    with pytest.raises(operations.FoiError, match="most allowed"):
        operations.create_request(user, body, "Pregunta número 3 sobre caminos", LETTER + "3", "es")


def _fixture(mail, name, address):
    raw = (mail / name).read_bytes()
    for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
        raw = raw.replace(key, address.encode())
    return raw.replace(b"EMAIL_FROM", b"Officer <officer@roads.example>")


@pytest.mark.shared_data
def test_every_shared_email_is_received_on_the_right_request(app, runner, authorities, alaveteli_mail):
    req = make_request(app, authorities["Ministry of Roads"])
    address = services.request_address(req)
    files = sorted(alaveteli_mail.glob("*.eml"))
    for path in files:
        result = runner.invoke(
            args=["mail", "receive", "--recipient", address], input=_fixture(alaveteli_mail, path.name, address)
        )
        assert result.exit_code == 0, (path.name, result.output)
        assert "processed" in result.output, (path.name, result.output)
    db.session.expire_all()
    replies = [m for m in req.messages if m.direction == "in"]
    assert len(replies) == len(files)
    # Shared files reuse one Message-ID for different messages: each is kept, none dropped
    ids = [m.inbox_id for m in replies]
    assert len(set(ids)) == len(files)
    from app.core.mail import InboxMessage

    reused = db.session.execute(
        select(InboxMessage.message_id, func.count())
        .where(InboxMessage.message_id.is_not(None))
        .group_by(InboxMessage.message_id)
        .having(func.count() > 1)
    ).all()
    assert reused and all(count >= 2 for _mid, count in reused)  # e.g. <email@example.com> in 7 files
    # The same message twice is stored once
    again = runner.invoke(
        args=["mail", "receive", "--recipient", address], input=_fixture(alaveteli_mail, files[0].name, address)
    )
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count(FoiMessage.id)).where(FoiMessage.direction == "in")) == len(files)
    by_subject = {m.subject: m for m in replies}
    pdf = by_subject["Hello"]
    assert [a.filename for a in pdf.attachments] == ["fs_50379341.pdf"]
    bounce = next(m for m in replies if "enquiries@cheese.com" in m.body or m.is_bounce)
    assert bounce.is_bounce
    oof = by_subject["Out of Office: Notification blah blah blah"]
    assert oof.is_auto_reply
    tnef = by_subject["Example of message with TNEF attachment"]
    assert [a.content_type for a in tnef.attachments] == ["application/msword", "application/msword"]
    assert req.awaiting_description


@pytest.mark.shared_data
def test_wrong_hash_is_held_with_the_likely_request(app, runner, authorities, alaveteli_mail):
    from app.core.mail import InboxMessage

    req = make_request(app, authorities["Ministry of Roads"])
    raw = _fixture(alaveteli_mail, "incoming-request-plain.eml", f"request-{req.id}-deadbeef@plaza.test")
    result = runner.invoke(args=["mail", "receive"], input=raw)
    assert result.exit_code == 0
    row = db.session.scalar(select(InboxMessage))
    assert row.status == "holding" and row.suggestion == services.request_address(req)
    # tolerant: l/1 and o/0 and case
    good = address_hash(req.id).upper().replace("1", "l").replace("0", "o")
    raw = _fixture(alaveteli_mail, "bcc-contact-reply.eml", f"foi+request-{req.id}-{good}@other.domain")
    assert "processed" in runner.invoke(args=["mail", "receive"], input=raw).output


@pytest.mark.shared_data
def test_request_page_classify_followup_and_attachment_text(app, client, runner, authorities, alaveteli_mail):
    req = make_request(app, authorities["Ministry of Roads"])
    address = services.request_address(req)
    for name in ("document-pdf.eml", "track-response-exim-bounce.eml", "incoming-request-plain.eml"):
        runner.invoke(args=["mail", "receive", "--recipient", address], input=_fixture(alaveteli_mail, name, address))
    sign_in(client, req.user_id)
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "Awaiting classification" in page and 'id="classify"' in page
    assert "officer@roads.example" not in page  # personal data never shown
    assert "Delivery failure" in page and "Show quoted text" in page
    att = db.session.scalar(select(FoiAttachment).where(FoiAttachment.filename == "tiny-example.pdf"))
    assert att.text and f"/attachments/{att.id}/text" in page
    view = client.get(f"/en/foi/request/{req.id}/attachments/{att.id}/text")
    assert view.status_code == 200 and att.text.split()[0] in view.get_data(as_text=True)
    download = client.get(f"/en/foi/request/{req.id}/attachments/{att.id}/tiny-example.pdf")
    assert download.data.startswith(b"%PDF") and download.headers["Content-Type"] == "application/pdf"
    # Follow-up targets: the authority and the real replier, never the bounce
    targets = dict(queries.reply_targets(req))
    assert "authority" in targets
    assert all("Mail Delivery" not in label for label in targets.values())
    resp = client.post(f"/en/foi/request/{req.id}/classify", data={"state": "rejected"})
    assert resp.status_code == 303
    db.session.refresh(req)
    assert req.state == "rejected" and not req.awaiting_description
    assert client.post(f"/en/foi/request/{req.id}/classify", data={"state": "vexatious"}).status_code == 303
    db.session.refresh(req)
    assert req.state == "rejected"  # admin-only state refused for the requester
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "Refused" in page and "internal review" in page
    resp = client.post(
        f"/en/foi/request/{req.id}/followup",
        data={"review": "1", "target": "authority", "text": "Please review the refusal of my request."},
    )
    assert resp.status_code == 303
    db.session.refresh(req)
    assert req.state == "internal_review"
    out = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "foi@roads.example")).all()
    from flask_babel import gettext

    from app.core.i18n import force_language

    with force_language("es"):
        law = laws.law_name(laws.law_by_code(req.law_code), "es")
        expected = gettext("Internal review of %(law)s request - %(title)s", law=law, title=req.title)
    assert len(out) == 2 and out[-1].subject == expected


def test_daily_overdue_mailed_once_each(app, runner, authorities):
    req = make_request(app, authorities["Ministry of Roads"])
    req.due_on = dt.date.today() - dt.timedelta(days=2)
    req.very_overdue_on = dt.date.today() + dt.timedelta(days=20)
    db.session.commit()
    assert queries.display_state(req) == "waiting_response_overdue"
    before = db.session.scalar(select(func.count(OutboxMessage.id)))
    assert "overdue 1" in runner.invoke(args=["foi", "daily"]).output
    assert "overdue 0" in runner.invoke(args=["foi", "daily"]).output
    req.very_overdue_on = dt.date.today() - dt.timedelta(days=1)
    db.session.commit()
    assert "very overdue 1" in runner.invoke(args=["foi", "daily"]).output
    assert "very overdue 0" in runner.invoke(args=["foi", "daily"]).output
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == before + 2


@pytest.mark.shared_data
def test_report_redaction_and_search(app, client, runner, authorities, alaveteli_mail):
    from app.foi.models import FoiRedaction

    req = make_request(app, authorities["Ministry of Roads"])
    address = services.request_address(req)
    runner.invoke(
        args=["mail", "receive", "--recipient", address],
        input=_fixture(alaveteli_mail, "incoming-request-plain.eml", address),
    )
    assert "Geraldine" in client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert str(req.id) in client.get("/en/foi/?q=geraldine").get_data(as_text=True)
    admin = make_user("root@example.org", "Root", role="admin", language="en")
    db.session.add(FoiRedaction(pattern="Geraldine", replacement="[name]", scope="global", note="privacy"))
    db.session.commit()
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "Geraldine" not in page and "[name]" in page
    assert f"/foi/request/{req.id}" not in client.get("/en/foi/?q=geraldine").get_data(as_text=True)
    assert "Geraldine" not in client.get(f"/api/foi/requests/{req.id}.json").get_data(as_text=True)
    sign_in(client, admin.id)
    assert client.post(f"/en/foi/request/{req.id}/report", data={"reason": "rude"}).status_code == 303
    db.session.refresh(req)
    assert req.state == "attention_requested"
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "root@example.org"))
    assert "rude" in client.get("/en/admin/foi/").get_data(as_text=True)
