"""Request states: a clarification restarts the clock, hidden states stay unlisted, undelivered letters and unusual replies are flagged, reviews fall overdue."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.foi import laws, operations, queries
from app.foi.models import FoiMessage, FoiRequest

from .conftest import make_user, sign_in
from .helpers import make_request, receive, reply_email


def test_a_clarification_sets_the_request_waiting_again_with_a_new_due_date(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "¿Qué caminos? Concrete, por favor."))
    req = db.session.merge(req)
    operations.set_state(req, "waiting_clarification", _user(req))
    req.sent_on = req.sent_on - dt.timedelta(days=60)
    req.due_on = req.due_on - dt.timedelta(days=60)
    db.session.commit()
    old_due = req.due_on
    sign_in(client, req.user_id)
    target = queries.reply_targets(req)[-1][0]
    resp = client.post(
        f"/es/foi/request/{req.id}/followup", data={"target": target, "text": "Los caminos rurales del norte."}
    )
    assert resp.status_code == 303
    db.session.expire_all()
    req = db.session.get(FoiRequest, req.id)
    law = laws.law_by_code(req.law_code)
    today = laws.local_today()
    assert req.state == "waiting_response" and req.sent_on == today
    from app.foi.duedates import due_date

    assert req.due_on == due_date(today, law.reply_days, law.day_type, laws.calendar()) > old_due
    assert queries.display_state(req) == "waiting_response"
    # A follow-up in any other state leaves the state alone
    client.post(f"/es/foi/request/{req.id}/followup", data={"target": target, "text": "Otra pregunta más, gracias."})
    db.session.expire_all()
    assert db.session.get(FoiRequest, req.id).due_on == req.due_on


def _user(req):
    from app.accounts.models import User

    return db.session.get(User, req.user_id)


def test_vexatious_and_not_foi_requests_are_not_listed(app, client, authorities):
    shown = make_request(authorities["Ministry of Roads"], title="Gastos de viaje del ministro")
    vex = make_request(
        authorities["Ministry of Roads"], user=make_user("b@example.org", "B"), title="Gastos de viaje otra vez"
    )
    admin = make_user("admin@example.org", "Admin", role="admin")
    operations.set_state(db.session.merge(vex), "vexatious", admin)
    db.session.commit()
    listed = client.get("/api/foi/requests.json?q=gastos").get_json()
    assert listed["total"] == 1 and [r["id"] for r in listed["results"]] == [shown.id]
    page = client.get("/es/foi/").get_data(as_text=True)
    assert "Gastos de viaje del ministro" in page and "Gastos de viaje otra vez" not in page
    assert "otra vez" not in client.get("/es/foi/feed.atom").get_data(as_text=True)
    assert client.get(f"/es/foi/request/{vex.id}").status_code == 200  # kept, reachable by link


def test_a_letter_the_outbox_gave_up_on_shows_as_not_delivered(app, client, authorities):
    from app.foi.jobs import daily

    req = make_request(authorities["Ministry of Roads"])
    row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "foi@roads.example"))
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "waiting to be sent" in page
    row.status, row.last_error = "failed", "550 no such user"
    db.session.commit()
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "not delivered" in page and "Sent by the requester" not in page
    counts = daily()
    db.session.commit()
    assert counts["undelivered"] == 1
    req = db.session.get(FoiRequest, req.id)
    assert req.state == "error_message"
    mail = db.session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.to_addr == "ana@example.org", OutboxMessage.template == "foi/email/reminder.txt"
        )
    )
    assert mail is not None and "no se pudo entregar" in mail.body_text  # in the requester's language
    assert daily()["undelivered"] == 0  # told once
    admin = make_user("admin@example.org", "Admin", role="admin")
    sign_in(client, admin.id)
    assert f"/foi/request/{req.id}" in client.get("/en/admin/foi/").get_data(as_text=True)


def test_unusual_response_mails_the_site_team(app, client, runner, authorities):
    admin = make_user("admin@example.org", "Admin", role="admin", language="en")
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "Respuesta rara."))
    sign_in(client, req.user_id)
    client.post(f"/es/foi/request/{req.id}/classify", data={"state": "requires_admin"})
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == admin.email))
    assert mail is not None and "unusual" in mail.body_text
    assert db.session.scalar(select(FoiMessage.id).where(FoiMessage.direction == "in"))


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
    for state, words in (
        ("not_held", "Another authority may hold it"),
        ("gone_postal", "answering by post"),
        ("error_message", "Please check the authority"),
    ):
        client.post(f"/en/foi/request/{req.id}/classify", data={"state": state})
        assert words in client.get(f"/en/foi/request/{req.id}").get_data(as_text=True), state
    # A moderator can set any state, admin-only ones included, and clear a report
    other = make_request(
        authorities["Ministry of Roads"],
        user=make_user("b@example.org", "Bea"),
        title="Puentes inspeccionados durante 2025",
    )
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
    from app.foi.search import search_requests

    req = make_request(authorities["Ministry of Roads"])
    operations.set_state(
        req, "internal_review", db.session.get(__import__("app.accounts.models", fromlist=["User"]).User, req.user_id)
    )
    req.due_on = dt.date.today() - dt.timedelta(days=3)
    req.very_overdue_on = dt.date.today() + dt.timedelta(days=30)
    db.session.commit()
    assert queries.display_state(req) == "waiting_response_overdue"
    assert [r.id for r in search_requests(state="waiting_response_overdue")[0]] == [req.id]
    assert search_requests(state="internal_review")[0] == []
    assert "overdue 1" in runner.invoke(args=["foi", "daily"]).output
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "foi/email/reminder.txt"))
