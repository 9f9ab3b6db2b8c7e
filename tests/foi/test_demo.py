"""`flask demo load` adds two FOI requests with replies to demo authorities (and mails nobody)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.foi.models import FoiRequest


def test_demo_requests(app, runner, client):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "foi: 2 demo requests" in result.output
    reqs = db.session.scalars(select(FoiRequest).order_by(FoiRequest.id)).all()
    assert len(reqs) == 2 and reqs[0].authority_id != reqs[1].authority_id
    assert reqs[0].state == "successful" and reqs[1].awaiting_description
    assert all([m.direction for m in r.messages] == ["out", "in"] for r in reqs)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    att = reqs[0].messages[1].attachments[0]
    page = client.get(f"/en/foi/request/{reqs[0].id}").get_data(as_text=True)
    assert "Road repairs carried out last year" in page and f"/attachments/{att.id}/text" in page
    assert "North road" in client.get(f"/en/foi/request/{reqs[0].id}/attachments/{att.id}/text").get_data(as_text=True)
    listed = client.get("/en/foi/?q=lighting").get_data(as_text=True)
    assert f"/en/foi/request/{reqs[1].id}" in listed and f"/en/foi/request/{reqs[0].id}" not in listed
