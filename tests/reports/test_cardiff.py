"""An Arabic, no-JavaScript report in Cardiff confirmed by email, sent to the council by SMTP, fixed by its staff; the 14 KB budget; the questionnaire."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from helpers import CARDIFF, WALES
from sqlalchemy import select

from app.core.mail import send_pending
from app.extensions import db
from app.reports.models import Report

from .conftest import cli, make_user, sign_in


def test_cardiff_end_to_end_in_arabic(mail_app, smtp, tmp_path):
    runner = mail_app.test_cli_runner()
    cli(
        runner,
        "areas",
        "import-geojson",
        str(WALES / "lad.json"),
        "--type",
        "UTA",
        "--name-field",
        "LAD13NM",
        "--name-field-cy",
        "LAD13NMW",
        "--code-field",
        "LAD13CD",
        "--code-scheme",
        "gss",
        "--type-name",
        "Council",
        "--level",
        "1",
    )
    (tmp_path / "b.csv").write_text(
        "id,name,name:cy,classification,tags,area_codes,email,foi_email,website\n"
        ",Cardiff Council,Cyngor Caerdydd,council,council,gss:W06000015,"
        "contact@cardiff.example,,\n",
        encoding="utf-8",
    )
    cli(runner, "directory", "import-bodies", str(tmp_path / "b.csv"))
    (tmp_path / "c.csv").write_text(
        "body,category,email\nCardiff Council,Fly-tipping,flytipping@cardiff.example\n", encoding="utf-8"
    )
    cli(runner, "reports", "import-contacts", str(tmp_path / "c.csv"))
    client = mail_app.test_client()
    lat, lon = CARDIFF
    page = client.get(f"/ar/reports/new?q={lat}%2C{lon}")
    assert page.status_code == 303
    what = client.get(page.location).get_data(as_text=True)
    assert 'dir="rtl"' in what and "Fly-tipping" in what
    resp = client.post(
        "/ar/reports/new",
        data={
            "lat": f"{lat}",
            "lon": f"{lon}",
            "category": "fly-tipping",
            "title": "نفايات ملقاة في الشارع",
            "detail": "أكياس كثيرة قرب الحديقة",
            "name": "ليلى",
            "email": "layla@example.org",
        },
    )
    assert resp.status_code == 303
    fan = client.post(
        "/ar/reports/alerts",
        data={"kind": "area", "target": str(db.session.scalar(select(Report)).area_ids[0]), "email": "fan@example.org"},
    )
    assert fan.status_code == 303
    send_pending()
    by_to = {m["to"][0]: m for m in smtp.messages}
    confirm = re.search(
        r"http://plaza.test(/ar/reports/confirm/\S+)", smtp.body(smtp.messages.index(by_to["layla@example.org"]))
    ).group(1)
    alert_link = re.search(
        r"http://plaza.test(/ar/reports/alerts/confirm/\S+)", smtp.body(smtp.messages.index(by_to["fan@example.org"]))
    ).group(1)
    client.get(alert_link)
    client.get(confirm)
    report = db.session.scalar(select(Report))
    assert report.state == "confirmed"
    smtp.clear()
    send_pending()
    got = {m["to"][0]: m for m in smtp.messages}
    assert "flytipping@cardiff.example" in got and "fan@example.org" in got
    to_body = got["flytipping@cardiff.example"]["message"].get_body(("plain",)).get_content()
    assert "نفايات ملقاة في الشارع" in to_body and "Cardiff" in to_body
    from app.directory import services as directory

    [body] = directory.search_bodies(q="Cardiff Council")[0]
    staff = make_user(email="staff@cardiff.example", name="Staff", role="staff", staff_of=[body.id])
    sign_in(client, staff)
    resp = client.post(
        f"/en/admin/reports/{report.id}",
        data={"state": "fixed - council", "category": "fly-tipping", "text": "Cleared today"},
    )
    assert resp.status_code == 303
    smtp.clear()
    send_pending()
    got = {m["to"][0]: m for m in smtp.messages}
    assert "Cleared today" in got["layla@example.org"]["message"].get_body(("plain",)).get_content()
    db.session.refresh(report)
    assert report.state == "fixed - council"


def test_report_pages_stay_under_14kb_gzip(client, world):
    from app.reports import operations as svc

    user = make_user()
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="T" * 120,
        detail="D" * 3000,
        lat=50.5,
        lon=0.5,
        name="N",
        email=user.email,
        show_name=True,
        language="en",
        user=user,
    )
    db.session.commit()
    css = (Path(client.application.static_folder) / "css" / "plaza.css").read_bytes()
    for url in (
        "/en/reports/",
        "/en/reports/new",
        "/en/reports/new?lat=50.5&lon=0.5",
        "/en/reports/new?lat=50.5&lon=0.5&category=potholes&new=1",
        f"/en/reports/{report.id}",
    ):
        html = client.get(url).data
        size = len(gzip.compress(html + css))
        assert size < 14 * 1024, (url, size)


def test_questionnaire_after_four_weeks_reopens_when_not_fixed(client, world):
    import datetime as dt

    from app.core.mail import OutboxMessage
    from app.reports import operations as svc
    from app.reports.questionnaire import send_due

    user = make_user(email="q@example.org")
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="Hole",
        detail="",
        lat=50.5,
        lon=0.5,
        name="Q",
        email=user.email,
        show_name=False,
        language="en",
        user=user,
    )
    svc.set_state(report, "fixed - council")
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 1 and send_due() == 0
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "q@example.org")).all()[-1]
    link = re.search(r"http://plaza.test(/en/reports/questionnaire/[^?\s]+)", mail.body_text).group(1)
    assert client.post(link, data={}).status_code == 422
    assert client.post(link, data={"answer": "no", "text": "Still there"}).status_code == 303
    db.session.refresh(report)
    assert report.state == "confirmed"
    assert "Still there" in client.get(f"/en/reports/{report.id}").get_data(as_text=True)
