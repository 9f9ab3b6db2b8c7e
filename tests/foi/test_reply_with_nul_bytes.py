"""A reply with NUL characters in its subject, sender and text is published without them (PostgreSQL refuses them)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.foi.models import FoiMessage

from .helpers import make_request, receive, reply_email


def test_nul_characters_are_left_out_of_a_stored_reply(app, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    raw = reply_email(req, text="Adjuntamos NULNUL la respuesta.", subject="Re: su NULsolicitud")
    receive(runner, raw.replace(b"NUL", b"\x00"))
    reply = db.session.scalars(select(FoiMessage).where(FoiMessage.direction == "in")).one()
    assert "\x00" not in reply.subject and "su solicitud" in reply.subject
    assert "Adjuntamos  la respuesta." in reply.body
