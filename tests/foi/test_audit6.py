"""Fixes from the sixth audit: reused Message-IDs, huge numbers in URLs, redaction of downloads,
filenames and mail, translated law names and tags, state updates, bounces, drafts, statistics."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db

from .conftest import make_user, sign_in
from .helpers import make_request, receive, reply_email

HUGE = "99999999999999999999"


def test_reused_message_id_with_other_content_is_a_new_message(app):
    from app.core.mail.inbox import store_raw

    first = b"Message-ID: <same@x>\r\nSubject: one\r\n\r\nfirst body\r\n"
    second = b"Message-ID: <same@x>\r\nSubject: two\r\n\r\nsecond body\r\n"
    row1, created1 = store_raw(first)
    row2, created2 = store_raw(second)
    again, created3 = store_raw(first)
    assert created1 and created2 and not created3
    assert row1.id != row2.id and again.id == row1.id


@pytest.mark.parametrize("url", [
    f"/es/foi/?page={HUGE}", f"/es/foi/authorities?page={HUGE}", f"/es/foi/authorities?area={HUGE}",
    f"/es/foi/?authority={HUGE}", f"/api/foi/requests.json?page={HUGE}", f"/api/foi/authorities.json?page={HUGE}",
    "/es/foi/?until=9999-12-31", "/es/foi/feed.atom?until=9999-12-31", "/api/foi/requests.json?until=9999-12-31",
    "/es/foi/?since=0001-01-01", f"/es/foi/request/{HUGE}", f"/es/foi/users/{HUGE}?page={HUGE}",
    f"/es/foi/authorities/{HUGE}", f"/es/foi/new/{HUGE}", f"/es/foi/request/1/attachments/{HUGE}/x.txt",
])
def test_huge_numbers_and_far_dates_answer_normally(client, authorities, url):
    make_request(authorities["Ministry of Roads"])
    resp = client.get(url)
    assert resp.status_code in (200, 404), resp.status_code
    if "until" in url and resp.status_code == 200 and "json" in url:
        assert resp.get_json()["total"] == 1


def _rule(pattern, scope="global", scope_id=None, replacement="[oculto]"):
    from app.foi.models import FoiRedaction

    db.session.add(FoiRedaction(pattern=pattern, scope=scope, scope_id=scope_id, replacement=replacement,
                                note="privacy"))
    db.session.commit()


def test_redaction_reaches_downloads_filenames_and_mail(app, client, runner, authorities):
    from app.core.mail import OutboxMessage
    from app.foi.models import FoiAttachment, FoiSearchDoc

    from .helpers import docx_bytes

    req = make_request(authorities["Ministry of Roads"], title="Presupuesto de parques Geraldine 2025")
    follower = make_user("fan@example.org", "Fan", language="en")
    from app.foi.models import FoiFollow

    db.session.add(FoiFollow(user_id=follower.id, request_id=req.id))
    _rule("Geraldine")
    _rule("parques", scope="request", scope_id=req.id)
    receive(runner, reply_email(req, attachments=[
        ("nota-Geraldine.txt", "text/plain", b"Nota: llamar a pepe@x.example o 612 345 678. Geraldine."),
        ("informe.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         docx_bytes("Informe para Geraldine")),
        ("limpio.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         docx_bytes("Nada que ocultar")),
    ]))
    txt, doc, clean = db.session.scalars(select(FoiAttachment).order_by(FoiAttachment.position)).all()
    page = client.get(f"/es/foi/request/{req.id}").get_data(as_text=True)
    assert "nota-Geraldine" not in page and "nota-[oculto].txt" in page
    data = client.get(f"/es/foi/request/{req.id}/attachments/{txt.id}/x.txt").get_data(as_text=True)
    assert "Geraldine" not in data and "pepe@x.example" not in data and "612 345 678" not in data
    assert "[oculto]" in data
    withheld = client.get(f"/es/foi/request/{req.id}/attachments/{doc.id}/informe.docx")
    assert withheld.status_code == 403 and b"PK" not in withheld.data[:2]
    assert f"/attachments/{doc.id}/text" in withheld.get_data(as_text=True)
    view = client.get(f"/es/foi/request/{req.id}/attachments/{doc.id}/text").get_data(as_text=True)
    assert "Informe para [oculto]" in view and f"/attachments/{doc.id}/informe.docx" not in view
    assert client.get(f"/es/foi/request/{req.id}/attachments/{clean.id}/limpio.docx").data.startswith(b"PK")
    api = client.get(f"/api/foi/requests/{req.id}.json").get_data(as_text=True)
    assert "nota-Geraldine" not in api and "nota-[oculto].txt" in api
    index = db.session.get(FoiSearchDoc, req.id).body
    assert "geraldine" not in index
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "foi/email/new_response.txt"))
    mails = list(mails)
    assert {m.to_addr for m in mails} == {"ana@example.org", "fan@example.org"}
    for m in mails:
        assert "parques" not in m.subject + m.body_text and "Geraldine" not in m.subject + m.body_text
    # The reminder and the report mails too
    import datetime as dt

    from app.foi.jobs import daily

    req = db.session.merge(req)
    req.classify_reminded_at = req.last_event_at = req.last_event_at - dt.timedelta(days=5)
    db.session.commit()
    daily()
    db.session.commit()
    reminder = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "foi/email/reminder.txt"))
    assert reminder is not None and "parques" not in reminder.body_text
    admin = make_user("root@example.org", "Root", role="admin", language="en")
    sign_in(client, admin.id)
    client.post(f"/es/foi/request/{req.id}/report", data={"reason": "mira"})
    reported = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "foi/email/reported.txt"))
    assert reported is not None and "parques" not in reported.subject + reported.body_text


def test_law_names_tags_and_scopes_in_the_page_language(app, client, authorities):
    from app.foi import laws

    body = authorities["Ministry of Roads"]
    law_es = laws.law_name(laws.law_for(body), "es")
    law_en = laws.law_name(laws.law_for(body), "en")
    assert law_es != law_en
    req = make_request(body)
    for url in (f"/es/foi/authorities/{body.id}", f"/es/foi/request/{req.id}"):
        html = client.get(url).get_data(as_text=True)
        assert law_es in html and law_en not in html, url
    sign_in(client, req.user_id)
    html = client.get(f"/es/foi/request/{req.id}/followup?review=1").get_data(as_text=True)
    assert law_es in html and law_en not in html
    admin = make_user("root@example.org", "Root", role="admin", language="en")
    sign_in(client, admin.id)
    _rule("Geraldine")
    html = client.get("/en/admin/foi/redactions").get_data(as_text=True)
    assert "(everything)" in html and "(global)" not in html


def test_known_tags_are_labelled_others_shown_raw(client, authorities, monkeypatch):
    from app.foi import labels

    monkeypatch.setitem(labels.TAG_NAMES, "transport", "Transportes")
    html = client.get("/es/foi/authorities").get_data(as_text=True)
    assert ">transport</a>" not in html and ">Transportes</a>" in html
    assert labels.tag_label("no-such-tag") == "no-such-tag"


D = __import__("datetime").date


def test_uk_wide_bank_holidays_and_canadian_interpretation_act_holidays():
    from app.foi.duedates import Calendar, due_date
    from app.profiles import load_profile

    wales = Calendar.for_profile(load_profile("gb-wls"))
    # St Patrick's Day, Battle of the Boyne, St Andrew's Day, 2 January: bank holidays elsewhere in the UK
    assert due_date(D(2025, 3, 10), 20, "working", wales) == D(2025, 4, 8)
    assert due_date(D(2025, 6, 20), 20, "working", wales) == D(2025, 7, 21)
    assert due_date(D(2025, 11, 10), 20, "working", wales) == D(2025, 12, 9)
    assert due_date(D(2025, 12, 15), 20, "working", wales) == D(2026, 1, 16)
    canada = Calendar.for_profile(load_profile("ca"))
    assert due_date(D(2025, 4, 19), 30, "calendar", canada) == D(2025, 5, 20)  # not Victoria Day
    assert due_date(D(2025, 9, 13), 30, "calendar", canada) == D(2025, 10, 14)  # not Thanksgiving
    assert due_date(D(2025, 10, 12), 30, "calendar", canada) == D(2025, 11, 12)  # not Remembrance Day
    assert due_date(D(2025, 3, 22), 30, "calendar", canada) == D(2025, 4, 22)  # not Easter Monday
    assert due_date(D(2025, 8, 31), 30, "calendar", canada) == D(2025, 10, 1)  # not Truth and Reconciliation


def test_profile_review_kind_and_holiday_keys_are_checked(tmp_path):
    from app.profiles import ProfileError, load_profile

    text = (load_profile("ca").path).read_text(encoding="utf-8")
    ca = load_profile("ca")
    assert ca.foi_law().review_kind == "external" and "Commissioner" in ca.text(ca.foi_law().review_body, "en")
    assert load_profile("jo").foi_law().review_kind == "external"
    assert load_profile("gb-wls").foi_law().review_kind == "internal"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('categories = ["public", "government"]', 'categories = ["nonsense"]'), encoding="utf-8")
    with pytest.raises(ProfileError, match="categories"):
        load_profile(str(bad))
    bad.write_text(text.replace('review_body = {', 'old_body = {'), encoding="utf-8")
    with pytest.raises(ProfileError, match="review_body"):
        load_profile(str(bad))


@pytest.fixture
def outside_law(app):
    """The demo law, made not binding, with a link and complaints to an outside body."""
    import dataclasses

    prof = app.extensions["plaza_profile"]
    law = dataclasses.replace(prof.foi_laws[0], binding=False, url="https://law.example/ati", review_kind="external",
                              review_body={"en": "the Information Tribunal"})
    app.extensions["plaza_profile"] = dataclasses.replace(prof, foi_laws=(law,))
    yield law
    app.extensions["plaza_profile"] = prof


def test_not_binding_law_link_and_outside_review(app, client, runner, authorities, outside_law):
    req = make_request(authorities["Ministry of Roads"])
    sign_in(client, req.user_id)
    html = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "does not oblige it to" in html and 'href="https://law.example/ati"' in html
    assert "internal review" not in html  # nothing to review before a reply
    page = client.get(f"/en/foi/authorities/{req.authority_id}").get_data(as_text=True)
    assert "does not oblige" in page and 'href="https://law.example/ati"' in page
    receive(runner, reply_email(req, text="We refuse."))
    client.post(f"/en/foi/request/{req.id}/classify", data={"state": "rejected"})
    html = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "complain to the Information Tribunal" in html and "review=1" not in html
    html = client.get(f"/en/foi/request/{req.id}/followup?review=1").get_data(as_text=True)
    assert "the Information Tribunal" in html and "It must review its decision" not in html


def test_update_status_form_advice_and_review_link(app, client, runner, authorities):
    from app.foi.models import FoiRequest

    req = make_request(authorities["Ministry of Roads"])
    sign_in(client, req.user_id)
    html = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert 'id="update-status"' not in html and "review=1" not in html  # no reply yet
    receive(runner, reply_email(req, text="We need more details about which roads."))
    client.post(f"/en/foi/request/{req.id}/classify", data={"state": "waiting_clarification"})
    html = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert 'id="update-status"' in html and 'value="vexatious"' not in html  # owner: not admin-only states
    assert "Write a follow-up that explains" in html and "review=1" not in html
    client.post(f"/en/foi/request/{req.id}/classify", data={"state": "user_withdrawn"})
    assert db.session.get(FoiRequest, req.id).state == "user_withdrawn"
    for state, words in (("not_held", "Another authority may hold it"), ("gone_postal", "answering by post"),
                         ("error_message", "Please check the authority")):
        client.post(f"/en/foi/request/{req.id}/classify", data={"state": state})
        assert words in client.get(f"/en/foi/request/{req.id}").get_data(as_text=True), state
    # A moderator can set any state, admin-only ones included, and clear a report
    other = make_request(authorities["Ministry of Roads"], user=make_user("b@example.org", "Bea"),
                         title="Puentes inspeccionados durante 2025")
    client.post(f"/en/foi/request/{other.id}/report", data={"reason": "x"})
    admin = make_user("root@example.org", "Root", role="admin", language="en")
    sign_in(client, admin.id)
    html = client.get(f"/en/foi/request/{other.id}").get_data(as_text=True)
    assert 'id="update-status"' in html and 'value="vexatious"' in html and 'value="not_foi"' in html
    client.post(f"/en/foi/request/{other.id}/classify", data={"state": "waiting_response"})
    assert db.session.get(FoiRequest, other.id).state == "waiting_response"


def test_internal_review_becomes_overdue(app, runner, authorities):
    import datetime as dt

    from app.core.mail import OutboxMessage
    from app.foi import operations, queries
    from app.foi.search import search_requests

    req = make_request(authorities["Ministry of Roads"])
    operations.set_state(req, "internal_review", db.session.get(__import__("app.accounts.models", fromlist=["User"]).User,
                                                              req.user_id))
    req.due_on = dt.date.today() - dt.timedelta(days=3)
    req.very_overdue_on = dt.date.today() + dt.timedelta(days=30)
    db.session.commit()
    assert queries.display_state(req) == "waiting_response_overdue"
    assert [r.id for r in search_requests(state="waiting_response_overdue")[0]] == [req.id]
    assert search_requests(state="internal_review")[0] == []
    assert "overdue 1" in runner.invoke(args=["foi", "daily"]).output
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "foi/email/reminder.txt"))


BOUNCE = b"""From: Mail Delivery System <MAILER-DAEMON@mx.roads.example>
To: %(to)s
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.roads.example>
Auto-Submitted: auto-replied
Content-Type: text/plain

This is the mail system. I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<foi@roads.example>: host mx.roads.example said: 550 5.1.1 User unknown
"""


def test_bounce_is_not_presented_as_a_reply(app, client, runner, authorities):
    from app.core.mail import OutboxMessage
    from app.foi import services
    from app.foi.models import FoiFollow, FoiMessage

    req = make_request(authorities["Ministry of Roads"])
    fan = make_user("fan@example.org", "Fan", language="en")
    db.session.add(FoiFollow(user_id=fan.id, request_id=req.id))
    db.session.commit()
    receive(runner, BOUNCE % {b"to": services.request_address(req).encode()})
    msg = db.session.scalar(select(FoiMessage).where(FoiMessage.direction == "in"))
    assert msg.is_bounce
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "foi/email/new_response.txt")).all()
    assert [m.to_addr for m in mails] == ["ana@example.org"]  # followers are not told of a bounce
    # The requester writes in Spanish: the mail says "could not be delivered", never "has replied"
    assert "No se ha podido entregar tu solicitud" in mails[0].subject
    assert "ha respondido" not in mails[0].body_text
    sign_in(client, req.user_id)
    html = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "Delivery failure notice" in html and "Reply from" not in html
    assert 'value="error_message" aria-describedby="st-error_message-hint" checked' in html


def test_long_draft_kept_server_side_and_signup_returns_to_it(app, client, authorities):
    import re

    from app.accounts import services as accounts
    from app.accounts.models import User
    from app.core.mail import OutboxMessage
    from app.foi.models import FoiDraft, FoiRequest

    body = authorities["Ministry of Roads"]
    letter = "Estimado Ministerio:\n\n" + ("Solicito los datos de mantenimiento de cada tramo. " * 380)[:19500]
    resp = client.post(f"/es/foi/new/{body.id}", data={"title": "Mantenimiento de tramos en 2025",
                                                        "letter": letter, "action": "send"})
    assert resp.status_code == 303 and "/accounts/signin" in resp.headers["Location"]
    cookie = resp.headers.get("Set-Cookie", "")
    assert len(cookie) < 4000  # only a token in the cookie
    draft = db.session.scalar(select(FoiDraft))
    assert draft.letter == letter and draft.authority_id == body.id
    # "Create an account" keeps the way back
    signin = client.get(resp.headers["Location"]).get_data(as_text=True)
    signup_url = re.search(r'href="([^"]*/accounts/signup[^"]*)"', signin).group(1).replace("&amp;", "&")
    assert f"foi%2Fnew%2F{body.id}" in signup_url or f"foi/new/{body.id}" in signup_url
    form = client.get(signup_url).get_data(as_text=True)
    next_value = re.search(r'name="next"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="next"', form)
    nxt = next_value.group(1) or next_value.group(2)
    assert nxt.endswith(f"/foi/new/{body.id}")
    resp = client.post("/es/accounts/signup", data={"name": "Luz", "email": "luz@example.org",
                                                    "password": "una clave muy larga 123", "next": nxt})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    user = db.session.scalar(select(User).where(User.email == "luz@example.org"))
    token = accounts.confirm_token(user)
    resp = client.get(f"/es/accounts/confirm/{token}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"next=/es/foi/new/{body.id}")
    sign_in(client, user.id)
    page = client.get(f"/es/foi/new/{body.id}").get_data(as_text=True)
    assert 'id="preview-h"' in page and "Mantenimiento de tramos en 2025" in page
    resp = client.post(f"/es/foi/new/{body.id}", data={"title": "Mantenimiento de tramos en 2025",
                                                        "letter": letter, "action": "send"})
    assert resp.status_code == 303
    req = db.session.scalar(select(FoiRequest))
    assert req.messages[0].body == letter.strip() and db.session.scalar(select(FoiDraft)) is None
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "foi@roads.example"))


def test_browse_authorities_by_area_with_active_filters(app, runner, client):
    import re

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    html = client.get("/en/foi/authorities").get_data(as_text=True)
    assert '<select id="area" name="area">' in html and "<optgroup" in html
    assert 'hx-include="closest form"' in html
    area_id, area_name = re.search(r'<option value="(\d+)">([^<]+)</option>', html).groups()
    html = client.get(f"/en/foi/authorities?area={area_id}&tag=council").get_data(as_text=True)
    assert f'<option value="{area_id}" selected>' in html
    assert f"In the area: {area_name}" in html and "Tagged: council" in html
    assert html.count("Remove this filter") == 2 and f'href="/en/foi/authorities?area={area_id}"' in html
    found = re.findall(r'href="/en/foi/authorities/(\d+)"', html)
    everything = re.findall(r'href="/en/foi/authorities/(\d+)"', client.get("/en/foi/authorities").get_data(as_text=True))
    assert found and len(found) < len(everything)


def test_followup_targets_are_distinguishable_and_answer_with_in_reply_to(app, client, runner, authorities):
    from app.core.mail import OutboxMessage
    from app.foi import queries

    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, sender="FOI Officer <foi1@roads.example>", message_id="<r1@roads.example>"))
    receive(runner, reply_email(req, sender="FOI Officer <officer@council.example>", message_id="<r2@council>"))
    sign_in(client, req.user_id)
    html = client.get(f"/en/foi/request/{req.id}/followup").get_data(as_text=True)
    labels = [label for key, label in queries.reply_targets(db.session.merge(req)) if key != "authority"]
    assert len(labels) == 2 and len(set(labels)) == 2
    assert "FOI Officer (roads.example)" in html and "FOI Officer (council.example)" in html
    assert "foi1@" not in html and "officer@council" not in html  # addresses stay private
    key = next(k for k, label in queries.reply_targets(db.session.merge(req)) if "council.example" in label)
    resp = client.post(f"/en/foi/request/{req.id}/followup", data={"target": key, "text": "Gracias, una pregunta más."})
    assert resp.status_code == 303
    out = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "officer@council.example"))
    assert out.headers["In-Reply-To"] == "<r2@council>" and "<r2@council>" in out.headers["References"]


def test_masking_skips_date_times_and_follows_the_phone_region(app):
    import dataclasses

    from app.foi.redaction import mask_personal

    assert mask_personal("Datum: 16.6.2016 20:22:39") == "Datum: 16.6.2016 20:22:39"
    assert "612 345 678" not in mask_personal("Llame al 612 345 678")
    assert "2 2441234" in mask_personal("Llame al 2 2441234")  # 8 digits: too short in the demo's region
    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(prof, phone_region="BO")
    try:
        masked = mask_personal("Llame al 2 2441234 o al +591 71234567, el 16.06.2016 a las 20:22:39")
    finally:
        app.extensions["plaza_profile"] = prof
    assert "2441234" not in masked and "71234567" not in masked and "16.06.2016 a las 20:22:39" in masked


def test_docx_tables_are_extracted_in_order():
    import io

    import docx

    from app.foi.mail.attachments import DOCX, extract_text

    document = docx.Document()
    document.add_paragraph("Antes de la tabla")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Partida", "Importe"
    table.cell(1, 0).text, table.cell(1, 1).text = "Celda con presupuesto", "1234"
    document.add_paragraph("Después de la tabla")
    out = io.BytesIO()
    document.save(out)
    text = extract_text(DOCX, out.getvalue())
    assert text.index("Antes") < text.index("Celda con presupuesto\t1234") < text.index("Después")
