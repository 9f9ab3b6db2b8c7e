"""A message delivered again (with more trace headers) is stored once; different mail under one Message-ID is kept."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select

from app.core.mail import InboxMessage
from app.core.mail.inbox import store_raw
from app.extensions import db

MAIL = (
    b"From: Clerk <clerk@council.example>\r\nTo: request-2-abcdef12@plaza.test\r\n"
    b"Subject: Re: your request\r\nDate: Mon, 3 Mar 2025 10:00:00 +0000\r\n"
    b"Message-ID: <reply-1@council.example>\r\n\r\nHere is the answer.\r\n"
)
NO_ID = MAIL.replace(b"Message-ID: <reply-1@council.example>\r\n", b"")
TRACE = (
    b"Received: from mx.council.example by mx.plaza.test; for <request-2-abcdef12@plaza.test>; "
    b"Mon, 3 Mar 2025 10:00:05 +0000\r\n",
    b"Delivered-To: request-2-abcdef12@plaza.test\r\n",
    b"Envelope-to: request-2-abcdef12@plaza.test\r\nReturn-Path: <clerk@council.example>\r\n",
    b"X-Original-To: request-2-abcdef12@plaza.test\r\n",
    b"DKIM-Signature: v=1; a=rsa-sha256; d=council.example;\r\n b=abc\r\n"
    b"ARC-Seal: i=1; a=rsa-sha256; cv=none\r\nAuthentication-Results: mx.plaza.test; dkim=pass\r\n",
)


def _count():
    return db.session.scalar(select(func.count()).select_from(InboxMessage))


def test_redelivered_copies_with_trace_headers_are_one_row(app):
    for base in (MAIL, NO_ID):
        first, created = store_raw(base)
        assert created
        for extra in TRACE:
            row, created = store_raw(extra + base)
            assert not created and row.id == first.id, extra
        # Line endings changed on the way do not matter either.
        row, created = store_raw(TRACE[0] + base.replace(b"\r\n", b"\n"))
        assert not created and row.id == first.id
    assert _count() == 2


def test_different_mail_under_one_message_id_is_kept(app):
    store_raw(MAIL)
    for other in (
        MAIL.replace(b"Here is the answer.", b"A second letter."),
        MAIL.replace(b"Re: your request", b"Re: another request"),
        MAIL.replace(b"Clerk <clerk@", b"Other <other@"),
        MAIL.replace(b"10:00:00", b"11:00:00"),
    ):
        row, created = store_raw(b"Received: from x by y; Mon, 3 Mar 2025 10:00:05 +0000\r\n" + other)
        assert created
    assert _count() == 5
    # Without a Message-ID, other headers than the trace ones count (e.g. another To).
    store_raw(NO_ID)
    _row, created = store_raw(NO_ID.replace(b"request-2-abcdef12", b"request-3-abcdef12"))
    assert created


def test_rows_stored_under_the_old_key_are_still_known(app):
    message_id = "<reply-1@council.example>"
    legacy = hashlib.sha256(message_id.encode() + b"\n" + hashlib.sha256(MAIL).digest()).hexdigest()
    db.session.add(
        InboxMessage(message_key=legacy, message_id=message_id, raw=MAIL, envelope_to=[], status="processed")
    )
    db.session.commit()
    _row, created = store_raw(MAIL)
    assert not created and _count() == 1


def test_the_cli_says_already_stored_for_a_copy(app, runner):
    assert "Stored as" in runner.invoke(args=["mail", "receive"], input=MAIL).output
    again = runner.invoke(args=["mail", "receive"], input=TRACE[1] + TRACE[0] + MAIL)
    assert "Already stored" in again.output
