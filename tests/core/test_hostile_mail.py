"""Hostile incoming mail (deep nesting, huge headers, NUL bytes, empty input, interrupted delivery) is stored and then processed or held with a reason."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.core import registry
from app.core.mail import InboxMessage
from app.core.mail.inbox import parse_bytes, process_waiting, store_raw
from app.core.mail.limits import TOO_COMPLEX
from app.core.mail.parsing import parse
from app.core.models import utcnow
from app.extensions import db
from tests.helpers import make_user, sign_in

PLAIN = (
    b"From: Someone <someone@example.net>\r\nTo: nobody-here@plaza.test\r\n"
    b"Subject: Hello\r\nMessage-ID: <hostile-1@example.net>\r\n\r\nA letter.\r\n"
)


def _deep(levels: int) -> bytes:
    raw = b"From: a@example.net\r\nTo: nobody-here@plaza.test\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
    for i in range(levels):
        raw += b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
    return raw + b"Content-Type: text/plain\r\n\r\nhi\r\n"


def _rows():
    return db.session.scalars(select(InboxMessage).order_by(InboxMessage.id)).all()


def _receive(runner, raw):
    return runner.invoke(args=["mail", "receive"], input=raw)


def test_two_thousand_nested_parts_are_stored_and_held_with_the_reason(app, client, runner):
    result = _receive(runner, _deep(2000))
    assert result.exit_code == 0, result.output
    (row,) = _rows()
    assert (row.status, row.note, row.subject) == ("holding", TOO_COMPLEX, "deep")
    assert parse(row.raw).subject == "deep"  # headers only, no RecursionError
    assert parse_bytes(row.raw)["Subject"] == "deep"
    sign_in(client, make_user("admin@example.org", role="admin"))
    page = client.get("/en/admin/inbox/")
    assert page.status_code == 200
    assert "too many nested parts" in page.get_data(as_text=True)
    assert client.get(f"/en/admin/inbox/{row.id}").status_code == 200


def test_a_two_megabyte_subject_is_stored_cut_short_and_processed(app, runner):
    raw = PLAIN.replace(b"Subject: Hello", b"Subject: " + b"a" * 2_000_000)
    result = _receive(runner, raw)
    assert result.exit_code == 0, result.output
    (row,) = _rows()
    assert row.raw == raw
    assert row.subject == "a" * 2000
    assert row.status == "holding" and row.note == "core:unclaimed"
    assert len(parse(raw).subject) < 10_000


def test_nul_bytes_never_reach_the_database(app, runner):
    raw = PLAIN.replace(b"Subject: Hello", b"Subject: He\x00llo").replace(b"A letter.", b"A\x00 letter.")
    raw = raw.replace(b"Someone <", b"Some\x00one <")
    result = _receive(runner, raw)
    assert result.exit_code == 0, result.output
    (row,) = _rows()
    assert (row.subject, row.from_addr, row.status) == ("Hello", "Someone <someone@example.net>", "holding")
    parsed = parse(raw)
    assert (parsed.subject, parsed.text, parsed.from_name) == ("Hello", "A letter.", "Someone")


def test_empty_input_is_a_permanent_failure_with_a_message(app, runner):
    for raw in (b"", b"  \r\n\r\n"):
        result = _receive(runner, raw)
        assert result.exit_code == 65
        assert "Empty message" in result.output
    assert _rows() == []


def test_a_redelivery_processes_a_stored_mail_left_unprocessed(app, runner):
    store_raw(PLAIN)  # the first `flask mail receive` was killed here, after its commit
    db.session.commit()
    result = _receive(runner, b"Received: from mx by mx2; Mon, 3 Mar 2025 10:00:05 +0000\r\n" + PLAIN)
    assert result.exit_code == 0
    assert "nothing to do" not in result.output
    (row,) = _rows()
    assert row.status == "holding" and row.note == "core:unclaimed"
    result = _receive(runner, PLAIN)
    assert "Already stored" in result.output


def test_the_jobs_worker_processes_mail_left_new_for_some_minutes(app, client):
    old, _ = store_raw(PLAIN)
    fresh, _ = store_raw(PLAIN.replace(b"A letter.", b"Another letter."))
    old.received_at = utcnow() - dt.timedelta(minutes=10)
    db.session.commit()
    sign_in(client, make_user("admin@example.org", role="admin"))
    page = client.get("/en/admin/inbox/?status=new")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("Hello") == 2
    assert process_waiting() == 1
    assert (old.status, fresh.status) == ("holding", "new")
    assert db.session.scalar(select(func.count()).where(InboxMessage.status == "new")) == 1
    assert "core.inbox_waiting" in [name for name, _f, _every in registry.jobs()]
