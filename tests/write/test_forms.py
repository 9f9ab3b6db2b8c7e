"""The write form: bad input, limits, finding representatives by place, htmx fragments, nav."""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.write.models import Message, Recipient

from .conftest import form_data, page_text, tr, write_message


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_bad_input_comes_back_with_what_was_typed(wapp, wclient, world, lang):
    resp = wclient.post(
        f"/{lang}/write/new",
        data=form_data([world["alys"]], subject="", email="not-an-email", body="Kept <b>text</b>", action="preview"),
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="subject-error"' in html and 'id="email-error"' in html and 'aria-invalid="true"' in html
    assert tr(wapp, lang, "Please give your message a subject.") in page_text(resp)
    assert tr(wapp, lang, "Please give a valid email address.") in page_text(resp)
    assert "Kept &lt;b&gt;text&lt;/b&gt;" in html and 'value="not-an-email"' in html
    assert f'value="{world["alys"]}" id="person-{world["alys"]}" checked' in html
    # Sending without a preview is validated the same way.
    assert (
        wclient.post(f"/{lang}/write/new", data=form_data([world["alys"]], subject="", action="send")).status_code
        == 422
    )
    assert count(Message) == 0 and count(OutboxMessage) == 0


def test_only_current_representatives_and_at_most_the_profile_limit(wapp, wclient, world):
    resp = wclient.post("/en/write/new", data=form_data([world["gone"], 424242, "x"], action="send"))
    assert resp.status_code == 422
    assert "Please choose at least one current representative." in resp.get_data(as_text=True)
    wapp.extensions["plaza_profile"] = dataclasses.replace(wapp.extensions["plaza_profile"], write_max_recipients=1)
    resp = wclient.post("/en/write/new", data=form_data([world["alys"], world["bryn"]], action="send"))
    assert resp.status_code == 422 and "at most 1 representative at once" in resp.get_data(as_text=True)
    assert count(Message) == 0
    # "Change it" from the preview returns the filled-in form, not an error.
    resp = wclient.post("/en/write/new", data=form_data([world["alys"]], action="edit"))
    assert resp.status_code == 200 and 'value="Potholes on Heol y Parc"' in resp.get_data(as_text=True)


def test_daily_limit_per_writer_email(wapp, wclient, world):
    from .conftest import confirm_by_link, link_in

    wapp.config["WRITE_MAX_PER_EMAIL_PER_DAY"] = 2
    assert write_message(wclient, "en", [world["alys"]]).status_code == 303
    assert write_message(wclient, "en", [world["alys"]], email="SIAN@example.org").status_code == 303
    # two unconfirmed: no third confirmation email to that mailbox
    resp = write_message(wclient, "en", [world["alys"]])
    assert resp.status_code == 429 and "waiting for confirmation" in resp.get_data(as_text=True)
    assert count(Message) == 2
    assert write_message(wclient, "en", [world["alys"]], email="other@example.org").status_code == 303
    # confirmed messages are what the daily limit counts
    links = [
        link_in(o.body_text, "/write/confirm/")
        for o in db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.template == "write/email/confirm.txt", OutboxMessage.to_addr == "sian@example.org"
            )
        )
    ]
    for link in links:
        assert confirm_by_link(wclient, link).status_code == 303
    assert db.session.scalar(select(func.count(Message.id)).where(Message.status == "sent")) == 2
    resp = write_message(wclient, "en", [world["alys"]])
    assert resp.status_code == 429 and "too many messages today" in resp.get_data(as_text=True)


def test_unconfirmed_messages_in_someone_elses_name_do_not_block_them(wapp, wclient, world):
    from .conftest import make_user, sign_in

    wapp.config["WRITE_MAX_PER_EMAIL_PER_DAY"] = 2
    for _ in range(2):  # a stranger types the victim's address
        assert write_message(wclient, "en", [world["alys"]], email="victim@example.org").status_code == 303
    victim = make_user(email="victim@example.org", name="Vic Tim")
    sign_in(wclient, victim)
    resp = write_message(wclient, "en", [world["alys"]], email="victim@example.org", name="Vic Tim")
    assert resp.status_code == 303
    assert db.session.scalar(select(func.count(Message.id)).where(Message.status == "sent")) == 1


def test_published_text_hides_email_addresses_and_phone_numbers(wapp, wclient, world):
    body = "Call me on 07700 900123 or mail sian.private@example.net.\n\nThe road is broken."
    preview = wclient.post("/en/write/new", data=form_data([world["alys"]], action="preview", body=body))
    html = preview.get_data(as_text=True)
    assert "07700 900123" not in html.split('name="body"')[0] and "[phone number]" in html
    assert "Email addresses and phone numbers are hidden on the site" in html
    from .conftest import make_user, sign_in

    sign_in(wclient, make_user(email="sian@example.org", name="Siân Writer"))
    assert write_message(wclient, "en", [world["alys"]], body=body).status_code == 303
    msg = db.session.scalar(select(Message))
    page = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert "07700 900123" not in page and "sian.private@example.net" not in page
    assert "[phone number]" in page and "[email address]" in page and "The road is broken." in page
    sent = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "write/email/message.txt"))
    assert "07700 900123" in sent.body_text  # the representative gets it as written


def test_ip_rate_limit_counts_sends_not_previews(app_factory, smtp, tmp_path):
    from .conftest import build_world

    app = app_factory(PLAZA_PROFILE="gb-wls", RATELIMIT_ENABLED=True, WRITE_MAX_PER_EMAIL_PER_DAY=100)
    with app.app_context():
        world = build_world(app, tmp_path)
        client = app.test_client()
        for i in range(10):
            assert write_message(client, "en", [world["alys"]], email=f"w{i}@example.org").status_code == 303
        assert client.post("/en/write/new", data=form_data([world["alys"]], action="preview")).status_code == 200
        assert write_message(client, "en", [world["alys"]], email="w11@example.org").status_code == 429
        assert count(Message) == 10
        from app.extensions import limiter

        limiter.reset()


def test_find_representatives_by_place_with_and_without_htmx(wapp, wclient, world, lang):
    html = wclient.get(f"/{lang}/write/new?place=northtown").get_data(as_text=True)
    assert "Alys Jones" in html and "Bryn Davies" in html and "Nia Nomail" in html
    assert "Gwen Former" not in html
    assert "checked" not in html.split('id="write-form"')[1].split("</fieldset>")[0]
    frag = wclient.get(f"/{lang}/write/new?place=northtown", headers={"HX-Request": "true"})
    text = frag.get_data(as_text=True)
    assert "HX-Request" in frag.headers.get("Vary", "")
    assert text.lstrip().startswith('<form method="post"') and "<html" not in text and "Alys Jones" in text
    nothing = page_text(wclient.get(f"/{lang}/write/new?place=Atlantis"))
    assert tr(wapp, lang, "No place was found with that name. Please try another spelling.") in nothing


def test_recipient_without_email_is_recorded_not_sent(wapp, wclient, world):
    from .conftest import make_user, sign_in

    sign_in(wclient, make_user())
    write_message(wclient, "en", [world["nomail"], world["alys"]])
    recs = {r.person_id: r for r in db.session.scalars(select(Recipient))}
    assert recs[world["nomail"]].delivery_status == "no_email" and recs[world["nomail"]].outbox_id is None
    assert recs[world["alys"]].delivery_status == "queued" and recs[world["alys"]].outbox_id
    msg = db.session.scalar(select(Message))
    assert "no email address known" in wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)


def test_nav_person_section_and_welsh_pages(wclient, world):
    en = wclient.get("/en/write/").get_data(as_text=True)
    assert 'href="/en/write/new"' in en and "Write to a representative" in en
    cy = wclient.get("/cy/write/").get_data(as_text=True)
    assert '<html lang="cy"' in cy and 'href="/cy/write/new"' in cy and "Hafan" in cy
    person = wclient.get(f"/cy/people/{world['alys']}").get_data(as_text=True)
    assert 'id="write-messages"' in person and f'href="/cy/write/new?person={world["alys"]}"' in person
    former = wclient.get(f"/en/people/{world['gone']}").get_data(as_text=True)
    assert "/en/write/new?person=" not in former  # no "write to them" for a former member
    assert wclient.get("/en/write/person/999999").status_code == 404
    assert wclient.get("/en/write/999999").status_code == 404
