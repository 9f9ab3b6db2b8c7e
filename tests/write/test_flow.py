"""The whole WriteIt flow without JavaScript on a real SMTP server, in English and Welsh: write, preview, confirm, deliver, answer, show."""

from __future__ import annotations

import gzip
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from xml.etree import ElementTree

from sqlalchemy import select

from app.core.mail import InboxMessage, OutboxMessage, send_pending
from app.extensions import db
from app.write.models import Answer, Message

from .conftest import ALYS, BRYN, link_in, page_text, tr, write_message

ATOM = "{http://www.w3.org/2005/Atom}"


def reply_to(delivered: EmailMessage, sender: str, text: str, *, attach=True, message_id="<reply-1@senedd.example>"):
    reply = EmailMessage()
    reply["From"] = f"Alys Jones <{sender}>"
    reply["To"] = delivered["From"]
    reply["Subject"] = "Re: " + str(delivered["Subject"])
    reply["Message-ID"] = message_id
    reply["In-Reply-To"] = delivered["Message-ID"]
    reply.set_content(text)
    if attach:
        reply.add_attachment(
            b"%PDF-1.4 roadworks plan", maintype="application", subtype="pdf", filename="roadworks-plan.pdf"
        )
    return reply.as_bytes()


def test_message_confirmed_delivered_answered_and_shown(wapp, wclient, world, smtp, lang):
    alys, bryn = world["alys"], world["bryn"]
    page = wclient.get(f"/{lang}/write/new?person={alys}&person={world['gone']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'<html lang="{lang}"' in html
    assert f'value="{alys}" id="person-{alys}" checked' in html
    assert "Gwen Former" not in html  # a former member cannot be written to

    preview = wclient.post(
        f"/{lang}/write/new",
        data={
            "person": [str(alys), str(bryn)],
            "subject": "Potholes on Heol y Parc",
            "body": "Dear member,\n\nThe road is broken.",
            "name": "Siân Writer",
            "email": "sian@example.org",
            "action": "preview",
        },
    )
    text = page_text(preview)
    assert preview.status_code == 200 and 'value="send"' in text
    assert (
        tr(
            wapp,
            lang,
            "Your message and any answer to it will be public: anyone can read them on this site, "
            "with your name. Your email address is never shown.",
        )
        in text
    )
    assert db.session.scalar(select(Message)) is None  # a preview stores nothing

    resp = write_message(wclient, lang, [alys, bryn])
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/{lang}/write/check-email")
    msg = db.session.scalar(select(Message))
    assert msg.status == "unconfirmed" and msg.language == lang and msg.writer_email == "sian@example.org"

    # Nothing is sent or published before the writer confirms.
    assert [o.to_addr for o in db.session.scalars(select(OutboxMessage))] == ["sian@example.org"]
    assert "Potholes on Heol y Parc" not in wclient.get(f"/{lang}/write/").get_data(as_text=True)
    assert wclient.get(f"/{lang}/write/{msg.id}").status_code == 404
    assert "Potholes" not in wclient.get(f"/{lang}/write/feed.atom").get_data(as_text=True)
    assert "Potholes" not in wclient.get(f"/{lang}/people/{alys}").get_data(as_text=True)

    assert send_pending() == (1, 0)
    confirm_mail = smtp.messages[-1]["message"]
    assert confirm_mail["Content-Language"] == lang and smtp.messages[-1]["to"] == ["sian@example.org"]
    confirm_path = link_in(smtp.body(), "/write/confirm/")
    assert confirm_path.startswith(f"/{lang}/")
    assert link_in(smtp.body(), "/write/manage/").startswith(f"/{lang}/")

    # The link shows the message and a button; fetching it (as mail scanners do) changes nothing.
    for _ in range(2):
        page = page_text(wclient.get(confirm_path))
        assert "Potholes on Heol y Parc" in page and tr(wapp, lang, "Confirm and send") in page
        assert f'<form method="post" action="{confirm_path}">' in page
    db.session.refresh(msg)
    assert msg.status == "unconfirmed" and [o.to_addr for o in db.session.scalars(select(OutboxMessage))] == [
        "sian@example.org"
    ]
    resp = wclient.post(confirm_path)
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/{lang}/write/{msg.id}")
    assert wclient.post(confirm_path).status_code == 303  # a second press changes nothing
    assert wclient.get(confirm_path).status_code == 303  # and the link now leads to the message
    db.session.refresh(msg)
    assert msg.status == "sent" and msg.confirmed_at and msg.sent_at

    smtp.clear()
    assert send_pending() == (2, 0)
    delivered = {m["to"][0]: m["message"] for m in smtp.messages}
    assert set(delivered) == {ALYS, BRYN}
    to_alys = delivered[ALYS]
    from_addr = parseaddr(str(to_alys["From"]))[1]
    assert from_addr.startswith(f"write-{msg.id}-") and from_addr.endswith("@plaza.test")
    assert "Siân Writer" in str(to_alys["From"])
    # Mail to a person is in that person's language: the directory knows none for people, so the
    # profile's default (English here), whatever language the writer used.
    assert to_alys["Content-Language"] == "en"
    body = to_alys.get_content()
    assert "The road is broken." in body and "sian@example.org" not in body
    assert f"/en/write/{msg.id}" in body
    assert tr(wapp, "en", "To answer, reply to this email. This message and your answer are published at:") in body

    quote_line = (
        "On Mon, 1 Jun 2026, Siân Writer wrote:"
        if lang == "en"
        else "Ar Llun, 1 Meh 2026 am 10:00, ysgrifennodd Siân Writer:"
    )  # a Welsh mail client
    raw = reply_to(
        to_alys,
        ALYS,
        f"Thank you, I have asked the council to act.\n\n{quote_line}\n> The road is broken.\n> sian@example.org\n",
    )
    result = wapp.test_cli_runner().invoke(args=["mail", "receive"], input=raw)
    assert result.exit_code == 0 and "processed" in result.output, result.output
    answer = db.session.scalar(select(Answer))
    assert answer.person_id == alys and not answer.is_bounce and not answer.is_auto_reply
    assert answer.body == "Thank you, I have asked the council to act."
    assert "The road is broken." in answer.quoted and "sian@example.org" not in answer.quoted
    assert answer.attachments == [{"filename": "roadworks-plan.pdf", "content_type": "application/pdf", "size": 23}]

    # The same message piped again, or redelivered from the holding pen, is one answer.
    again = wapp.test_cli_runner().invoke(args=["mail", "receive"], input=raw)
    assert again.exit_code == 0 and "Already stored" in again.output
    from app.core.mail.inbox import redeliver

    assert redeliver(db.session.scalar(select(InboxMessage.id))) == "processed"
    assert len(db.session.scalars(select(Answer)).all()) == 1

    # The writer hears about it, in their language.
    notice = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_addr == "sian@example.org").order_by(OutboxMessage.id.desc())
    ).first()
    assert notice.template == "write/email/answer.txt" and notice.language == lang
    assert f"/{lang}/write/{msg.id}#answer-{answer.id}" in notice.body_text

    page = page_text(wclient.get(f"/{lang}/write/{msg.id}"))
    assert "Potholes on Heol y Parc" in page and "The road is broken." in page
    assert "Thank you, I have asked the council to act." in page
    assert tr(wapp, lang, "Answer from %(name)s", name="Alys Jones") in page and "roadworks-plan.pdf" in page
    assert "<details>" in page and 'class="quoted"' in page
    assert "sian@example.org" not in page and from_addr not in page

    css = (Path(wapp.static_folder) / "css" / "plaza.css").read_bytes()
    for url in (f"/{lang}/write/new?person={alys}", f"/{lang}/write/{msg.id}", f"/{lang}/write/"):
        weight = len(gzip.compress(wclient.get(url).data)) + len(gzip.compress(css))
        assert weight < 14 * 1024, (url, weight)

    listing = wclient.get(f"/{lang}/write/").get_data(as_text=True)
    assert "Potholes on Heol y Parc" in listing and "Alys Jones" in listing and "Bryn Davies" in listing

    person = wclient.get(f"/{lang}/people/{alys}").get_data(as_text=True)
    assert "Potholes on Heol y Parc" in person and 'value="1"' in person  # answered 1 of 1
    stats_bryn = wclient.get(f"/{lang}/write/person/{bryn}").get_data(as_text=True)
    assert "Potholes on Heol y Parc" in stats_bryn and 'max="1" value="0"' in stats_bryn

    feed = wclient.get(f"/{lang}/write/feed.atom")
    assert feed.headers["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.data)
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}id") is not None
    entries = root.findall(f"{ATOM}entry")
    answer_title = tr(
        wapp, lang, "Answer from %(name)s: %(subject)s", name="Alys Jones", subject="Potholes on Heol y Parc"
    )
    assert [e.find(f"{ATOM}title").text for e in entries] == [answer_title, "Potholes on Heol y Parc"]
    assert_valid_atom(root)
    answered, asked = entries
    assert answered.find(f"{ATOM}id").text.endswith(f"/{lang}/write/{msg.id}#answer-{answer.id}")
    assert answered.find(f"{ATOM}author/{ATOM}name").text == "Alys Jones"
    assert "Thank you, I have asked the council to act." in answered.find(f"{ATOM}summary").text
    assert asked.find(f"{ATOM}id").text.endswith(f"/{lang}/write/{msg.id}")
    assert asked.find(f"{ATOM}author/{ATOM}name").text == "Siân Writer"
    assert root.find(f"{ATOM}updated").text == answered.find(f"{ATOM}updated").text  # the feed changed
    pfeed = ElementTree.fromstring(wclient.get(f"/{lang}/write/person/{bryn}/feed.atom").data)
    assert len(pfeed.findall(f"{ATOM}entry")) == 1  # Alys's answer is not Bryn's
    afeed = ElementTree.fromstring(wclient.get(f"/{lang}/write/person/{alys}/feed.atom").data)
    assert [e.find(f"{ATOM}title").text for e in afeed.findall(f"{ATOM}entry")] == [
        answer_title,
        "Potholes on Heol y Parc",
    ]
    assert_valid_atom(afeed)

    # A hidden answer leaves the feeds with it.
    answer.hidden = True
    db.session.commit()
    feed = ElementTree.fromstring(wclient.get(f"/{lang}/write/feed.atom").data)
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == ["Potholes on Heol y Parc"]


def assert_valid_atom(root):
    """RFC 4287's musts: feed and entries have one id, title and updated each; entry ids are
    unique; an entry without an author inherits the feed's."""
    import datetime as dt

    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}author/{ATOM}name").text
    ids = []
    for node in [root, *root.findall(f"{ATOM}entry")]:
        for tag in ("id", "title", "updated"):
            assert len(node.findall(f"{ATOM}{tag}")) == 1, (tag, ElementTree.tostring(node))
        assert dt.datetime.fromisoformat(node.find(f"{ATOM}updated").text).tzinfo is not None
        ids.append(node.find(f"{ATOM}id").text)
    assert len(ids) == len(set(ids))
