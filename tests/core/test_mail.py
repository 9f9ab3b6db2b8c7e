"""Outbox and inbox through a real SMTP server and the real database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.core import registry
from app.core.mail import InboxMessage, OutboxMessage, outbox, queue_email, send_pending
from app.core.mail.addresses import address_hash, hashes_match, parse_reply_address, reply_address
from app.extensions import db

TEMPLATES = Path(__file__).parent / "templates"


def _template(app):
    app.jinja_loader.searchpath.append(str(TEMPLATES))


def test_queued_mail_is_sent_in_recipients_language(mail_app, smtp):
    _template(mail_app)
    queue_email("ana@example.org", "email_test.txt", {"name": "Ana"}, language="es")
    db.session.commit()
    assert send_pending() == (1, 0)
    assert len(smtp.messages) == 1
    msg = smtp.messages[0]["message"]
    assert msg["To"] == "ana@example.org"
    assert msg["Content-Language"] == "es"
    assert "Hola Ana" in smtp.body()
    assert "/es/" in smtp.body()  # links carry the recipient's language
    row = db.session.scalar(select(OutboxMessage))
    assert row.status == "sent" and row.sent_at is not None


def test_failures_retry_with_backoff_then_fail(app_factory):
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    _template(app)
    with app.app_context():
        queue_email("x@example.org", "email_test.txt", {"name": "X"})
        db.session.commit()
        assert send_pending() == (0, 1)
        row = db.session.scalar(select(OutboxMessage))
        assert row.status == "pending" and row.attempts == 1 and row.last_error
        first_delay = row.next_attempt_at - row.created_at
        assert send_pending() == (0, 0)  # not due yet
        row.attempts = 7
        row.next_attempt_at = row.created_at
        db.session.commit()
        send_pending()
        db.session.refresh(row)
        assert row.status == "pending"  # many attempts, but a young message keeps waiting
        row.attempts = 7
        row.created_at = row.created_at - outbox.GIVE_UP_AFTER
        row.next_attempt_at = row.created_at
        db.session.commit()
        send_pending()
        db.session.refresh(row)
        assert row.status == "failed"
        assert first_delay.total_seconds() >= 50


def test_rollback_drops_the_mail_with_the_action(app):
    _template(app)
    queue_email("y@example.org", "email_test.txt", {"name": "Y"})
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage)) is None


RAW = b"""From: Body <body@example.gov>\r
To: someone-5-abcdef12@plaza.test\r
Subject: Re: hello\r
Message-ID: <abc@example.gov>\r
\r
Thanks.\r
"""


def test_receive_stores_once_and_holds_unclaimed(app, runner):
    result = runner.invoke(args=["mail", "receive"], input=RAW)
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["mail", "receive"], input=RAW)
    assert result.exit_code == 0
    assert "Already stored" in result.output
    rows = db.session.scalars(select(InboxMessage)).all()
    assert len(rows) == 1
    assert rows[0].status == "holding"
    assert rows[0].raw == RAW


def test_receive_dispatches_to_claiming_handler(app_factory):
    app = app_factory()
    seen = []

    def handler(item):
        seen.append(item.recipients)
        return "test" if "someone-5-abcdef12" in item.local_parts else None

    registry.add_inbox_handler(app, handler)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["mail", "receive"], input=RAW)
        assert result.exit_code == 0, result.output
        row = db.session.scalar(select(InboxMessage))
        assert row.status == "processed" and row.handled_by == "test"
    assert seen == [["someone-5-abcdef12@plaza.test"]]


def test_handler_crash_keeps_the_raw_message(app_factory):
    app = app_factory()

    def handler(item):
        raise RuntimeError("boom")

    registry.add_inbox_handler(app, handler)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["mail", "receive"], input=RAW)
        assert result.exit_code == 0
        row = db.session.scalar(select(InboxMessage))
        assert row.status == "holding" and "boom" in row.error and row.raw == RAW


def test_empty_input_is_a_permanent_failure(runner):
    # 65 (EX_DATAERR): retrying an empty message can never succeed (75 made the MTA retry forever).
    result = runner.invoke(args=["mail", "receive"], input=b"")
    assert result.exit_code == 65


def test_reply_addresses_match_tolerantly(app):
    addr = reply_address("request", 42)
    local = addr.split("@")[0]
    assert local == f"request-42-{address_hash(42)}"
    parsed = parse_reply_address("foi+" + local.upper() + "@other.domain", "request")
    assert parsed[0] == 42
    mangled = parsed[1].replace("1", "l").replace("0", "o")
    assert hashes_match(address_hash(42), mangled)
    assert not hashes_match(address_hash(42), "deadbeef")
