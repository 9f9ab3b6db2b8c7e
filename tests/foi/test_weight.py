"""Every FOI citizen page, HTML plus the site's CSS, stays under 14 KB gzip (in every language)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from app.extensions import db

from .conftest import make_user, sign_in
from .helpers import docx_bytes, make_request, receive, reply_email

CSS = (Path(__file__).resolve().parents[2] / "app" / "static" / "css" / "plaza.css").read_bytes()
LIMIT = 14 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def weight(html: bytes) -> int:
    return len(gzip.compress(html)) + len(gzip.compress(CSS))


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_foi_pages_are_light(app, client, runner, authorities, lang):
    roads = authorities["Ministry of Roads"]
    req = make_request(roads)
    for i in range(3):
        receive(
            runner,
            reply_email(
                req,
                f"Respuesta número {i}.\n\n"
                + "Texto de la respuesta. " * 40
                + "\n\nEl 1 mar 2026, Ana escribió:\n> "
                + "cita " * 80,
                message_id=f"<r{i}@roads.example>",
                attachments=[("informe.docx", DOCX, docx_bytes("Informe " * 200))],
            ),
        )
    db.session.refresh(req)
    att = req.messages[-1].attachments[0]
    for i in range(30):
        make_request(
            roads,
            user=make_user(f"u{i}@example.org", f"User {i}"),
            title=f"Pregunta número {i} sobre el mantenimiento de caminos",
            letter=f"Estimado Ministerio,\n\nPregunta {i}.\n\nGracias,",
        )
    public = [
        f"/{lang}/foi/",
        f"/{lang}/foi/?q=caminos&state=waiting_response",
        f"/{lang}/foi/authorities",
        f"/{lang}/foi/authorities/{roads.id}",
        f"/{lang}/foi/authorities/{authorities['Old Board'].id}",
        f"/{lang}/foi/new/{roads.id}",
        f"/{lang}/foi/request/{req.id}",
        f"/{lang}/foi/users/{req.user_id}",
        f"/{lang}/foi/request/{req.id}/attachments/{att.id}/text",
    ]
    owner = [
        f"/{lang}/foi/request/{req.id}",
        f"/{lang}/foi/request/{req.id}/followup",
        f"/{lang}/foi/request/{req.id}/followup?review=1",
    ]
    pages = [(url, client.get(url)) for url in public]
    pages.append(
        (
            "preview",
            client.post(
                f"/{lang}/foi/new/{roads.id}",
                data={
                    "title": "Caminos reparados en 2025",
                    "letter": "Estimado Ministerio,\n\nPido datos.\n\nGracias,",
                    "action": "preview",
                },
            ),
        )
    )
    sign_in(client, req.user_id)
    pages += [(url, client.get(url)) for url in owner]
    for url, resp in pages:
        assert resp.status_code == 200, (url, resp.status_code)
        assert weight(resp.data) < LIMIT, (url, weight(resp.data))
    assert 'id="classify"' in pages[-3][1].get_data(as_text=True)  # the heaviest: owner's page with the form
