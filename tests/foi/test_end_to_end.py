"""A request in Spanish end to end: sent by SMTP, answered, classified, due by the law's calendar, every shared email received, a name redacted everywhere."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from flask_babel import format_date
from sqlalchemy import select

from app.core.i18n import force_language
from app.core.mail import OutboxMessage, send_pending
from app.core.profile import current_profile
from app.extensions import db
from app.foi import laws, operations, services
from app.foi.models import FoiHoliday, FoiRequest

from .helpers import docx_bytes, reply_email

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LETTER = (
    "Estimado Ministerio:\n\nAl amparo de la ley, solicito el número de puentes inspeccionados en 2025 "
    "y el coste de cada inspección.\n\nAtentamente,\nLucía Ramos"
)


def expected_due(start: dt.date, prof, admin_days) -> dt.date:
    """Counted here independently: weekends, the holidays package, the profile's and admins' days."""
    import holidays

    package = set()
    if prof.holidays_country:
        package = set(
            holidays.country_holidays(
                prof.holidays_country, subdiv=prof.holidays_subdivision or None, years=[start.year, start.year + 1]
            )
        )
    law = prof.foi_law()
    day, left = start, law.reply_days
    while left:
        day += dt.timedelta(days=1)
        if (
            day.weekday() not in prof.weekend
            and day not in package
            and day not in set(prof.extra_holidays)
            and day not in admin_days
        ):
            left -= 1
    return day


def path(url: str) -> str:
    return urlparse(url).path + (("?" + urlparse(url).query) if urlparse(url).query else "")


@pytest.mark.shared_data
def test_a_spanish_request_from_compose_to_redaction(mail_app, smtp, shared_data):
    from app.accounts.models import User
    from app.accounts.services import hash_password
    from app.core.models import utcnow

    runner, client = mail_app.test_cli_runner(), mail_app.test_client()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    smtp.clear()
    db.session.execute(OutboxMessage.__table__.delete())
    from app.directory import services as directory

    ministry = directory.search_bodies(q="Obras Públicas", has_foi_email=True)[0][0]
    # An admin-added holiday on the next working day moves the due date by one day
    today = laws.local_today()
    holiday = today + dt.timedelta(days=1)
    while holiday.weekday() in current_profile().weekend:
        holiday += dt.timedelta(days=1)
    db.session.add(FoiHoliday(day=holiday, name="Día de prueba"))
    db.session.add(
        User(
            email="lucia@example.org",
            name="Lucía Ramos",
            role="citizen",
            language="es",
            password_hash=hash_password("secreto-largo-1"),
            confirmed_at=utcnow(),
        )
    )
    db.session.commit()

    # Compose in Spanish, signed out; sign in at the end; the preview comes back; POST "Send"
    form = client.get(f"/es/foi/new/{ministry.id}").get_data(as_text=True)
    assert "Ministerio de Obras Públicas" in form
    data = {"title": "Puentes inspeccionados en 2025", "letter": LETTER}
    resp = client.post(f"/es/foi/new/{ministry.id}", data=data | {"action": "send"})
    assert resp.status_code == 303 and "/es/accounts/signin" in resp.headers["Location"]
    resp = client.post(
        path(resp.headers["Location"]),
        data={"email": "lucia@example.org", "password": "secreto-largo-1", "next": f"/es/foi/new/{ministry.id}"},
    )
    assert resp.status_code == 303 and path(resp.headers["Location"]) == f"/es/foi/new/{ministry.id}"
    preview = client.get(f"/es/foi/new/{ministry.id}").get_data(as_text=True)
    assert 'id="preview-h"' in preview and "Puentes inspeccionados en 2025" in preview
    assert db.session.scalar(select(FoiRequest).where(FoiRequest.title.like("Puentes%"))) is None
    resp = client.post(f"/es/foi/new/{ministry.id}", data=data | {"action": "send"})
    assert resp.status_code == 303
    req = db.session.scalar(select(FoiRequest).where(FoiRequest.title == "Puentes inspeccionados en 2025"))
    assert req.language == "es"

    # Sent through a real SMTP server, from the request's own address
    assert send_pending() == (1, 0)
    sent = smtp.messages[0]
    assert sent["to"] == [ministry.foi_email] and services.request_address(req) in sent["message"]["From"]
    law_es = laws.law_name(laws.law_for(ministry), "es")
    assert law_es in sent["message"]["Subject"] and "Puentes inspeccionados en 2025" in sent["message"]["Subject"]
    assert "puentes inspeccionados" in smtp.body(0) and sent["message"]["Message-ID"] == req.messages[0].message_id

    # The due date shown follows the law (working days), the weekend, the profile's and the admin's holidays
    prof = current_profile()
    due = expected_due(today, prof, {holiday})
    assert req.due_on == due and due != expected_due(today, prof, set())
    with force_language("es"):
        shown = format_date(due, "medium")
    page = client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)
    assert shown in page

    # A reply piped into `flask mail receive` appears, its Word attachment readable as text
    raw = reply_email(
        req,
        "Estimada Sra. Ramos:\n\nAdjuntamos el informe preparado por Geraldine Fuentes.\n\n"
        "Atentamente,\nUnidad de Transparencia",
        sender=f"Transparencia <{ministry.foi_email}>",
        attachments=[
            (
                "informe.docx",
                DOCX,
                docx_bytes("Informe de puentes 2025", "Se inspeccionaron 37 puentes.", "Firmado: Geraldine Fuentes"),
            )
        ],
    )
    result = runner.invoke(args=["mail", "receive"], input=raw)
    assert result.exit_code == 0 and "processed" in result.output, result.output
    db.session.expire_all()
    reply = req.messages[-1]
    att = reply.attachments[0]
    page = client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)
    assert "Adjuntamos el informe" in page and 'id="classify"' in page
    text_url = f"/es/foi/request/{req.id}/attachments/{att.id}/text"
    assert text_url in page
    assert "Se inspeccionaron 37 puentes." in client.get(text_url).get_data(as_text=True)
    send_pending()  # she is told of the reply, by email
    assert any(
        m["to"] == ["lucia@example.org"] and f"/foi/request/{req.id}" in m["raw"].decode("utf-8", "replace")
        for m in smtp.messages
    )

    # The requester classifies it
    resp = client.post(f"/es/foi/request/{req.id}/classify", data={"state": "successful"})
    assert resp.status_code == 303
    db.session.refresh(req)
    assert req.state == "successful" and not req.awaiting_description
    assert 'id="classify"' not in client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)

    # Every shared test email is received without error (on another request of hers)
    other = operations.create_request(
        db.session.get(User, req.user_id),
        ministry,
        "Coste del alumbrado público",
        "Estimado Ministerio:\n\nSolicito el coste del alumbrado.\n\nAtentamente,",
        "es",
    )
    db.session.commit()
    address = services.request_address(other)
    files = sorted((shared_data / "mail" / "alaveteli").glob("*.eml"))
    assert len(files) > 20
    for f in files:
        raw = f.read_bytes()
        for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
            raw = raw.replace(key, address.encode())
        raw = re.sub(rb"(?im)^(message-id:\s*<)", lambda m, n=f.name.encode(): m.group(1) + n + b".", raw, count=1)
        raw = raw.replace(b"EMAIL_FROM", b"Officer <officer@obras.example>")
        result = runner.invoke(args=["mail", "receive", "--recipient", address], input=raw)
        assert result.exit_code == 0 and "processed" in result.output, (f.name, result.output)
    db.session.expire_all()
    assert len([m for m in other.messages if m.direction == "in"]) == len(files)
    assert client.get(f"/es/foi/request/{other.id}").status_code == 200

    # A redaction rule (added on the admin page) hides a name everywhere, search included
    assert f"/es/foi/request/{req.id}" in client.get("/es/foi/?q=geraldine").get_data(as_text=True)
    admin = db.session.scalar(select(User).where(User.role == "admin"))
    with client.session_transaction() as sess:
        sess["_user_id"], sess["_fresh"] = admin.get_id(), True
    db.session.commit()
    resp = client.post(
        "/es/admin/foi/redactions",
        data={"pattern": "Geraldine Fuentes", "scope": "global", "replacement": "[nombre]", "note": "Privacidad"},
    )
    assert resp.status_code == 303
    with client.session_transaction() as sess:
        sess.clear()
    everywhere = [
        f"/es/foi/request/{req.id}",
        text_url,
        f"/es/foi/request/{req.id}/feed.atom",
        f"/api/foi/requests/{req.id}.json",
        "/es/foi/feed.atom?q=puentes",
        "/es/foi/?q=puentes",
    ]
    for url in everywhere:
        body = client.get(url).get_data(as_text=True)
        assert "Geraldine" not in body, url
    assert "[nombre]" in client.get(text_url).get_data(as_text=True)
    assert "[nombre]" in client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)
    for q in ("geraldine", "fuentes", "Geraldine Fuentes"):
        assert f"/es/foi/request/{req.id}" not in client.get(f"/es/foi/?q={q}").get_data(as_text=True), q
        found = client.get(f"/api/foi/requests.json?q={q}").get_json()["results"]
        assert req.id not in [r["id"] for r in found], q
    assert f"/es/foi/request/{req.id}" in client.get("/es/foi/?q=inspeccionaron").get_data(as_text=True)
