"""Incoming mail for messages: bounces, auto-replies, wrong check codes, unknown messages."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlalchemy import select

from app.core.mail import InboxMessage, OutboxMessage, reply_address
from app.directory import services as directory
from app.extensions import db
from app.write.models import Answer, Message, Recipient

from .conftest import ALYS, BRYN, confirm_by_link, link_in, write_message


def sent_message(wapp, wclient, world, persons=None):
    from app.core.mail import send_pending

    write_message(wclient, "en", persons or [world["alys"], world["bryn"]])
    send_pending()
    msg = db.session.scalar(select(Message).order_by(Message.id.desc()))
    outbox = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "write/email/confirm.txt"))
    assert confirm_by_link(wclient, link_in(outbox.body_text, "/write/confirm/")).status_code == 303
    db.session.refresh(msg)
    assert msg.status == "sent"
    return msg


def receive(app, raw: bytes):
    result = app.test_cli_runner().invoke(args=["mail", "receive"], input=raw)
    assert result.exit_code == 0, result.output
    return db.session.scalar(select(InboxMessage).order_by(InboxMessage.id.desc()))


def bounce_for(address: str, failed: str) -> bytes:
    """A Postfix-style delivery status notification (RFC 3464)."""
    return f"""Return-Path: <>\r
From: Mail Delivery System <MAILER-DAEMON@mx.senedd.example>\r
To: {address}\r
Subject: Undelivered Mail Returned to Sender\r
Message-ID: <bounce-1@mx.senedd.example>\r
Auto-Submitted: auto-replied\r
MIME-Version: 1.0\r
Content-Type: multipart/report; report-type=delivery-status; boundary="BOUND"\r
\r
--BOUND\r
Content-Type: text/plain; charset=us-ascii\r
\r
I'm sorry to have to inform you that your message could not be delivered.\r
<{failed}>: mailbox unavailable\r
\r
--BOUND\r
Content-Type: message/delivery-status\r
\r
Reporting-MTA: dns; mx.senedd.example\r
\r
Final-Recipient: rfc822; {failed}\r
Action: failed\r
Status: 5.1.1\r
\r
--BOUND\r
Content-Type: text/rfc822-headers\r
\r
From: Writer <{address}>\r
To: {failed}\r
Subject: Potholes\r
\r
--BOUND--\r
""".encode()


def test_bounce_marks_the_contact_failing_and_is_not_published(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world)
    row = receive(wapp, bounce_for(reply_address("write", msg.id), BRYN))
    assert row.status == "processed" and row.handled_by == "write"
    answer = db.session.scalar(select(Answer))
    assert answer.is_bounce and answer.person_id == world["bryn"]
    rec = db.session.scalar(select(Recipient).where(Recipient.person_id == world["bryn"]))
    assert rec.failing and rec.delivery_status == "bounced"
    assert directory.person_email(world["bryn"]) is None  # failing: admins see it, nothing is sent to it
    assert directory.person_email(world["alys"]) == ALYS
    page = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "could not be delivered" in page and "mailbox unavailable" not in page
    assert "No answer yet" in page
    # The writer is not told about a bounce as if it were an answer.
    assert not db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "write/email/answer.txt"))


def test_auto_reply_is_kept_but_not_published(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world, [world["alys"]])
    ooo = EmailMessage()
    ooo["From"] = ALYS
    ooo["To"] = reply_address("write", msg.id)
    ooo["Subject"] = "Automatic reply: Potholes on Heol y Parc"
    ooo["Auto-Submitted"] = "auto-replied"
    ooo["Message-ID"] = "<ooo-1@senedd.example>"
    ooo.set_content("I am out of the office until Monday.")
    row = receive(wapp, ooo.as_bytes())
    assert row.status == "processed"
    answer = db.session.scalar(select(Answer))
    assert answer.is_auto_reply and not answer.is_bounce
    page = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "out of the office" not in page and "No answer yet" in page
    assert not db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "write/email/answer.txt"))
    assert directory.person_email(world["alys"]) == ALYS


def test_wrong_check_code_is_held_with_a_suggestion(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world)
    good = reply_address("write", msg.id)
    local, domain = good.split("@")
    bad = f"write-{msg.id}-deadbeef@{domain}"
    assert bad != good
    mail = EmailMessage()
    mail["From"] = ALYS
    mail["To"] = bad
    mail["Subject"] = "Re: Potholes"
    mail["Message-ID"] = "<wrong-1@senedd.example>"
    mail.set_content("An answer to the wrong address.")
    row = receive(wapp, mail.as_bytes())
    assert row.status == "holding" and "wrong check code" in row.note and row.suggestion == good
    assert db.session.scalar(select(Answer)) is None
    # An admin redelivers it to the suggested address: now it is an answer.
    from app.core.mail.inbox import redeliver

    assert redeliver(row.id, good) == "processed"
    answer = db.session.scalar(select(Answer))
    assert answer.body == "An answer to the wrong address." and answer.person_id == world["alys"]


def test_mistyped_hash_still_matches_and_unknown_message_is_held(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world)
    local, domain = reply_address("write", msg.id).split("@")
    prefix, code = local.rsplit("-", 1)
    good = f"{prefix}-{code.upper().replace('1', 'l').replace('0', 'O')}@{domain}"
    mail = EmailMessage()
    mail["From"] = "assistant@senedd.example"
    mail["To"] = good
    mail["Subject"] = "Re: Potholes"
    mail["Message-ID"] = "<typo-1@senedd.example>"
    mail.set_content("Answered by an assistant.")
    held = receive(wapp, mail.as_bytes())
    assert held.status == "holding"  # the hash matched, but the sender is no recipient's address
    from app.core.mail.inbox import redeliver

    assert redeliver(held.id) == "processed"  # an admin read it
    assert db.session.scalar(select(Answer)).person_id is None  # two recipients, unknown sender
    page = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "Answered by an assistant." in page
    other = EmailMessage()
    other["From"] = ALYS
    other["To"] = reply_address("write", 9999)
    other["Subject"] = "Re: ?"
    other["Message-ID"] = "<unknown-1@senedd.example>"
    other.set_content("Hello?")
    row = receive(wapp, other.as_bytes())
    assert row.status == "holding" and "no message 9999" in row.note


def _reply(sender: str, to: str, text: str, message_id: str) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = "Re: Potholes"
    mail["Message-ID"] = message_id
    mail.set_content(text)
    return mail.as_bytes()


def test_answer_from_a_stranger_is_held_not_published(wapp, wclient, world):
    from app.core.mail.inbox import redeliver

    msg = sent_message(wapp, wclient, world, [world["alys"]])
    row = receive(
        wapp,
        _reply(
            "Troll <troll@example.com>",
            reply_address("write", msg.id),
            "I resign. Buy crypto.",
            "<troll-1@example.com>",
        ),
    )
    assert row.status == "holding" and "troll@example.com" in row.note
    assert row.suggestion == reply_address("write", msg.id)
    assert db.session.scalar(select(Answer)) is None
    page = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "Buy crypto" not in page and "No answer yet" in page
    assert not db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "write/email/answer.txt"))
    # the writer replying to their own message is no answer either
    row2 = receive(wapp, _reply(msg.writer_email, reply_address("write", msg.id), "Any news?", "<w-1@x.example>"))
    assert row2.status == "holding"
    # an admin who read it and delivers it again publishes it (one recipient: in their name)
    assert redeliver(row.id) == "processed"
    answer = db.session.scalar(select(Answer))
    assert answer.person_id == world["alys"] and "Buy crypto" in answer.body


def test_answer_from_any_known_address_of_a_recipient_is_published(wapp, wclient, world):
    from app.directory.models import ContactDetail

    msg = sent_message(wapp, wclient, world)
    db.session.add(ContactDetail(person_id=world["bryn"], type="email", value="Bryn.Office@senedd.example"))
    db.session.commit()
    row = receive(
        wapp,
        _reply(
            "Bryn's office <bryn.office@senedd.example>",
            reply_address("write", msg.id),
            "We are looking into it.",
            "<office-1@senedd.example>",
        ),
    )
    assert row.status == "processed"
    answer = db.session.scalar(select(Answer))
    assert answer.person_id == world["bryn"] and not answer.is_bounce


@pytest.mark.shared_data
def test_delay_notice_is_no_bounce(wapp, wclient, world, alaveteli_mail):
    msg = sent_message(wapp, wclient, world, [world["alys"]])
    raw = (alaveteli_mail / "track-response-ms-bounce.eml").read_bytes()
    raw = raw.replace(b"To: ", b"X-Old-To: ", 1)
    raw = f"To: {reply_address('write', msg.id)}\r\n".encode() + raw
    row = receive(wapp, raw)
    assert row.status == "processed"
    answer = db.session.scalar(select(Answer))
    assert not answer.is_bounce and answer.is_auto_reply
    rec = db.session.scalar(select(Recipient))
    assert not rec.failing and rec.delivery_status != "bounced"
    assert directory.person_email(world["alys"]) == ALYS
    page = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "could not be delivered" not in page


def test_bounce_for_an_unrelated_address_is_not_pinned_on_the_recipient(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world, [world["alys"]])
    row = receive(wapp, bounce_for(reply_address("write", msg.id), "user@example.com"))
    assert row.status == "processed"
    answer = db.session.scalar(select(Answer))
    assert answer.is_bounce and answer.person_id is None
    assert not db.session.scalar(select(Recipient)).failing
    assert directory.person_email(world["alys"]) == ALYS


def test_answer_counts_even_after_a_later_bounce(wapp, wclient, world):
    from app.write import services

    msg = sent_message(wapp, wclient, world, [world["alys"]])
    receive(wapp, _reply(ALYS, reply_address("write", msg.id), "Fixed next week.", "<a-1@senedd.example>"))
    assert services.person_stats(world["alys"]) == services.PersonStats(1, 1)
    receive(wapp, bounce_for(reply_address("write", msg.id), ALYS))
    assert db.session.scalar(select(Recipient)).failing
    assert services.person_stats(world["alys"]) == services.PersonStats(1, 1)


def test_published_answers_hide_third_parties_addresses_and_phones(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world, [world["alys"]])
    text = (
        "Please contact my caseworker Bob.Smith@senedd.example on 029 2087 2000.\n\n"
        f"On Monday Siân wrote:\n> sent to {reply_address('write', msg.id)}\n> write-{msg.id}-abcdef12@localhost"
    )
    row = receive(wapp, _reply(ALYS, reply_address("write", msg.id), text, "<mask-1@senedd.example>"))
    assert row.status == "processed"
    page = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "Bob.Smith@senedd.example" not in page and "2087 2000" not in page and "[phone number]" in page
    assert f"write-{msg.id}-abcdef12@localhost" not in page and "[email address]" in page
    assert "Please contact my caseworker" in page


def test_an_empty_answer_says_so(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world, [world["alys"]])
    receive(wapp, _reply(ALYS, reply_address("write", msg.id), "", "<empty-1@senedd.example>"))
    page = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "This answer has no text." in page
