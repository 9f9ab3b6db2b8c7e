"""The outbox under bad rows, SMTP outages and permanent refusals."""

from __future__ import annotations

import datetime as dt
import smtplib
from email.utils import formataddr
from pathlib import Path

from sqlalchemy import select

from app.core.mail import OutboxMessage, outbox, queue_email, send_pending
from app.core.models import utcnow
from app.extensions import db

TEMPLATES = Path(__file__).parent / "templates"


def _template(app):
    if str(TEMPLATES) not in app.jinja_loader.searchpath:
        app.jinja_loader.searchpath.append(str(TEMPLATES))


def test_a_name_with_a_line_break_cannot_add_headers_nor_stop_the_queue(mail_app, smtp):
    _template(mail_app)
    evil = formataddr(("Chen Citizen\nBcc: evil@example.com", "request-3-abc@plaza.test"))
    queue_email("body@example.gov", "email_test.txt", {"name": "X"}, from_addr=evil)
    queue_email("later@example.com", "email_test.txt", {"name": "Later"})
    db.session.commit()
    assert send_pending() == (2, 0)
    recipients = sorted(r for m in smtp.messages for r in m["to"])
    assert recipients == ["body@example.gov", "later@example.com"]  # no Bcc to evil@example.com
    first = smtp.messages[0]["message"]
    assert first["Bcc"] is None
    assert "\n" not in first["From"] and "Chen Citizen" in first["From"]
    assert first["From"].addresses[0].addr_spec == "request-3-abc@plaza.test"


def test_a_row_that_cannot_be_built_fails_alone_with_its_error(mail_app, smtp):
    _template(mail_app)
    bad = queue_email("body@example.gov", "email_test.txt", {"name": "X"})
    queue_email("later@example.com", "email_test.txt", {"name": "Later"})
    db.session.commit()
    # An old row written before names were cleaned, or any row the email library refuses.
    bad.from_addr = "no closing bracket <"
    bad.attachments = [{"filename": "x", "content_type": "text/plain", "data": "***not base64"}]
    db.session.commit()
    sent, failed = send_pending()
    assert (sent, failed) == (1, 1)
    assert [m["to"] for m in smtp.messages] == [["later@example.com"]]
    db.session.refresh(bad)
    assert bad.status == "failed" and bad.attempts == 1 and bad.last_error
    assert send_pending() == (0, 0)  # the pass never tries it again by itself


def test_permanent_refusal_fails_at_once_and_temporary_waits(mail_app, smtp, monkeypatch):
    _template(mail_app)
    perm = queue_email("gone@example.org", "email_test.txt", {"name": "P"})
    temp = queue_email("busy@example.org", "email_test.txt", {"name": "T"})
    db.session.commit()

    class Refusing:
        def send_message(self, msg):
            to = str(msg["To"])
            code = 550 if "gone" in to else 451
            raise smtplib.SMTPRecipientsRefused({to: (code, b"no")})

        def quit(self):
            pass

    monkeypatch.setattr(outbox, "_connect", lambda: Refusing())
    assert send_pending() == (0, 2)
    db.session.refresh(perm)
    db.session.refresh(temp)
    assert perm.status == "failed" and "550" in perm.last_error
    assert temp.status == "pending" and temp.attempts == 1


def test_an_outage_stops_the_pass_and_does_not_fail_mail_for_good(app_factory):
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    _template(app)
    with app.app_context():
        for i in range(3):
            queue_email(f"x{i}@example.org", "email_test.txt", {"name": "X"})
        db.session.commit()
        assert send_pending() == (0, 1)  # one connection attempt per pass, not one per message
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [r.attempts for r in rows] == [1, 0, 0]
        assert rows[0].last_error and rows[0].status == "pending"
        # Many failures within a few hours: still waiting, with a delay that stops growing.
        rows[0].attempts = 20
        rows[0].next_attempt_at = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
        send_pending()
        db.session.refresh(rows[0])
        assert rows[0].status == "pending"
        assert rows[0].next_attempt_at - utcnow() <= outbox.MAX_DELAY
        # Only when the mail is old as well is it given up.
        rows[0].created_at = utcnow() - outbox.GIVE_UP_AFTER - dt.timedelta(minutes=1)
        rows[0].next_attempt_at = utcnow() - dt.timedelta(seconds=1)
        db.session.commit()
        send_pending()
        db.session.refresh(rows[0])
        assert rows[0].status == "failed"


def test_retry_all_puts_every_failed_message_back(app):
    _template(app)
    rows = [queue_email(f"f{i}@example.org", "email_test.txt", {"name": "F"}) for i in range(3)]
    db.session.flush()
    rows[0].status = rows[1].status = "failed"
    rows[0].attempts = 8
    db.session.commit()
    assert outbox.retry_all() == 2
    db.session.commit()
    db.session.expire_all()
    assert [r.status for r in rows] == ["pending", "pending", "pending"]
    assert rows[0].attempts == outbox.MAX_ATTEMPTS - 1


def test_a_message_claimed_by_another_worker_is_sent_once(mail_app, smtp):
    """Two workers list the same due mail; the claim lets only one send it."""
    _template(mail_app)
    queue_email("once@example.org", "email_test.txt", {"name": "Once"})
    db.session.commit()
    row = db.session.scalars(select(OutboxMessage)).one()
    now = utcnow()
    assert outbox.claim(row.id, now) is True  # worker A takes it ...
    assert outbox.claim(row.id, now) is False  # ... so worker B, with the same list, does not
    assert send_pending() == (0, 0) and smtp.messages == []  # leased: not due for anyone
    db.session.refresh(row)
    assert row.status == "pending" and row.next_attempt_at > now + dt.timedelta(minutes=10)
    # Worker A died mid-send: when the lease runs out the mail goes (at least once, never lost).
    row.next_attempt_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    assert send_pending() == (1, 0)
    assert [r for m in smtp.messages for r in m["to"]] == ["once@example.org"]
