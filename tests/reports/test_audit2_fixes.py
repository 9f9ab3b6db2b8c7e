"""Audit 2 fixes: bad alert points, alerts on hidden reports, bans that stop queued sends,
bounded offsets and dates."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Alert, Report

from .conftest import deliver, make_user, sign_in
from .test_routing_follow import new_report, outbox_to


# -- 1: a "nearby" alert with NaN/Inf coordinates ------------------------------------------
def test_nearby_alert_with_bad_numbers_is_refused_and_old_bad_rows_are_skipped(client, world):
    for target in ("nan,10,500", "inf,10,5", "1000,10,500", "10,-inf,500", "10,10,nan", "x,y,z", "1,2"):
        resp = client.post("/en/reports/alerts", data={"kind": "nearby", "target": target,
                                                       "email": "a@example.org"})
        assert resp.status_code == 400, target
    assert db.session.scalar(select(Alert)) is None
    # A row saved before points were checked must not stop every later report.
    db.session.add(Alert(kind="nearby", email="old@example.org", language="en", lat=None, lon=10.0,
                         radius_m=500, confirmed_at=svc.utcnow()))
    db.session.add(Alert(kind="nearby", email="inf@example.org", language="en", lat=float("inf"), lon=10.0,
                         radius_m=500, confirmed_at=svc.utcnow()))
    db.session.add(Alert(kind="nearby", email="near@example.org", language="en", lat=50.5, lon=0.5,
                         radius_m=1000, confirmed_at=svc.utcnow()))
    db.session.commit()
    report = new_report(user=make_user())
    assert report.state == "confirmed"
    [mail] = outbox_to("near@example.org")
    assert "Broken lamp" in mail.body_text
    assert outbox_to("old@example.org") == [] and outbox_to("inf@example.org") == []


def test_a_good_nearby_alert_is_still_accepted(client, world):
    resp = client.post("/en/reports/alerts", data={"kind": "nearby", "target": "50.5,0.5,30000",
                                                   "email": "a@example.org"})
    assert resp.status_code == 303
    alert = db.session.scalar(select(Alert))
    assert (alert.lat, alert.lon, alert.radius_m) == (50.5, 0.5, 20000)


# -- 3: alerts on reports that are not public, or things that do not exist -------------------
def test_alert_on_unconfirmed_hidden_or_unknown_report_mails_nothing(client, world):
    secret = new_report(title="SECRET UNCONFIRMED TITLE")  # signed out: unconfirmed
    hidden = new_report(title="HIDDEN TITLE", user=make_user())
    hidden.state = "hidden"
    db.session.commit()
    for target in (secret.id, hidden.id, 999999, 99999999999999, "3000000000", "abc"):
        resp = client.post("/en/reports/alerts", data={"kind": "report", "target": str(target),
                                                       "email": "attacker@example.org"})
        assert resp.status_code == 404, target
    for kind in ("area", "body"):
        for target in ("99999999999999999999", "3000000000", "999999"):
            resp = client.post("/en/reports/alerts", data={"kind": kind, "target": target,
                                                           "email": "attacker@example.org"})
            assert resp.status_code == 404, (kind, target)
    assert outbox_to("attacker@example.org") == []
    assert db.session.scalar(select(Alert)) is None
    # A moderator hides a report after someone subscribed: its title is not shown again.
    public = new_report(title="Public then hidden", user=make_user(email="two@example.org"))
    resp = client.post("/en/reports/alerts", data={"kind": "report", "target": str(public.id),
                                                   "email": "fan@example.org"})
    assert resp.status_code == 303
    [mail] = outbox_to("fan@example.org")
    assert "Public then hidden" in mail.body_text
    public.state = "hidden"
    db.session.commit()
    alert = db.session.scalar(select(Alert).where(Alert.email == "fan@example.org"))
    page = client.get(f"/en/reports/alerts/confirm/{alert.token}").get_data(as_text=True)
    assert "Public then hidden" not in page and "updates on a report" in page


def test_body_and_area_alerts_still_work(client, world):
    resp = client.post("/en/reports/alerts", data={"kind": "body", "target": str(world["north"]),
                                                   "email": "b@example.org"})
    assert resp.status_code == 303
    [mail] = outbox_to("b@example.org")
    assert "North Council" in mail.body_text


# -- 4: a ban or a hide stops a send already queued -----------------------------------------
def _moderate(client, report, action):
    mod = make_user(email=f"mod-{action}@example.org", role="moderator")
    sign_in(client, mod)
    resp = client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": action, "reason": "abuse"})
    assert resp.status_code == 303


def test_ban_cancels_the_queued_email_to_the_body(app, client, world, smtp):
    report = new_report(email="abuser@example.org", title="Abuse")
    svc.confirm_report(report)
    db.session.commit()
    [send] = report.sends
    assert send.status == "queued"
    _moderate(client, report, "ban")
    db.session.refresh(report)
    db.session.refresh(send)
    assert report.state == "hidden" and send.status == "superseded"
    mail = db.session.get(OutboxMessage, send.outbox_id)
    assert mail.status == "cancelled"
    deliver(app, smtp)
    assert all("info@north.example" not in m["to"] and "lights@north.example" not in m["to"]
               for m in smtp.messages)
    db.session.refresh(send)
    db.session.refresh(mail)
    assert send.status == "superseded" and mail.status == "cancelled" and mail.sent_at is None


def test_hide_cancels_the_queued_send_and_showing_again_sends_it(app, client, world):
    report = new_report(user=make_user(), title="Hidden for now")
    [send] = report.sends
    _moderate(client, report, "hide")
    db.session.refresh(send)
    assert send.status == "superseded"
    assert db.session.get(OutboxMessage, send.outbox_id).status == "cancelled"
    _moderate(client, report, "unhide")
    db.session.refresh(report)
    live = [s for s in report.sends if s.status == "queued"]
    assert report.state == "confirmed" and len(live) == 1
    assert db.session.get(OutboxMessage, live[0].outbox_id).status == "pending"


# -- 7: offsets, dates and ids that would overflow the database -------------------------------
def test_huge_offsets_and_dates_are_no_500(client, world):
    report = new_report(user=make_user(), title="Listed")
    for url in ("/en/reports/?offset=99999999999999999999", f"/en/reports/body/{world['north']}?offset=1e99",
                "/en/reports/?offset=9223372036854775808", "/en/reports/?offset=-5"):
        resp = client.get(url)
        assert resp.status_code == 200, url
    assert "Listed" in client.get("/en/reports/?offset=-5").get_data(as_text=True)
    admin = make_user(email="adm@example.org", role="admin")
    sign_in(client, admin)
    resp = client.get("/en/admin/reports/?offset=99999999999999999999")
    assert resp.status_code == 200
    resp = client.get("/en/admin/reports/?to=9999-12-31&from=0001-01-01")
    assert resp.status_code == 200 and "Listed" in resp.get_data(as_text=True)
    resp = client.get("/en/admin/reports/export.csv?to=9999-12-31")
    assert resp.status_code == 200 and f"{report.id}" in resp.get_data(as_text=True)


# -- 2: a body's emailed reply: only the reply is published, never an email address ----------
ALAVETELI = "/work/shared/data/mail/alaveteli/"


def _receive(runner, raw, to):
    result = runner.invoke(args=["mail", "receive", "--recipient", to], input=raw)
    assert result.exit_code == 0, result.output
    return result


def _mail(to, mid, text, frm="Officer <officer@north.example>", subject="RE: Problem report"):
    return (f"From: {frm}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{mid}>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            + text.replace("\n", "\r\n")).encode("utf-8")


def _body_updates(report):
    from app.reports.models import Update

    return list(db.session.scalars(select(Update).where(Update.report_id == report.id, Update.kind == "body")
                                   .order_by(Update.id)))


def _anon_report():
    report = new_report(email="layla2@example.org", title="حفرة كبيرة")
    report.name = "ليلى"
    svc.confirm_report(report)
    db.session.commit()
    return report


def test_outlook_top_posted_reply_publishes_only_the_reply(client, runner, world):
    from app.core.mail import reply_address

    report = _anon_report()
    [sent] = outbox_to("lights@north.example")
    assert "layla2@example.org" in sent.body_text  # the body is told who reported it...
    to = reply_address("report", report.id)
    outlook = ("We will send a crew on Tuesday.\n\nRegards, Highways\n\n"
               "From: Plaza <noreply@plaza.test>\nSent: 03 March 2025 10:00\nTo: Highways\n"
               "Subject: Problem report\n\n" + sent.body_text)
    _receive(runner, _mail(to, "o1@north.example", outlook), to)
    original = ("Mended today. Call 02920 000000 or write to roads.team@north.example.\n\n"
                "-----Original Message-----\n" + sent.body_text)
    _receive(runner, _mail(to, "o2@north.example", original), to)
    pasted = "Duplicate of an older job, closing here.\n\n" + sent.body_text  # no header at all
    _receive(runner, _mail(to, "o3@north.example", pasted), to)
    texts = [u.text for u in _body_updates(report)]
    assert texts == ["We will send a crew on Tuesday.\n\nRegards, Highways",
                     "Mended today. Call 02920 000000 or write to […].",
                     "Duplicate of an older job, closing here."]
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    feed = client.get(f"/en/reports/{report.id}/feed.atom").get_data(as_text=True)
    for text in (page, feed):
        assert "layla2@example.org" not in text and "Reported by" not in text
        assert "We will send a crew on Tuesday." in text
    fan_mails = [m for m in db.session.scalars(select(OutboxMessage)) if m.to_addr == "layla2@example.org"]
    assert fan_mails and all("Reported by" not in m.body_text for m in fan_mails)


def test_bounce_auto_reply_and_stranger_are_not_published(runner, world):
    from app.core.mail import InboxMessage, reply_address

    report = _anon_report()
    to = reply_address("report", report.id)
    with open(ALAVETELI + "track-response-exim-bounce.eml", "rb") as f:
        _receive(runner, f.read(), to)
    with open(ALAVETELI + "track-response-outlook-oof.eml", "rb") as f:
        _receive(runner, f.read(), to)
    _receive(runner, _mail(to, "x1@elsewhere.example", "It is fixed, trust me.",
                           frm="Prankster <joker@elsewhere.example>"), to)
    assert _body_updates(report) == []
    rows = {r.message_id: r for r in db.session.scalars(select(InboxMessage))}
    held = sorted(r.note for r in rows.values() if r.status == "holding")
    assert held == ["a report's mail to a body bounced: check the body's address",
                    "reply to a report address from an address that is not the body's"]
    assert outbox_to("layla2@example.org") == [] or all(
        "trust me" not in m.body_text and "Mail delivery" not in m.body_text for m in outbox_to("layla2@example.org"))
    # The body's own address is accepted, and so is another mailbox at its domain.
    _receive(runner, _mail(to, "ok@north.example", "On it.", frm="lights@north.example"), to)
    assert [u.text for u in _body_updates(report)] == ["On it."]
    assert _body_updates(report)[0].body_id == world["north"]


# -- 5, 11: servicerequestupdates takes FixMyStreet's statuses; ids are never mixed up --------
def _push(client, key, rid, **extra):
    data = {"api_key": key, "service_request_id": rid, "update_id": extra.pop("update_id", "u1"),
            "updated_datetime": "2025-01-02T10:00:00Z"}
    data.update(extra)
    return client.post("/open311/v2/servicerequestupdates.json", data=data)


def _north_key(world):
    row, key = svc.create_api_key("north back-end")
    row.body_id = world["north"]
    db.session.commit()
    return key


def test_fixmystreet_statuses_map_to_plaza_states(client, world):
    from app.reports.models import Update

    key = _north_key(world)
    report = new_report(user=make_user())
    steps = [({"status": "IN_PROGRESS"}, "in progress"), ({"status": "action_scheduled"}, "action scheduled"),
             ({"status": "FIXED"}, "fixed - council"), ({"status": "OPEN"}, "confirmed"),
             ({"status": "CLOSED", "external_status_code": "duplicate"}, "duplicate"),
             ({"status": "open", "external_status_code": "investigating"}, "investigating"),
             ({"status": "CLOSED", "external_status_code": "not_councils_responsibility"}, "not responsible"),
             ({"status": "closed", "external_status_code": "no_further_action"}, "unable to fix"),
             ({"status": "OPEN"}, "confirmed"), ({"status": "NOT_COUNCILS_RESPONSIBILITY"}, "not responsible"),
             ({"status": "open"}, "confirmed"), ({"status": "CLOSED"}, "fixed - council")]
    for i, (data, state) in enumerate(steps):
        resp = _push(client, key, str(report.id), update_id=f"s{i}", description=f"step {i}", **data)
        assert resp.status_code == 200, (data, resp.get_json())
        db.session.refresh(report)
        assert report.state == state, data
    for bad in ({"status": "maybe"}, {"status": "open", "external_status_code": "whatever"},
                {"status": "open", "updated_datetime": "garbage"}):
        data = {"update_id": "bad", "description": "x"}
        data.update(bad)
        resp = _push(client, key, str(report.id), **data)
        assert resp.status_code == 400, bad
        assert resp.get_json()[0]["code"] == "400"
    count = db.session.query(Update).count()
    # An empty push (no text, no change) publishes nothing and mails nobody.
    mails = db.session.query(OutboxMessage).count()
    resp = _push(client, key, str(report.id), update_id="empty", status="CLOSED")
    assert resp.status_code == 200 and resp.get_json() == [{"update_id": "empty"}]
    assert db.session.query(Update).count() == count and db.session.query(OutboxMessage).count() == mails


def test_a_bodys_own_id_and_plazas_id_are_not_mixed_up(client, world):
    from app.reports.models import Send

    key = _north_key(world)
    sent_by_open311 = new_report(user=make_user(), title="Has a CRM id")
    by_email = new_report(user=make_user(email="e2@example.org"), title="Known by Plaza id")
    [send] = sent_by_open311.sends
    send.external_id = str(by_email.id)  # the CRM's id for the first is the second's Plaza id
    db.session.commit()
    resp = _push(client, key, str(by_email.id), status="FIXED", description="done")
    assert resp.status_code == 400 and "ambiguous" in resp.get_json()[0]["description"]
    resp = _push(client, key, str(by_email.id), service_request_id_ext=str(by_email.id), status="FIXED",
                 description="done")
    assert resp.status_code == 200
    db.session.refresh(by_email)
    db.session.refresh(sent_by_open311)
    assert by_email.state == "fixed - council" and sent_by_open311.state == "confirmed"
    # The first report's Plaza id is not the body's id for it: the body's own id wins.
    other = db.session.scalar(select(Send).where(Send.report_id == sent_by_open311.id))
    other.external_id = "CRM-1"
    db.session.commit()
    resp = _push(client, key, "CRM-1", update_id="u2", status="IN_PROGRESS", description="on it")
    assert resp.status_code == 200
    db.session.refresh(sent_by_open311)
    assert sent_by_open311.state == "in progress"


# -- 9, 7: Open311 POST checks attribute values as the web form does, and field lengths -------
def _open311_post(client, key, **data):
    base = {"api_key": key, "service_code": "potholes", "lat": "50.5", "long": "0.5", "description": "Hole",
            "email": "c@example.org"}
    base.update(data)
    return client.post("/open311/v2/requests.json", data=base)


def test_open311_refuses_bad_attribute_values_and_too_long_fields(client, world):
    cat = svc.find_category("potholes")
    cat.attributes = [
        {"code": "depth", "datatype": "number", "required": False, "description": "How deep (cm)?"},
        {"code": "when", "datatype": "datetime", "required": False, "description": "When?"},
        {"code": "side", "datatype": "singlevaluelist", "required": False, "description": "Side",
         "values": [{"key": "left", "name": "Left"}, {"key": "right", "name": "Right"}]},
        {"code": "note", "datatype": "string", "required": False, "description": "Note"},
    ]
    db.session.commit()
    _row, key = svc.create_api_key("client")
    db.session.commit()
    cases = [({"attribute[depth]": "nan"}, "attribute[depth] must be a number"),
             ({"attribute[depth]": "1e999"}, "attribute[depth] must be a number"),
             ({"attribute[when]": "garbage"}, "attribute[when] must be a W3C datetime"),
             ({"attribute[side]": ["left", "right"]}, "attribute[side] must be one of the values allowed"),
             ({"attribute[note]": "x" * 2001}, "attribute[note] is longer than 2000 characters"),
             ({"address_string": "a" * 301}, "address_string is longer than 300 characters"),
             ({"phone": "1" * 51}, "phone is longer than 50 characters"),
             ({"email": "a" * 250 + "@example.org"}, "email is longer than 254 characters"),
             ({"email": "not an address"}, "email is not a valid email address")]
    for data, message in cases:
        resp = _open311_post(client, key, **data)
        assert resp.status_code == 400, data
        assert message in [e["description"] for e in resp.get_json()], (data, resp.get_json())
    assert db.session.query(Report).count() == 0
    good = _open311_post(client, key, **{"attribute[depth]": "12.5", "attribute[when]": "2025-01-02T10:00",
                                         "attribute[side]": "left", "attribute[note]": "by the bus stop",
                                         "address_string": "1 High St", "phone": "01234 567890"})
    assert good.status_code == 200, good.get_json()
    report = db.session.get(Report, int(good.get_json()[0]["service_request_id"]))
    assert report.attributes == {"depth": "12.5", "when": "2025-01-02T10:00", "side": "left",
                                 "note": "by the bus stop"}
    assert report.address == "1 High St" and report.phone == "01234 567890"


# -- 8, 16: links in the recipient's language; the questionnaire respects "stop these emails" -----
def test_mail_links_follow_the_recipients_language(client, world):
    import datetime as dt

    from app.reports.questionnaire import send_due

    reporter = make_user(email="layla@example.org")
    report = svc.create_report(category=svc.find_category("potholes"), title="حفرة", detail="", lat=50.5,
                               lon=0.5, name="ليلى", email=reporter.email, show_name=False, language="ar",
                               user=reporter)
    db.session.commit()
    client.post("/fr/reports/alerts", data={"kind": "report", "target": str(report.id), "email": "fan@example.org"})
    [confirm] = outbox_to("fan@example.org")
    assert "http://plaza.test/fr/reports/alerts/confirm/" in confirm.body_text
    alert = db.session.scalar(select(Alert).where(Alert.email == "fan@example.org"))
    client.get(f"/fr/reports/alerts/confirm/{alert.token}")
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    sign_in(client, staff)
    resp = client.post(f"/en/admin/reports/{report.id}", data={"state": "fixed - council", "category": "potholes",
                                                               "text": "Fixed"})
    assert resp.status_code in (200, 303)
    to_reporter = outbox_to("layla@example.org")[-1]
    assert f"http://plaza.test/ar/reports/{report.id}" in to_reporter.body_text
    assert "/ar/reports/stop/" in to_reporter.body_text and "/en/" not in to_reporter.body_text
    assert to_reporter.headers["List-Unsubscribe"].startswith("<http://plaza.test/ar/reports/stop/")
    to_fan = outbox_to("fan@example.org")[-1]
    assert f"http://plaza.test/fr/reports/{report.id}" in to_fan.body_text and "/en/" not in to_fan.body_text
    assert "/fr/reports/alerts/unsubscribe/" in to_fan.headers["List-Unsubscribe"]
    # The questionnaire, sent by a job with no request: the reporter's language too, with a stop link.
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 1
    q = outbox_to("layla@example.org")[-1]
    assert q.template == "reports/email/questionnaire.txt"
    assert "http://plaza.test/ar/reports/questionnaire/" in q.body_text and "/en/" not in q.body_text
    assert "/ar/reports/stop/" in q.body_text and "List-Unsubscribe" in q.headers


def test_questionnaire_is_not_sent_after_stop_these_emails(client, world):
    import datetime as dt

    from app.reports.questionnaire import send_due

    report = new_report(user=make_user(email="quiet@example.org"))
    assert svc.stop_reporter_emails(report)
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 0
    assert outbox_to("quiet@example.org") == []
    db.session.refresh(report)
    assert report.questionnaire_due_at is None


# -- 10: without JavaScript the chosen point can be refined on step 2 --------------------------
def test_step_two_map_is_clickable_and_moves_the_point(client, world):
    html = client.get("/en/reports/new?lat=50.5&lon=0.5").get_data(as_text=True)
    assert 'type="image" name="map"' in html and 'name="b" value="' in html
    box = re.search(r'name="b" value="([^"]+)"', html).group(1)
    assert "lat=50.500000" in html  # the pin of the chosen point is drawn on it
    resp = client.get(f"/en/reports/new?b={box}&map.x=200&map.y=120")
    assert resp.status_code == 303  # street level: a click is the new point at once
    lon = float(re.search(r"lon=([-\d.]+)", resp.location).group(1))
    assert 0.5 < lon < 0.51


# -- 17: a body's 400 is kept with its own words and not retried ------------------------------
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
            self.wfile.write(_json.dumps([{"code": str(answers["code"]),
                                           "description": "attribute[depth] is required"}]).encode())

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


# -- 20: a category change is public, tells the reporter, and moves the report to the new body --
def test_category_change_moves_the_report_and_is_told(client, runner, world):
    from .conftest import cli

    tmp = world["tmp"]
    (tmp / "b2.csv").write_text("id,name,classification,tags,area_codes,email,foi_email,website\n"
                                ",Parks Board,council,council,gss:X01,parks@north.example,,\n", encoding="utf-8")
    cli(runner, "directory", "import-bodies", str(tmp / "b2.csv"))
    (tmp / "c2.csv").write_text("body,category,email\nParks Board,Graffiti,graffiti@parks.example\n",
                                encoding="utf-8")
    cli(runner, "reports", "import-contacts", str(tmp / "c2.csv"))
    from app.directory import services as directory

    found, _ = directory.search_bodies(q="Parks Board", limit=5)
    parks = found[0].id
    client.post("/en/reports/alerts", data={"kind": "body", "target": str(parks), "email": "parkfan@example.org"})
    alert = db.session.scalar(select(Alert).where(Alert.email == "parkfan@example.org"))
    client.get(f"/en/reports/alerts/confirm/{alert.token}")
    report = new_report(category="potholes", user=make_user(email="rep20@example.org"), title="Spray paint")
    assert report.body_ids == [world["north"]]
    sign_in(client, make_user(email="adm20@example.org", role="admin"))
    resp = client.post(f"/en/admin/reports/{report.id}", data={"state": report.state, "category": "graffiti"})
    assert resp.status_code == 303
    db.session.refresh(report)
    assert report.body_ids == [parks]
    assert outbox_to("graffiti@parks.example")  # sent to the new body
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Category changed from Potholes to Graffiti" in page
    told = outbox_to("rep20@example.org")[-1]
    assert "Category changed from Potholes to Graffiti" in told.body_text
    assert any("Spray paint" in m.body_text for m in outbox_to("parkfan@example.org"))
    # North's staff no longer manage it.
    sign_in(client, make_user(email="nstaff@example.org", role="staff", staff_of=[world["north"]]))
    assert client.post(f"/en/admin/reports/{report.id}", data={"state": "fixed - council"}).status_code == 403


# -- 22, 15: reopen and "me too" only where they make sense; the body is linked ------------------
def test_reopen_and_me_too_rules(client, world):
    from app.reports.models import Update

    reporter = make_user(email="owner@example.org")
    report = new_report(user=reporter, title="Fixed lamp")
    svc.set_state(report, "fixed - council")
    db.session.commit()
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert 'name="reopen"' not in page  # a signed-out visitor is not offered to reopen
    assert f'href="/en/reports/body/{world["north"]}"' in page or "Not sent yet" in page
    resp = client.post(f"/en/reports/{report.id}/update", data={"text": "Still dark", "reopen": "y",
                                                                "name": "X", "email": "stranger@example.org"})
    assert resp.status_code == 422
    assert "Only the person who reported the problem can reopen it." in resp.get_data(as_text=True)
    assert db.session.scalar(select(Update).where(Update.text == "Still dark")) is None
    # With the reporter's own email it waits for the emailed link, then reopens.
    resp = client.post(f"/en/reports/{report.id}/update", data={"text": "Still dark", "reopen": "y",
                                                                "name": "O", "email": "owner@example.org"})
    assert resp.status_code == 303
    upd = db.session.scalar(select(Update).where(Update.text == "Still dark"))
    client.get(f"/en/reports/updates/confirm/{upd.token}")
    db.session.refresh(report)
    assert report.state == "confirmed"
    # The reporter cannot support their own report.
    sign_in(client, reporter)
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Me too" not in page
    client.post(f"/en/reports/{report.id}/support", data={})
    db.session.refresh(report)
    assert report.support_count == 0
    assert not svc.add_support(report, "OWNER@example.org")


def test_sent_to_links_the_bodys_report_list(app, client, world, smtp):
    report = new_report(user=make_user(), title="Linked body")
    deliver(app, smtp)
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert f'Sent to <a href="/en/reports/body/{world["north"]}">North Council</a>' in page


def test_area_page_report_link_opens_the_map_on_that_area(client, world):
    from app.areas import services as areas

    area = areas.search_places("Northtown", limit=1)[0]
    page = client.get(f"/en/areas/{area.area_id}").get_data(as_text=True)
    link = re.search(r'<a href="(/en/reports/new\?b=[^"]+)">Report a problem', page).group(1)
    box = [float(x) for x in link.split("b=")[1].replace("%2C", ",").split(",")]
    assert box[0] < 0 and box[2] > 1
    assert f'/en/reports/area/{area.area_id}#alerts' in page


# -- 13: requests.json does not query per row ---------------------------------------------------
def test_requests_list_queries_do_not_grow_with_rows(client, world):
    from sqlalchemy import event

    def count_queries(n):
        for i in range(n):
            new_report(user=make_user(email=f"u{n}-{i}@example.org"), title=f"R{n}-{i}")
        seen = []

        def hook(*_a, **_k):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", hook)
        try:
            resp = client.get("/open311/v2/requests.json")
        finally:
            event.remove(db.engine, "before_cursor_execute", hook)
        assert resp.status_code == 200
        return len(seen), len(resp.get_json())

    few, rows_few = count_queries(2)
    many, rows_many = count_queries(10)
    assert rows_many == rows_few + 10
    assert many <= few + 2, (few, many)
