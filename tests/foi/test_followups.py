"""Follow-ups: the addresses they can go to are told apart, kept private and never garbage; answers are threaded with In-Reply-To."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.foi import queries, services
from app.foi.models import FoiMessage

from .conftest import sign_in
from .helpers import make_request, receive, reply_email


def _fixture(shared_data, name, address, sender=b"Officer <officer@roads.example>"):
    raw = (shared_data / "mail" / "alaveteli" / name).read_bytes()
    for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
        raw = raw.replace(key, address.encode())
    return raw.replace(b"EMAIL_FROM", sender)


@pytest.mark.shared_data
def test_encoded_sender_name_with_a_comma_keeps_the_address(app, client, runner, authorities, shared_data):
    req = make_request(authorities["Ministry of Roads"])
    address = services.request_address(req)
    for name in ("quoted-subject-iso8859-1.eml", "dos-linebreaks.eml"):
        raw = _fixture(shared_data, name, address)
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
    db.session.add(FoiMessage(request_id=req.id, direction="in", kind="reply", from_addr="coordenação", body="x"))
    db.session.add(
        FoiMessage(request_id=req.id, direction="in", kind="reply", from_addr='"a person" email@example.com', body="x")
    )
    db.session.commit()
    assert [k for k, _label in queries.reply_targets(db.session.merge(req))] == ["authority"]


def test_followup_targets_are_distinguishable_and_answer_with_in_reply_to(app, client, runner, authorities):
    from app.core.mail import OutboxMessage

    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, sender="FOI Officer <foi1@roads.example>", message_id="<r1@roads.example>"))
    receive(runner, reply_email(req, sender="FOI Officer <officer@council.example>", message_id="<r2@council>"))
    sign_in(client, req.user_id)
    html = client.get(f"/en/foi/request/{req.id}/followup").get_data(as_text=True)
    labels = [label for key, label in queries.reply_targets(db.session.merge(req)) if key != "authority"]
    assert len(labels) == 2 and len(set(labels)) == 2
    assert "FOI Officer (roads.example)" in html and "FOI Officer (council.example)" in html
    assert "foi1@" not in html and "officer@council" not in html  # addresses stay private
    key = next(k for k, label in queries.reply_targets(db.session.merge(req)) if "council.example" in label)
    resp = client.post(f"/en/foi/request/{req.id}/followup", data={"target": key, "text": "Gracias, una pregunta más."})
    assert resp.status_code == 303
    out = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "officer@council.example"))
    assert out.headers["In-Reply-To"] == "<r2@council>" and "<r2@council>" in out.headers["References"]
