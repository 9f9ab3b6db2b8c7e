"""`flask mail lmtp`: a real LMTP client delivers to the server; each recipient gets the answer (stored, or empty message refused)."""

from __future__ import annotations

import smtplib
import socket

import pytest
from sqlalchemy import select

from app import create_app
from app.core.mail import InboxMessage
from app.core.mail.lmtp import controller
from app.extensions import db

MAIL = (
    b"From: Clerk <clerk@council.example>\r\nTo: nobody-here@plaza.test\r\n"
    b"Subject: By LMTP\r\nMessage-ID: <lmtp-1@council.example>\r\n\r\nHello.\r\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def lmtp_server(app):
    port = _free_port()
    server = controller(app, "127.0.0.1", port)
    server.start()
    yield port
    server.stop()


def _deliver(port, raw, recipients):
    """(code, reply) per recipient: LMTP answers DATA once for each (smtplib reads the first)."""
    with smtplib.LMTP("127.0.0.1", port) as client:
        client.ehlo()  # LHLO
        client.mail("clerk@council.example")
        for rcpt in recipients:
            assert client.rcpt(rcpt)[0] == 250
        client.putcmd("data")
        assert client.getreply()[0] == 354
        client.send(raw + b".\r\n")
        return [client.getreply() for _ in recipients]


@pytest.mark.commits
def test_each_recipient_is_told_the_message_is_stored(app, lmtp_server):
    replies = _deliver(lmtp_server, MAIL, ["a@plaza.test", "b@plaza.test"])
    assert [code for code, _text in replies] == [250, 250]
    assert b"Stored" in replies[0][1]
    replies = _deliver(
        lmtp_server, b"Received: from x by y; Mon, 3 Mar 2025 10:00:05 +0000\r\n" + MAIL, ["a@plaza.test"]
    )
    assert [code for code, _text in replies] == [250]
    db.session.rollback()
    rows = db.session.scalars(select(InboxMessage)).all()
    assert [(r.subject, r.envelope_to, r.status) for r in rows] == [
        ("By LMTP", ["a@plaza.test", "b@plaza.test"], "holding")
    ]


@pytest.mark.commits
def test_an_empty_message_is_refused_for_good(app, lmtp_server):
    replies = _deliver(lmtp_server, b"\r\n", ["a@plaza.test", "b@plaza.test"])
    assert [code for code, _text in replies] == [554, 554]
    db.session.rollback()
    assert db.session.scalars(select(InboxMessage)).all() == []


def test_the_command_is_offered(app):
    result = app.test_cli_runner().invoke(args=["mail", "lmtp", "--help"])
    assert result.exit_code == 0 and "--port" in result.output


def test_a_message_that_cannot_be_stored_gets_a_temporary_failure(tmp_path):
    # A real database without the inbox table: storing fails, so the MTA must keep the message.
    broken = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
            "SECRET_KEY": "test-secret",
            "UPLOAD_FOLDER": str(tmp_path),
        }
    )
    port = _free_port()
    server = controller(broken, "127.0.0.1", port)
    server.start()
    try:
        replies = _deliver(port, MAIL, ["a@plaza.test", "b@plaza.test"])
    finally:
        server.stop()
    assert [code for code, _text in replies] == [451, 451]
