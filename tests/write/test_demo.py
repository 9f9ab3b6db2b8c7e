"""`flask demo load` adds public messages to representatives, one answered (and mails nobody)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.write.models import Message


def test_demo_messages(app, runner, client):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "write: 2 demo messages" in result.output
    msgs = db.session.scalars(select(Message).order_by(Message.id)).all()
    assert [m.status for m in msgs] == ["sent", "sent"]
    assert len(msgs[1].recipients) == 2
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    page = client.get(f"/en/write/{msgs[0].id}").get_data(as_text=True)
    assert "Safe crossing outside the primary school" in page
    assert "raised the crossing with the roads department" in page  # the answer, from the stored email
    assert "citizen@example.org" not in page
    archive = client.get("/en/write/").get_data(as_text=True)
    assert "Opening hours of the public library" in archive
