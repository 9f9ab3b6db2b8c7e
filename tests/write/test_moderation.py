"""Moderation before sending, hiding by the writer and by moderators, the dashboard panel."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from app.core.audit import AuditEntry
from app.core.mail import OutboxMessage, reply_address, send_pending
from app.extensions import db
from app.write.models import Answer, Message

from .conftest import ALYS, confirm_by_link, link_in, make_user, page_text, sign_in, tr, tr_n, write_message


def _confirm(wclient):
    row = db.session.scalar(
        select(OutboxMessage)
        .where(OutboxMessage.template == "write/email/confirm.txt")
        .order_by(OutboxMessage.id.desc())
    )
    return confirm_by_link(wclient, link_in(row.body_text, "/write/confirm/")), row


def _moderated(wapp):
    wapp.extensions["plaza_profile"] = dataclasses.replace(wapp.extensions["plaza_profile"], write_moderation=True)


def test_moderation_holds_messages_until_approved(wapp, wclient, world, smtp, lang):
    _moderated(wapp)
    write_message(wclient, lang, [world["alys"]])
    resp, _row = _confirm(wclient)
    msg = db.session.scalar(select(Message))
    assert msg.status == "pending_moderation" and resp.status_code == 303
    assert f"t={msg.token}" in resp.headers["Location"]  # the writer can still see it
    assert tr(
        wapp, lang, "This message is waiting for a moderator: it has not been sent and nobody else can see it yet."
    ) in page_text(wclient.get(resp.headers["Location"]))
    # Not public and not sent.
    anon = wapp.test_client()
    assert anon.get(f"/{lang}/write/{msg.id}").status_code == 404
    assert "Potholes" not in anon.get(f"/{lang}/write/").get_data(as_text=True)
    assert not db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == ALYS))

    assert anon.get(f"/{lang}/admin/write/").status_code == 302
    citizen = wapp.test_client()
    sign_in(citizen, make_user("c@example.org"))
    assert citizen.get(f"/{lang}/admin/write/").status_code == 403
    assert citizen.post(f"/{lang}/admin/write/{msg.id}/approve").status_code == 403

    mod = wapp.test_client()
    sign_in(mod, make_user("mod@example.org", role="moderator"))
    queue = mod.get(f"/{lang}/admin/write/").get_data(as_text=True)
    assert "Potholes on Heol y Parc" in queue and "Alys Jones" in queue
    dash = page_text(mod.get(f"/{lang}/admin/"))
    assert tr_n(wapp, lang, "%(num)s message awaiting moderation", "%(num)s messages awaiting moderation", 1) in dash
    assert mod.post(f"/{lang}/admin/write/{msg.id}/approve").status_code == 303
    db.session.refresh(msg)
    assert msg.status == "sent"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "write.approve"))
    smtp.clear()
    send_pending()
    assert sorted(m["to"][0] for m in smtp.messages) == [ALYS, "sian@example.org"]  # confirm + message
    assert anon.get(f"/{lang}/write/{msg.id}").status_code == 200
    dash = page_text(mod.get(f"/{lang}/admin/"))
    assert (
        tr_n(
            wapp,
            lang,
            "%(num)s message sent this week has no answer yet",
            "%(num)s messages sent this week have no answer yet",
            1,
        )
        in dash
    )


def test_rejection_needs_a_reason_and_tells_the_writer(wapp, wclient, world):
    _moderated(wapp)
    write_message(wclient, "en", [world["alys"]])
    _confirm(wclient)
    msg = db.session.scalar(select(Message))
    mod = wapp.test_client()
    sign_in(mod, make_user("mod@example.org", role="moderator"))
    resp = mod.post(f"/en/admin/write/{msg.id}/reject", data={"reason": ""})
    assert resp.status_code == 422 and "Please give a reason." in resp.get_data(as_text=True)
    assert mod.post(f"/en/admin/write/{msg.id}/reject", data={"reason": "Abusive language"}).status_code == 303
    db.session.refresh(msg)
    assert msg.status == "rejected"
    told = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "write/email/rejected.txt"))
    assert told.to_addr == "sian@example.org" and "Abusive language" in told.body_text
    assert not db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == ALYS))
    assert wapp.test_client().get(f"/en/write/{msg.id}").status_code == 404


def test_writer_hides_by_secret_link_and_signed_in_owner(wapp, wclient, world, lang):
    write_message(wclient, lang, [world["alys"]])
    _resp, row = _confirm(wclient)
    msg = db.session.scalar(select(Message))
    manage = link_in(row.body_text, "/write/manage/")
    assert wclient.get(manage).status_code == 200
    resp = wclient.post(manage, data={"reason": ""})
    assert resp.status_code == 422
    assert wclient.post(manage, data={"reason": "I wrote it in anger"}).status_code == 303
    db.session.refresh(msg)
    assert msg.status == "hidden" and msg.hidden_by_writer
    page = page_text(wapp.test_client().get(f"/{lang}/write/{msg.id}"))
    assert "The road is broken" not in page and "Potholes on Heol y Parc" not in page
    assert "I wrote it in anger" in page and tr(wapp, lang, "Its writer has hidden this message.") in page
    assert "Potholes" not in wclient.get(f"/{lang}/write/").get_data(as_text=True)
    assert "Potholes" not in wclient.get(f"/{lang}/write/feed.atom").get_data(as_text=True)
    assert wclient.get("/en/write/manage/not-a-token").status_code == 404

    # A signed-in, confirmed user is not asked to confirm, and may hide their own message only.
    user = make_user("owner@example.org", "Owen Owner")
    owner = wapp.test_client()
    sign_in(owner, user)
    resp = write_message(owner, lang, [world["bryn"]], name="Owen Owner", email="ignored@example.org")
    mine = db.session.scalar(select(Message).where(Message.writer_user_id == user.id))
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/{lang}/write/{mine.id}")
    assert mine.status == "sent" and mine.writer_email == "owner@example.org"
    assert not db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "owner@example.org"))
    assert tr(wapp, lang, "Hide my message") in page_text(owner.get(f"/{lang}/write/{mine.id}"))
    other = wapp.test_client()
    sign_in(other, make_user("other@example.org"))
    assert other.post(f"/{lang}/write/{mine.id}/hide", data={"reason": "x"}).status_code == 403
    assert owner.post(f"/{lang}/write/{mine.id}/hide", data={"reason": "Changed my mind"}).status_code == 303
    db.session.refresh(mine)
    assert mine.status == "hidden"


def test_moderator_hides_an_answer_and_a_message_with_a_public_reason(wapp, wclient, world):
    user = make_user("owner@example.org", "Owen Owner")
    sign_in(wclient, user)
    write_message(wclient, "en", [world["alys"]])
    msg = db.session.scalar(select(Message))
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"] = ALYS
    mail["To"] = reply_address("write", msg.id)
    mail["Subject"] = "Re: Potholes"
    mail["Message-ID"] = "<a-1@senedd.example>"
    mail.set_content("Something rude.")
    assert wapp.test_cli_runner().invoke(args=["mail", "receive"], input=mail.as_bytes()).exit_code == 0
    answer = db.session.scalar(select(Answer))
    anon = wapp.test_client()
    assert "Something rude." in anon.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert anon.post(f"/en/admin/write/answers/{answer.id}/hide", data={"reason": "x"}).status_code == 302

    mod = wapp.test_client()
    sign_in(mod, make_user("mod@example.org", role="moderator"))
    assert "Hide this answer" in mod.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert mod.post(f"/en/admin/write/answers/{answer.id}/hide", data={"reason": ""}).status_code == 422
    assert (
        mod.post(f"/en/admin/write/answers/{answer.id}/hide", data={"reason": "Offensive content"}).status_code == 303
    )
    page = anon.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "Something rude." not in page and "Offensive content" in page
    assert "Potholes on Heol y Parc" in page  # the message itself stays

    assert mod.post(f"/en/admin/write/messages/{msg.id}/hide", data={"reason": "Personal data"}).status_code == 303
    page = anon.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "Potholes on Heol y Parc" not in page and "Personal data" in page
    assert "The moderators have hidden this message." in page
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "write.hide")).reason == "Personal data"
