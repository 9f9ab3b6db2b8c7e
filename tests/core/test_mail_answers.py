"""An answer's mail read by the one parser: its text, the quoted text below it, attachments,
bounces and auto-replies; addresses hidden in what is published."""

from __future__ import annotations

from app.core.mail.addresses import hide_addresses
from app.core.mail.parsing import fold_quoted, parse


def msg(raw: str) -> bytes:
    return raw.replace("\n", "\r\n").encode()


def test_reply_text_quoted_text_and_attachments():
    m = msg("""From: Alys <alys@senedd.example>
To: write-1-abcdef12@plaza.test
Subject: Re: Potholes
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="B"

--B
Content-Type: text/plain; charset=utf-8

Diolch am ysgrifennu.

Ar 1 Meh 2026, ysgrifennodd Siân:
> Mae'r ffordd wedi torri.
--B
Content-Type: application/pdf; name="cynllun.pdf"
Content-Disposition: attachment; filename="cynllun.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQ=
--B--
""")
    p = parse(m)
    text, quoted = fold_quoted(p.text)
    assert text == "Diolch am ysgrifennu."
    assert quoted.startswith("Ar 1 Meh 2026") and "torri" in quoted
    assert [(a.filename, a.content_type, a.size) for a in p.attachments] == [("cynllun.pdf", "application/pdf", 8)]
    assert not p.is_bounce and not p.is_auto_reply and p.from_addr == "alys@senedd.example"


def test_bounce_and_auto_reply_detection():
    bounce = msg("""From: MAILER-DAEMON@mx.example
To: write-1-abcdef12@plaza.test
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Sorry.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example

Final-Recipient: rfc822; Bryn@Senedd.example
Action: failed
--B--
""")
    p = parse(bounce)
    assert p.is_bounce and p.bounced_recipients == ("bryn@senedd.example",) and not p.is_delay
    ooo = msg("From: a@b.example\nTo: x@plaza.test\nSubject: Out of office\nAuto-Submitted: auto-replied\n\nAway.\n")
    assert parse(ooo).is_auto_reply
    human = msg("From: a@b.example\nTo: x@plaza.test\nSubject: Re: Out of office hours\nAuto-Submitted: no\n\nHi.\n")
    assert not parse(human).is_auto_reply


def test_redact_hides_only_the_given_addresses():
    text = "Write to sian@example.org or office@senedd.example; SIAN@EXAMPLE.ORG again."
    assert hide_addresses(text, ["sian@example.org"]) == "Write to […] or office@senedd.example; […] again."
