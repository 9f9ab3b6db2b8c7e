"""Sending to bodies: Open311 text unchanged, mail in the body's name, sends recorded when delivered, failures retried, updates forwarded, errors kept."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from flask import render_template_string
from sqlalchemy import select

from app.core.mail import OutboxMessage, send_pending
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Contact, Report, Send
from app.reports.sending import list_sends, process_sends

from .conftest import deliver, make_user, sign_in
from .test_routing_follow import new_report

B = "/open311/v2"
TEXT = "حفرة عميقة\nTwll yn y ffordd ŵ ŷ"


class Sink:
    """A body's Open311 server: takes reports (EXT-n) and, unless told not to, updates."""

    def __init__(self, updates=True):
        self.posts = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
                sink.posts.append((self.path, parse_qs(body)))
                if self.path.endswith("/servicerequestupdates.json") and not updates:
                    self.send_response(404)
                    self.end_headers()
                    return
                key = "update_id" if "updates" in self.path else "service_request_id"
                out = json.dumps([{key: f"EXT-{len(sink.posts)}"}]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *a):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/open311/v2"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def sink():
    s = Sink()
    yield s
    s.server.shutdown()


@pytest.fixture
def deaf_sink():
    s = Sink(updates=False)
    yield s
    s.server.shutdown()


def by_open311(world, url):
    contact = db.session.scalar(select(Contact).where(Contact.body_id == world["south"]))
    contact.send_method, contact.endpoint = "open311", url
    db.session.commit()


def api_key():
    _row, key = svc.create_api_key("App")
    db.session.commit()
    return key


def post(client, key, **data):
    base = {"api_key": key, "service_code": "potholes", "lat": "49.5", "long": "0.5", "description": TEXT}
    base.update(data)
    r = client.post(f"{B}/requests.json", data=base)
    assert r.status_code == 200, r.get_data(as_text=True)
    return db.session.get(Report, int(r.get_json()[0]["service_request_id"]))


def body_mail(addr):
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == addr))


# -- G2: what Plaza sends on is the client's text, once ----------------------------------------
def test_open311_text_is_sent_on_to_an_open311_body_unchanged(client, world, sink):
    by_open311(world, sink.url)
    report = post(client, api_key())
    assert process_sends() == (1, 0)
    [(path, params)] = sink.posts
    assert path.endswith("/requests.json") and params["description"] == [TEXT]
    assert db.session.get(Send, report.sends[0].id).external_id == "EXT-1"


# -- G13 / G14: the body's mail ----------------------------------------------------------------
def test_body_mail_uses_the_bodys_name_and_skips_an_empty_reported_by(client, world):
    from app.directory.models import OtherName

    db.session.add(OtherName(organisation_id=world["south"], name="مجلس الجنوب", lang="ar"))
    db.session.commit()
    post(client, api_key())  # no email, no name
    mail = body_mail("roads@south.example")
    assert mail.body_text.startswith("Dear South Council,") and "Reported by" not in mail.body_text
    assert "<>" not in mail.body_text and mail.body_text.count(TEXT) == 1
    post(client, api_key(), first_name="Cai", description="Second")
    second = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_addr == "roads@south.example").order_by(OutboxMessage.id.desc())
    ).first()
    assert "Reported by: Cai\n" in second.body_text and "<" not in second.body_text
    sign_in(client, make_user(email="ar@example.org", name="ليلى"))
    r = client.post(
        "/ar/reports/new",
        data={"lat": "49.5", "lon": "0.5", "category": "potholes", "title": "حفرة", "detail": "كبيرة", "name": "ليلى"},
    )
    assert r.status_code == 303
    third = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_addr == "roads@south.example").order_by(OutboxMessage.id.desc())
    ).first()
    assert third.body_text.startswith("Dear South Council,") and "Reported by: ليلى <ar@example.org>" in third.body_text
    report = db.session.scalar(select(Report).where(Report.title == "حفرة"))
    assert report.sends[0].body_name == "South Council"


# -- G6: an email send is "sent" once the outbox delivered it ----------------------------------
def test_email_send_is_recorded_when_the_outbox_delivers(app, client, world, smtp):
    user = make_user()
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="Hole",
        detail="Deep",
        lat=50.5,
        lon=0.5,
        name="",
        email=user.email,
        show_name=False,
        language="en",
        user=user,
    )
    db.session.commit()
    [send] = report.sends
    assert send.status == "queued" and send.sent_at is None and report.sent_at is not None
    assert process_sends() == (0, 0)  # not delivered yet: still queued
    assert db.session.get(Send, send.id).status == "queued"
    deliver(app, smtp)
    send = db.session.get(Send, send.id)
    mail = db.session.get(OutboxMessage, send.outbox_id)
    assert send.status == "sent" and send.sent_at == mail.sent_at
    assert any(m["to"] == ["potholes@north.example"] for m in smtp.messages)


def failing_send(app, world):
    """An email send whose mail the outbox gave up on (nothing listens on MAIL_PORT 1)."""
    user = make_user()
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="Hole",
        detail="Deep",
        lat=50.5,
        lon=0.5,
        name="",
        email=user.email,
        show_name=False,
        language="en",
        user=user,
    )
    db.session.commit()
    send = report.sends[0]
    mail = db.session.get(OutboxMessage, send.outbox_id)
    # The outbox gives up on a mail it cannot hand over after its last attempt and a long while.
    mail.attempts, mail.created_at = 7, svc.utcnow() - dt.timedelta(days=30)
    db.session.commit()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    send_pending()
    assert process_sends() == (0, 1)
    return report, db.session.get(Send, send.id)


def test_failed_mail_fails_the_send_and_admins_see_and_retry_it(app, client, world, smtp):
    report, send = failing_send(app, world)
    assert send.status == "failed" and send.attempts == 8 and send.last_error
    sign_in(client, make_user(email="admin@example.org", role="admin"))
    page = client.get("/en/admin/reports/sends/").get_data(as_text=True)
    assert "North Council" in page and "failed" in page and f"/en/admin/reports/{report.id}" in page
    assert send.last_error.split(":")[0] in page and "Try again now" in page
    r = client.post(f"/en/admin/reports/sends/{send.id}/retry", data={"back": "report"})
    assert r.status_code == 303 and r.location.endswith(f"/en/admin/reports/{report.id}")
    send = db.session.get(Send, send.id)
    assert send.status == "queued" and db.session.get(OutboxMessage, send.outbox_id).status == "pending"
    deliver(app, smtp)
    assert db.session.get(Send, send.id).status == "sent"
    assert "No failed or retrying sends." in client.get("/en/admin/reports/sends/").get_data(as_text=True)
    assert client.post(f"/en/admin/reports/sends/{send.id}/retry").status_code == 303  # nothing to retry
    assert db.session.get(Send, send.id).status == "sent"


def test_sends_pages_are_for_admins_only(app, client, world):
    _report, send = failing_send(app, world)
    sign_in(client, make_user(email="staff@example.org", role="staff", staff_of=[world["north"]]))
    assert client.get("/en/admin/reports/sends/").status_code == 403
    assert client.post(f"/en/admin/reports/sends/{send.id}/retry").status_code == 403
    assert db.session.get(Send, send.id).status == "failed"


def test_sends_partial_lists_a_reports_sends(app, world):
    from flask_login import login_user

    report, send = failing_send(app, world)
    admin = make_user(email="admin@example.org", role="admin")
    assert [s.id for s in list_sends(report.id)] == [send.id]
    with app.test_request_context("/en/admin/reports/1"):
        login_user(admin)
        html = render_template_string('{% include "reports/_sends.html" %}', report=report)
    assert "North Council" in html and "failed" in html and "Try again now" in html
    assert 'name="back" value="report"' in html


# -- G22: updates reach bodies reached by Open311 -----------------------------------------------
def test_public_update_is_forwarded_to_an_open311_body(client, world, sink):
    by_open311(world, sink.url)
    reporter = make_user(email="rep@example.org")
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="Hole",
        detail="Deep",
        lat=49.5,
        lon=0.5,
        name="Rhian",
        email=reporter.email,
        show_name=False,
        language="en",
        user=reporter,
    )
    db.session.commit()
    sign_in(client, reporter)
    # An update before the report reached the body waits for it.
    assert client.post(f"/en/reports/{report.id}/update", data={"text": "Still there"}).status_code == 303
    assert process_sends() == (2, 0)  # the report first, then its update
    paths = [p for p, _ in sink.posts]
    assert paths[0].endswith("/requests.json") and paths[1].endswith("/servicerequestupdates.json")
    params = sink.posts[1][1]
    assert params["service_request_id"] == ["EXT-1"] and params["description"] == ["Still there"]
    assert params["status"] == ["OPEN"]
    fwd = db.session.scalar(select(Send).where(Send.update_id.is_not(None)))
    assert fwd.status == "sent" and fwd.external_id == "EXT-2" and fwd.body_id == world["south"]
    assert [s.id for s in db.session.get(Report, report.id).sends] != [fwd.id]  # not a send of the report
    assert fwd.id in [s.id for s in list_sends(report.id)]


def test_a_body_without_the_updates_extension_is_recorded_not_retried(client, world, deaf_sink):
    by_open311(world, deaf_sink.url)
    reporter = make_user(email="rep@example.org")
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="Hole",
        detail="Deep",
        lat=49.5,
        lon=0.5,
        name="",
        email=reporter.email,
        show_name=False,
        language="en",
        user=reporter,
    )
    db.session.commit()
    assert process_sends() == (1, 0)
    sign_in(client, reporter)
    client.post(f"/en/reports/{report.id}/update", data={"text": "Worse now"})
    assert process_sends() == (0, 0)
    fwd = db.session.scalar(select(Send).where(Send.update_id.is_not(None)))
    assert fwd.status == "unsupported" and "404" in fwd.last_error and fwd.attempts == 0


def test_open311_client_keeps_the_bodys_error_and_does_not_retry_a_400(client, world):
    import json as _json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from app.reports.models import Contact, Send
    from app.reports.sending import process_sends

    answers = {"code": 400}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(answers["code"])
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(
                _json.dumps([{"code": str(answers["code"]), "description": "attribute[depth] is required"}]).encode()
            )

        def log_message(self, *a):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        contact = db.session.scalar(select(Contact).where(Contact.body_id == world["south"]))
        contact.send_method = "open311"
        contact.endpoint = f"http://127.0.0.1:{server.server_port}/open311/v2"
        db.session.commit()
        report = new_report(category="potholes", lat=49.5, user=make_user())
        assert process_sends() == (0, 1)
        send = db.session.scalar(select(Send).where(Send.report_id == report.id))
        assert send.status == "failed" and send.attempts == 1
        assert "HTTP 400: attribute[depth] is required" in send.last_error
        # A 503 is worth trying again later.
        answers["code"] = 503
        send.status, send.attempts = "pending", 0
        db.session.commit()
        process_sends()
        db.session.refresh(send)
        assert send.status == "pending" and send.attempts == 1 and "HTTP 503" in send.last_error
    finally:
        server.shutdown()
