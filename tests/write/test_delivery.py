"""Delivery as the outbox and bounces tell it, answer rates over arrived messages, the preview the server insists on, recipients without an address."""

from __future__ import annotations

from sqlalchemy import select

from app.core.mail import OutboxMessage, reply_address, send_pending
from app.extensions import db
from app.write import queries, services
from app.write.models import Message

from .conftest import BRYN, checked_in, form_data, make_user, page_text, sign_in, tr, write_message
from .test_inbox import bounce_for, receive, sent_message


def _rec(msg, person_id):
    return next(r for r in msg.recipients if r.person_id == person_id)


def test_delivery_status_follows_the_outbox(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world, [world["alys"], world["bryn"], world["nomail"]])
    status = queries.delivery_statuses(msg)
    assert status[_rec(msg, world["alys"]).id] == "queued" and status[_rec(msg, world["nomail"]).id] == "no_email"
    assert send_pending() == (2, 0)
    status = queries.delivery_statuses(msg)
    assert status[_rec(msg, world["alys"]).id] == "sent" and status[_rec(msg, world["bryn"]).id] == "sent"
    # the outbox gives up on Alys's copy: the page says so
    db.session.get(OutboxMessage, _rec(msg, world["alys"]).outbox_id).status = "failed"
    db.session.commit()
    assert queries.delivery_statuses(msg)[_rec(msg, world["alys"]).id] == "failed"
    page = page_text(wclient.get(f"/en/write/{msg.id}"))
    assert page.count("could not be delivered") == 1 and page.count("no email address known") == 1


def test_answer_rate_counts_only_messages_that_arrived(wapp, wclient, world):
    msg = sent_message(wapp, wclient, world, [world["alys"], world["bryn"], world["nomail"]])
    send_pending()
    receive(wapp, bounce_for(reply_address("write", msg.id), BRYN))
    assert services.person_stats(world["alys"]).messages == 1
    assert services.person_stats(world["bryn"]).messages == 0  # bounced: never reached him
    assert services.person_stats(world["nomail"]).messages == 0  # nothing to send to
    page = page_text(wclient.get(f"/en/write/person/{world['bryn']}"))
    assert "Potholes on Heol y Parc" in page and "Answered 0 of them" not in page
    db.session.get(OutboxMessage, _rec(msg, world["alys"]).outbox_id).status = "failed"
    db.session.commit()
    assert services.person_stats(world["alys"]).messages == 0


def test_representatives_without_an_address_are_flagged_before_writing(wapp, wclient, world, lang):
    badge = tr(wapp, lang, "no email address known")
    html = page_text(wclient.get(f"/{lang}/write/new?person={world['alys']}&person={world['nomail']}"))
    assert html.count(badge) == 1
    assert html.index("Nia Nomail") < html.index(badge)  # next to her name, not Alys's
    preview = page_text(
        wclient.post(f"/{lang}/write/new", data=form_data([world["alys"], world["nomail"]], action="preview"))
    )
    assert preview.count(badge) == 1 and "Nia Nomail" in preview


def test_sending_needs_the_preview_of_that_very_message(wapp, wclient, world):
    user = make_user("owner@example.org", "Owen Owner")
    sign_in(wclient, user)
    # straight to "send", with no preview: the preview is shown, nothing is stored
    resp = wclient.post("/en/write/new", data=form_data([world["alys"]], action="send"))
    assert resp.status_code == 200 and 'value="send"' in resp.get_data(as_text=True)
    assert db.session.scalar(select(Message)) is None
    # a previewed message changed before sending: previewed again
    preview = wclient.post("/en/write/new", data=form_data([world["alys"]], action="preview"))
    changed = form_data([world["alys"]], action="send", checked=checked_in(preview), body="Something else")
    assert wclient.post("/en/write/new", data=changed).status_code == 200
    assert db.session.scalar(select(Message)) is None
    other_rep = form_data([world["bryn"]], action="send", checked=checked_in(preview))
    assert wclient.post("/en/write/new", data=other_rep).status_code == 200
    assert db.session.scalar(select(Message)) is None
    # line endings as a browser sends them back do not matter
    crlf = form_data(
        [world["alys"]],
        action="send",
        checked=checked_in(preview),
        body="Dear member,\r\n\r\nThe road is broken.\r\nPlease help.",
    )
    assert wclient.post("/en/write/new", data=crlf).status_code == 303
    assert db.session.scalar(select(Message)).status == "sent"
    assert write_message(wclient, "en", [world["bryn"]]).status_code == 303
