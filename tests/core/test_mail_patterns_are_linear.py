"""Patterns run on incoming mail and published replies take time linear in their input."""

from __future__ import annotations

from types import SimpleNamespace

from app.core.mail.addresses import hide_addresses, read_sender
from app.core.mail.inbox import parse_bytes, recipients_of
from app.core.mail.parsing import parse
from app.core.mail.quoting import fold_quoted, html_links_text
from app.reports.extras import reply_text

# Each input is 400,000 characters or more. The old patterns rescanned the rest of the text from
# every position (0.2 s for 8,000 characters, four times as long for each doubling): these would
# have taken many minutes each. No clock is read here.
N = 400_000


def test_sender_and_hidden_addresses_in_a_long_word():
    word = "a" * N
    assert read_sender(word) == (word, "")
    assert read_sender(f'"{word}" clerk@council.example>') == (word, "clerk@council.example")
    assert hide_addresses(word + " me@x.org", ["me@x.org"]) == word + " […]"


def test_received_for_with_many_at_signs():
    msg = parse_bytes(b"Received: from a by b for " + b"a@" * (N // 2) + b"\r\nTo: x@plaza.test\r\n\r\nHi\r\n")
    assert recipients_of(msg) == ["x@plaza.test"]


def test_delivery_report_with_a_long_recipient_line():
    raw = (
        b"From: MAILER-DAEMON@mx.example\r\nTo: x@plaza.test\r\nSubject: Undelivered Mail\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example\r\n\r\nFinal-Recipient: rfc822; " + b"a@" * (N // 2) + b" x\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\n--B--\r\n"
    )
    assert parse(raw).bounced_recipients == ()


def test_trailing_spaces_and_unended_uuencode_blocks():
    parsed = parse(b"Subject: x\r\n\r\n" + b" " * N + b"x\r\n")
    assert parsed.text == "x"
    body = b"begin 644 a.txt\n" * (N // 16)
    assert parse(b"Subject: x\r\n\r\n" + body + b"tail\n").text.endswith("tail")
    ended = parse(b"Subject: x\r\n\r\nSee\nbegin 644 a.txt\n#86)C\n`\nend\n" + body)
    assert [a.filename for a in ended.attachments] == ["a.txt"]


def test_quote_folding_of_a_long_line_of_at_signs():
    line = "a<" + "a@" * (N // 2)
    assert fold_quoted("Answer.\n" + line) == ("Answer.\n" + line, "")


def test_links_of_html_with_unclosed_anchors():
    assert html_links_text("x", "<a>" * (N // 3)) == "x"
    html = "<a " * (N // 3) + '<a href="https://e.example/d">Doc</a>'
    assert html_links_text("See Doc", html) == "See Doc (https://e.example/d)"


def test_published_report_reply_with_a_long_word(app):
    report = SimpleNamespace(id=0, email=None, phone=None)
    word = "a" * N
    assert reply_text(report, "clerk@council.example " + word).startswith("[…] aaa")


def test_the_translation_editors_tag_pattern_is_linear():
    from app.translations.catalog import _TAG_RE

    hostile = "<a" * 1_000_000  # a "<" inside a would-be tag: the old [^>]* rescanned to the end each time
    assert _TAG_RE.sub(" ", hostile) == hostile
