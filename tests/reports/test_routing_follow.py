"""Routing reports to bodies (email, Open311 with retries), re-routing on a category change, the report page, updates, lists, area alerts."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
from sqlalchemy import func, select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Alert, Contact, Report, Send, Update
from app.reports.sending import process_sends

from .conftest import deliver, make_user, sign_in


def new_report(title="Broken lamp", category="street-lights", lat=50.5, lon=0.5, user=None, email="r@example.org"):
    cat = svc.find_category(category)
    report = svc.create_report(
        category=cat,
        title=title,
        detail="Dark at night",
        lat=lat,
        lon=lon,
        name="Rhian",
        email=user.email if user else email,
        show_name=False,
        language="en",
        user=user,
    )
    db.session.commit()
    return report


def outbox_to(addr):
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == addr)))


def test_confirmed_report_is_sent_in_the_bodys_language_with_everything(app, world, smtp):
    report = new_report(user=make_user())
    [mail] = outbox_to("lights@north.example")
    assert "Broken lamp" in mail.body_text and "Dark at night" in mail.body_text
    assert "50.500000, 0.500000" in mail.body_text and "Northtown" in mail.body_text
    assert f"http://plaza.test/en/reports/{report.id}" in mail.body_text
    assert mail.reply_to.startswith(f"report-{report.id}-")
    assert report.body_ids == [world["north"]]
    [send] = report.sends
    assert send.status == "queued" and send.outbox_id == mail.id and send.body_name == "North Council"
    deliver(app, smtp)
    db.session.refresh(send)
    assert send.status == "sent" and send.sent_at is not None


def test_category_change_reroutes_only_to_new_bodies(app, world):
    report = new_report(category="potholes", lat=49.5)
    assert report.state == "unconfirmed" and outbox_to("roads@south.example") == []
    svc.confirm_report(report)
    db.session.commit()
    assert len(outbox_to("roads@south.example")) == 1
    # Same body, other category: the body had it already, nothing new is sent.
    assert svc.change_category(report, svc.find_category("potholes")) is False


class Open311Sink:
    def __init__(self, fail_first=0):
        self.posts, self.fail_first = [], fail_first
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
                sink.posts.append((self.path, parse_qs(body)))
                if len(sink.posts) <= sink.fail_first:
                    self.send_response(500)
                    self.end_headers()
                    return
                out = json.dumps([{"service_request_id": "EXT-77", "service_notice": ""}]).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *a):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/open311/v2"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture
def sink():
    s = Open311Sink(fail_first=1)
    yield s
    s.stop()


def test_open311_contact_is_posted_by_the_job_with_retry(app, world, sink):
    contact = db.session.scalar(select(Contact).where(Contact.body_id == world["south"]))
    contact.send_method, contact.endpoint, contact.jurisdiction_id, contact.api_key = (
        "open311",
        sink.url,
        "south.example",
        "secret-k",
    )
    db.session.commit()
    report = new_report(category="potholes", lat=49.5, user=make_user(), title="Llanw ffordd تجربة")
    [send] = report.sends
    assert send.status == "pending" and send.method == "open311"
    assert process_sends() == (0, 1)  # the server answered 500: retried later
    db.session.refresh(send)
    assert send.status == "pending" and send.attempts == 1 and "500" in send.last_error
    send.next_attempt_at = send.created_at
    db.session.commit()
    assert process_sends() == (1, 0)
    db.session.refresh(send)
    assert send.status == "sent" and send.external_id == "EXT-77"
    path, params = sink.posts[-1]
    assert path == "/open311/v2/requests.json"
    assert params["service_code"] == ["potholes"] and params["api_key"] == ["secret-k"]
    assert params["jurisdiction_id"] == ["south.example"] and params["lat"] == ["49.500000"]
    assert "Llanw ffordd تجربة" in params["description"][0]


def test_report_page_shows_state_updates_support_and_map(app, client, world, smtp):
    report = new_report(user=make_user())
    deliver(app, smtp)
    html = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Broken lamp" in html and ">Open<" in html and "Street lights" in html
    assert "<svg" in html and "North Council</a>" in html and "Sent to <a href=" in html
    assert "0 people have the same problem" in html
    assert f"/en/reports/{report.id}/feed.atom" in html


def test_signed_out_update_confirmed_by_email_marks_fixed_and_notifies(client, world):
    reporter = make_user(email="rep@example.org")
    report = new_report(user=reporter)
    client.post("/en/reports/alerts", data={"kind": "report", "target": report.id, "email": "fan@example.org"})
    alert = db.session.scalar(select(Alert))
    assert alert.confirmed_at is None
    client.get(f"/en/reports/alerts/confirm/{alert.token}")
    db.session.refresh(alert)
    assert alert.confirmed_at is not None
    resp = client.post(
        f"/en/reports/{report.id}/update",
        data={"text": "Fixed yesterday", "fixed": "y", "name": "Passer", "email": "p@example.org"},
    )
    assert resp.status_code == 303
    upd = db.session.scalar(select(Update))
    assert upd.confirmed_at is None and report.state == "confirmed"
    mail = outbox_to("p@example.org")[0]
    link = re.search(r"http://plaza.test(\S+)", mail.body_text).group(1)
    client.get(link)
    db.session.refresh(report)
    assert report.state == "fixed - user" and report.fixed_at is not None
    assert outbox_to("rep@example.org") and "Fixed yesterday" in outbox_to("rep@example.org")[-1].body_text
    fan = outbox_to("fan@example.org")[-1]
    assert "Fixed yesterday" in fan.body_text and f"/alerts/unsubscribe/{alert.token}" in fan.body_text
    assert len(outbox_to("lights@north.example")) == 2  # forwarded to the body
    html = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Fixed yesterday" in html and "Fixed (reported by a user)" in html


def test_only_the_reporter_may_reopen(client, world):
    reporter = make_user(email="rep@example.org")
    report = new_report(user=reporter)
    svc.set_state(report, "fixed")
    db.session.commit()
    sign_in(client, make_user(email="other@example.org", name="Other"))
    resp = client.post(f"/en/reports/{report.id}/update", data={"reopen": "y", "text": "not fixed"})
    assert resp.status_code == 422 and "Only the person who reported" in resp.get_data(as_text=True)
    sign_in(client, reporter)
    assert client.post(f"/en/reports/{report.id}/update", data={"reopen": "y"}).status_code == 303
    db.session.refresh(report)
    assert report.state == "confirmed"


def test_lists_recent_around_place_paging_and_htmx(client, world):
    user = make_user()
    for i in range(23):
        new_report(title=f"Lamp {i:02d}", lat=50.5 + i * 0.001, user=user)
    html = client.get("/en/reports/").get_data(as_text=True)
    assert "Lamp 22" in html and "Lamp 02" not in html and "Load more" in html
    more = client.get("/en/reports/?offset=20", headers={"HX-Request": "true"})
    frag = more.get_data(as_text=True)
    assert "<html" not in frag and "Lamp 02" in frag and "Vary" in more.headers
    near = client.get("/en/reports/?lat=50.5&lon=0.5").get_data(as_text=True)
    assert near.index("Lamp 00") < near.index("Lamp 01") and " mi" in near or " km" in near or " m<" in near
    assert "Lamp 22" in client.get(f"/en/reports/body/{world['north']}").get_data(as_text=True)
    assert "Lamp" not in client.get(f"/en/reports/body/{world['south']}").get_data(as_text=True)
    fixed = client.get("/en/reports/?status=fixed").get_data(as_text=True)
    assert "Lamp 0" not in fixed
    feed = client.get("/en/reports/feed.atom")
    assert feed.headers["Content-Type"].startswith("application/atom+xml") and b"Lamp 22" in feed.data


def test_area_alert_gets_new_reports_and_unsubscribe_works(client, world):
    from app.areas import services as areas

    area = areas.areas_at(50.5, 0.5)[0]
    client.post("/en/reports/alerts", data={"kind": "area", "target": area.id, "email": "watch@example.org"})
    alert = db.session.scalar(select(Alert))
    client.get(f"/en/reports/alerts/confirm/{alert.token}")
    new_report(user=make_user())
    mail = outbox_to("watch@example.org")[-1]
    assert "Broken lamp" in mail.body_text
    client.post(f"/en/reports/alerts/unsubscribe/{alert.token}")
    new_report(title="Second lamp", user=db.session.scalar(select(Report)).user_id and None, email="z@example.org")
    r2 = db.session.scalar(select(Report).where(Report.title == "Second lamp"))
    svc.confirm_report(r2)
    db.session.commit()
    assert not any("Second lamp" in m.body_text for m in outbox_to("watch@example.org"))
    assert db.session.scalar(select(func.count()).select_from(Send)) == 2
