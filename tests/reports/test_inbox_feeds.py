"""A body's replies by email (only the reply published; bounces and strangers held), Atom feeds, the menu, the alert distance."""

from __future__ import annotations

import dataclasses
import re
import xml.dom.minidom
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from app.core.mail import InboxMessage, OutboxMessage, reply_address
from app.core.mail import inbox as core_inbox
from app.extensions import db
from app.reports import operations as svc
from app.reports import settings
from app.reports.models import Alert, Update

from .conftest import make_user, sign_in
from .test_routing_follow import new_report, outbox_to

ATOM = "{http://www.w3.org/2005/Atom}"


def raw_mail(to, message_id, text, frm="lights@north.example"):
    return (
        f"From: North Council <{frm}>\r\nTo: {to}\r\nSubject: Re: Broken lamp\r\n"
        f"Message-ID: <{message_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n" + text
    ).encode("utf-8")


def receive(runner, raw, *recipients):
    args = ["mail", "receive"] + [x for r in recipients for x in ("--recipient", r)]
    return runner.invoke(args=args, input=raw)


def body_updates(report):
    return list(db.session.scalars(select(Update).where(Update.report_id == report.id, Update.kind == "body")))


def test_reply_from_the_body_becomes_a_public_update_once(client, runner, world):
    reporter = make_user(email="rep@example.org")
    report = new_report(user=reporter)
    to = reply_address("report", report.id)
    raw = raw_mail(
        to, "r1@north.example", "Our crew will replace the lamp on Tuesday.\r\n\r\n> Broken lamp\r\n> Dark at night\r\n"
    )
    result = receive(runner, raw, to)
    assert result.exit_code == 0, result.output
    assert "processed" in result.output
    [upd] = body_updates(report)
    assert upd.text == "Our crew will replace the lamp on Tuesday." and upd.is_public
    assert upd.body_id == world["north"] and upd.external_id == "mail:<r1@north.example>"
    row = db.session.scalar(select(InboxMessage))
    assert row.status == "processed" and row.handled_by == "reports"
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Our crew will replace the lamp on Tuesday." in page and "Dark at night" in page
    assert "Update from the body responsible" in page
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "rep@example.org")).all()[-1]
    assert "replace the lamp on Tuesday" in mail.body_text
    # The same Message-ID again: stored once, one update.
    again = receive(runner, raw, to)
    assert again.exit_code == 0 and "Already stored" in again.output
    # Processing the stored message a second time (an admin's redelivery) adds nothing either.
    assert core_inbox.redeliver(row.id) == "processed"
    assert len(body_updates(report)) == 1
    # Found through the To: header as well, without an envelope recipient.
    other = raw_mail(to, "r2@north.example", "Done: the lamp works again.")
    assert receive(runner, other).exit_code == 0
    assert [u.text for u in body_updates(report)] == [
        "Our crew will replace the lamp on Tuesday.",
        "Done: the lamp works again.",
    ]


def test_reply_with_a_wrong_code_waits_in_the_holding_pen(runner, world):
    report = new_report(user=make_user())
    good = reply_address("report", report.id)
    local, domain = good.split("@")
    code = local.rsplit("-", 1)[1]
    wrong = f"report-{report.id}-{'0' * 8 if code != '0' * 8 else 'f' * 8}@{domain}"
    result = receive(runner, raw_mail(wrong, "bad@north.example", "Fixed it."), wrong)
    assert result.exit_code == 0, result.output
    row = db.session.scalar(select(InboxMessage))
    assert row.status == "holding" and row.suggestion == f"report {report.id}"
    assert body_updates(report) == []
    # An unknown report with a right code is held too.
    ghost = reply_address("report", 999999)
    receive(runner, raw_mail(ghost, "ghost@north.example", "Hello"), ghost)
    held = db.session.scalars(select(InboxMessage).where(InboxMessage.status == "holding")).all()
    assert len(held) == 2 and held[-1].suggestion == "report 999999"


def test_atom_feeds_are_valid_and_escape_user_text(client, world):
    tricky = 'Lamp <b>&amp; pole</b> "bent"'
    report = new_report(title=tricky, user=make_user())
    upd = Update(report_id=report.id, kind="public", text="Still <i>dark</i> & cold", confirmed_at=report.created_at)
    db.session.add(upd)
    db.session.commit()
    for url in (
        "/en/reports/feed.atom",
        f"/en/reports/{report.id}/feed.atom",
        f"/en/reports/feed.atom?body={world['north']}",
        "/en/reports/feed.atom?lat=50.5&lon=0.5",
    ):
        resp = client.get(url)
        assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("application/atom+xml")
        text = resp.get_data(as_text=True)
        assert "<b>" not in text and "<i>" not in text, url
        root = ET.fromstring(resp.data)  # well-formed XML or this raises
        assert root.tag == f"{ATOM}feed"
        for tag in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{tag}") is not None and root.find(f"{ATOM}{tag}").text
        entries = root.findall(f"{ATOM}entry")
        assert entries, url
        for entry in entries:
            assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}link").get("href").startswith("http")
            assert re.search(r"(Z|[+-]\d\d:\d\d)$", entry.find(f"{ATOM}updated").text)
        titles = [e.find(f"{ATOM}title").text for e in entries]
        if "/reports/feed.atom" in url:  # lists: one entry per report, by its title
            assert tricky in titles, url  # the exact text comes back after XML parsing
    one = ET.fromstring(client.get(f"/en/reports/{report.id}/feed.atom").data)
    assert one.find(f"{ATOM}title").text == tricky
    assert re.search(r"\d{4}", one.find(f"{ATOM}entry/{ATOM}title").text)  # an update is named by its date
    # Each list feed says what it follows.
    titled = {
        f"/en/reports/feed.atom?body={world['north']}": "Reports sent to North Council",
        "/en/reports/feed.atom?lat=50.5&lon=0.5": "Reports around a place",
        "/en/reports/feed.atom?category=potholes": "Reports · Potholes",
        "/en/reports/feed.atom": "Reports",
    }
    for url, title in titled.items():
        assert ET.fromstring(client.get(url).data).find(f"{ATOM}title").text == title, url
    assert one.find(f"{ATOM}entry/{ATOM}summary").text == "Still <i>dark</i> & cold"


def test_menu_has_reports_and_report_a_problem(client, world):
    html = client.get("/en/").get_data(as_text=True)
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert 'href="/en/reports/new">Report a problem</a>' in nav
    assert 'href="/en/reports/">Reports</a>' in nav


def test_near_here_alert_distance_comes_from_the_profile(client, app, world):
    html = client.get("/en/reports/?lat=50.5&lon=0.5").get_data(as_text=True)
    assert 'value="50.500000,0.500000,2000"' in html and "within 2 km of here" in html
    prof = app.extensions["plaza_profile"]
    try:
        app.extensions["plaza_profile"] = dataclasses.replace(prof, report_duplicate_distance_m=40)
        assert settings.alert_distance_m() == 800
        html = client.get("/en/reports/?lat=50.5&lon=0.5").get_data(as_text=True)
        assert 'value="50.500000,0.500000,800"' in html and "within 800 m of here" in html
        app.extensions["plaza_profile"] = dataclasses.replace(prof, report_duplicate_distance_m=5)
        assert settings.alert_distance_m() == settings.ALERT_DISTANCE_MIN_M
    finally:
        app.extensions["plaza_profile"] = prof
    sign_in(client, make_user(email="near@example.org"))
    client.post("/en/reports/alerts", data={"kind": "nearby", "target": "50.5,0.5,2000", "email": "near@example.org"})

    assert db.session.scalar(select(Alert)).radius_m == 2000


def test_banned_checks_go_through_accounts_services(app, world, monkeypatch):
    from app.accounts import services as accounts

    seen = []
    monkeypatch.setattr(accounts, "is_banned", lambda user_id=None, email=None: seen.append((user_id, email)) or True)
    report = new_report(email="anon@example.org")
    svc.confirm_report(report)
    assert report.state == "hidden" and seen == [(None, "anon@example.org")]


def _receive(runner, raw, to):
    result = runner.invoke(args=["mail", "receive", "--recipient", to], input=raw)
    assert result.exit_code == 0, result.output
    return result


def _mail(to, mid, text, frm="Officer <officer@north.example>", subject="RE: Problem report"):
    return (
        f"From: {frm}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{mid}>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + text.replace("\n", "\r\n")
    ).encode("utf-8")


def _body_updates(report):
    from app.reports.models import Update

    return list(
        db.session.scalars(
            select(Update).where(Update.report_id == report.id, Update.kind == "body").order_by(Update.id)
        )
    )


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
    outlook = (
        "We will send a crew on Tuesday.\n\nRegards, Highways\n\n"
        "From: Plaza <noreply@plaza.test>\nSent: 03 March 2025 10:00\nTo: Highways\n"
        "Subject: Problem report\n\n" + sent.body_text
    )
    _receive(runner, _mail(to, "o1@north.example", outlook), to)
    original = (
        "Mended today. Call 02920 000000 or write to roads.team@north.example.\n\n"
        "-----Original Message-----\n" + sent.body_text
    )
    _receive(runner, _mail(to, "o2@north.example", original), to)
    pasted = "Duplicate of an older job, closing here.\n\n" + sent.body_text  # no header at all
    _receive(runner, _mail(to, "o3@north.example", pasted), to)
    texts = [u.text for u in _body_updates(report)]
    assert texts == [
        "We will send a crew on Tuesday.\n\nRegards, Highways",
        "Mended today. Call 02920 000000 or write to […].",
        "Duplicate of an older job, closing here.",
    ]
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    feed = client.get(f"/en/reports/{report.id}/feed.atom").get_data(as_text=True)
    for text in (page, feed):
        assert "layla2@example.org" not in text and "Reported by" not in text
        assert "We will send a crew on Tuesday." in text
    fan_mails = [m for m in db.session.scalars(select(OutboxMessage)) if m.to_addr == "layla2@example.org"]
    assert fan_mails and all("Reported by" not in m.body_text for m in fan_mails)


@pytest.mark.shared_data
def test_bounce_auto_reply_and_stranger_are_not_published(runner, world, shared_data):
    from app.core.mail import InboxMessage, reply_address

    report = _anon_report()
    to = reply_address("report", report.id)
    mail = shared_data / "mail" / "alaveteli"
    _receive(runner, (mail / "track-response-exim-bounce.eml").read_bytes(), to)
    _receive(runner, (mail / "track-response-outlook-oof.eml").read_bytes(), to)
    _receive(
        runner,
        _mail(to, "x1@elsewhere.example", "It is fixed, trust me.", frm="Prankster <joker@elsewhere.example>"),
        to,
    )
    assert _body_updates(report) == []
    rows = {r.message_id: r for r in db.session.scalars(select(InboxMessage))}
    held = sorted(r.note for r in rows.values() if r.status == "holding")
    assert held == [
        "a report's mail to a body bounced: check the body's address",
        "reply to a report address from an address that is not the body's",
    ]
    assert outbox_to("layla2@example.org") == [] or all(
        "trust me" not in m.body_text and "Mail delivery" not in m.body_text for m in outbox_to("layla2@example.org")
    )
    # The body's own address is accepted, and so is another mailbox at its domain.
    _receive(runner, _mail(to, "ok@north.example", "On it.", frm="lights@north.example"), to)
    assert [u.text for u in _body_updates(report)] == ["On it."]
    assert _body_updates(report)[0].body_id == world["north"]


def test_atom_feed_honours_category_and_strips_xml_illegal_characters(client, world):
    user = make_user()
    new_report(user=user, title="Lamp \x01bad\x0b title", category="street-lights")
    new_report(user=user, title="Hole in road", category="potholes")
    body = client.get("/en/reports/feed.atom?category=potholes").get_data(as_text=True)
    assert "Hole in road" in body and "Lamp" not in body
    doc = xml.dom.minidom.parseString(client.get("/en/reports/feed.atom").data)  # well-formed
    titles = [t.firstChild.data for t in doc.getElementsByTagName("title")]
    assert "Lamp bad title" in titles
