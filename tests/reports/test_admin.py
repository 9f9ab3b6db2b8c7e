"""Staff handle only their body's reports (state, category, filters, CSV, dashboard); moderators re-categorise; moderation is logged."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.core.profile import current_profile
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Alert, ModerationLog, Report, Update

from .conftest import cli, make_user, sign_in
from .test_routing_follow import new_report, outbox_to


def test_staff_change_state_and_category_only_for_their_body(client, world):
    north_staff = make_user(email="staff@north.example", name="North Staff", role="staff", staff_of=[world["north"]])
    south_staff = make_user(email="staff@south.example", name="South Staff", role="staff", staff_of=[world["south"]])
    reporter = make_user(email="rep@example.org")
    report = new_report(user=reporter)
    sign_in(client, south_staff)
    assert client.get(f"/en/admin/reports/{report.id}").status_code == 403
    resp = client.post(f"/en/admin/reports/{report.id}", data={"state": "fixed - council", "category": "potholes"})
    assert resp.status_code == 403
    assert "Broken lamp" not in client.get("/en/admin/reports/").get_data(as_text=True)
    assert b"Broken lamp" not in client.get("/en/admin/reports/export.csv").data
    db.session.refresh(report)
    assert report.state == "confirmed"
    sign_in(client, north_staff)
    assert "Broken lamp" in client.get("/en/admin/reports/").get_data(as_text=True)
    resp = client.post(
        f"/en/admin/reports/{report.id}",
        data={
            "state": "fixed - council",
            "category": "street-lights",
            "text": "Replaced the bulb",
            "note": "internal: contractor 12",
        },
    )
    assert resp.status_code == 303
    db.session.refresh(report)
    assert report.state == "fixed - council"
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Replaced the bulb" in page and "contractor 12" not in page and "Fixed by the council" in page
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "rep@example.org")).all()[-1]
    assert "Replaced the bulb" in mail.body_text
    csv_text = client.get("/en/admin/reports/export.csv?state=fixed+-+council").get_data(as_text=True)
    assert "Broken lamp" in csv_text and csv_text.startswith("\ufeffid,title")  # BOM: UTF-8 for spreadsheets
    import csv
    import io

    [row] = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert row["body_names"] == "North Council" and row["areas"] == "Northtown"
    assert row["url"] == f"http://plaza.test/en/reports/{report.id}"


def test_citizens_cannot_open_staff_pages(client, world):
    sign_in(client, make_user())
    assert client.get("/en/admin/reports/").status_code == 403


def test_moderator_hides_and_bans_with_a_logged_reason(client, world):
    mod = make_user(email="mod@example.org", name="Mod", role="moderator")
    abuser = make_user(email="bad@example.org", name="Bad")
    report = new_report(user=abuser, title="Rude words")
    sign_in(client, mod)
    resp = client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": "hide", "reason": ""})
    db.session.refresh(report)
    assert report.state == "confirmed"  # no reason, nothing done
    client.post(f"/en/admin/reports/{report.id}/moderate", data={"action": "ban", "reason": "abuse"})
    db.session.refresh(report)
    assert report.state == "hidden" and abuser.banned_at is not None
    log = db.session.scalar(select(ModerationLog))
    assert log.action == "ban" and log.reason == "abuse" and log.user_id == mod.id and log.created_at
    client2 = client.application.test_client()
    assert client2.get(f"/en/reports/{report.id}").status_code == 410
    assert "Rude words" not in client2.get("/en/reports/").get_data(as_text=True)
    # A banned user's new report is hidden and never sent.
    later = new_report(user=db.session.get(type(abuser), abuser.id), title="Again")
    assert later.state == "hidden" and later.sends == []
    assert resp.status_code == 303
    db.session.add(Update(report_id=report.id, text="x", kind="public"))
    db.session.commit()
    assert db.session.scalar(select(Report).where(Report.title == "Again")).state == "hidden"


def test_staff_see_where_when_and_who_to_contact(client, world):
    staff = make_user(email="desk@north.example", name="North Desk", role="staff", staff_of=[world["north"]])
    report = new_report(user=make_user(email="rep2@example.org"), category="potholes")
    report.phone = "+44 29 2087 2000"
    db.session.commit()
    sign_in(client, staff)
    client.post(
        f"/en/admin/reports/{report.id}",
        data={"state": "investigating", "category": "potholes", "text": "Inspector booked"},
    )
    html = client.get(f"/en/admin/reports/{report.id}").get_data(as_text=True)
    assert "<svg" in html and "Northtown" in html  # the map and the areas at the point
    assert 'href="mailto:rep2@example.org"' in html and "+44 29 2087 2000" in html and "<bdi>Rhian</bdi>" in html
    assert "Name not shown publicly" in html
    update_meta = html.split("Inspector booked")[0].rsplit('<p class="small muted">', 1)[1]
    assert "North Desk" in update_meta and "Investigating" in update_meta
    public = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "rep2@example.org" not in public and "2087 2000" not in public


def test_moderators_recategorise_to_any_category_at_the_point(client, runner, world):
    tmp = world["tmp"]
    (tmp / "b2.csv").write_text(
        "id,name,classification,tags,area_codes,email,foi_email,website\n"
        ",East Agency,agency,,gss:X01,info@east.example,,\n",
        encoding="utf-8",
    )
    cli(runner, "directory", "import-bodies", str(tmp / "b2.csv"))
    (tmp / "c2.csv").write_text("body,category,email\nEast Agency,Graffiti,graffiti@east.example\n", encoding="utf-8")
    cli(runner, "reports", "import-contacts", str(tmp / "c2.csv"))
    report = new_report(user=make_user())  # street lights: North Council only
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    sign_in(client, staff)
    page = client.get(f"/en/admin/reports/{report.id}").get_data(as_text=True)
    assert 'value="potholes"' in page and 'value="graffiti"' not in page
    assert (
        client.post(f"/en/admin/reports/{report.id}", data={"state": "confirmed", "category": "graffiti"}).status_code
        == 422
    )
    mod = make_user(email="mod@example.org", role="moderator")
    sign_in(client, mod)
    assert 'value="graffiti"' in client.get(f"/en/admin/reports/{report.id}").get_data(as_text=True)
    assert (
        client.post(f"/en/admin/reports/{report.id}", data={"state": "confirmed", "category": "graffiti"}).status_code
        == 303
    )
    db.session.refresh(report)
    assert report.category.code == "graffiti"
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "graffiti@east.example"))


def test_admin_filters_area_inclusive_dates_paging_and_sql_body_filter(client, app, world):
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    user = make_user()
    for i in range(105):
        new_report(user=user, title=f"North {i}")
    south = new_report(user=user, title="South one", category="potholes", lat=49.5)
    sign_in(client, staff)
    page = client.get("/en/admin/reports/").get_data(as_text=True)
    assert "105 reports" in page and "South one" not in page and 'name="area"' in page
    assert "Northtown" in page and "Next page" in page and page.count("/en/admin/reports/") > 100
    page2 = client.get(re.search(r'href="([^"]*offset=100[^"]*)"', page).group(1).replace("&amp;", "&"))
    text = page2.get_data(as_text=True)
    assert "North 0<" in text and "North 104" not in text and "Previous page" in text
    # "to" takes in the whole day, in the profile's time zone.
    today = dt.datetime.now(dt.UTC).astimezone(__import__("zoneinfo").ZoneInfo(current_profile().timezone)).date()
    one_day = client.get(f"/en/admin/reports/?from={today}&to={today}").get_data(as_text=True)
    assert "105 reports" in one_day
    yesterday = today - dt.timedelta(days=1)
    assert "0 reports" in client.get(f"/en/admin/reports/?to={yesterday}").get_data(as_text=True)
    mod = make_user(email="mod@example.org", role="moderator")
    sign_in(client, mod)
    area_id = south.area_ids[0]
    only_south = client.get(f"/en/admin/reports/?area={area_id}").get_data(as_text=True)
    assert "1 report" in only_south and "South one" in only_south
    assert "1 report" in client.get(f"/en/admin/reports/?body={world['south']}").get_data(as_text=True)


def test_csv_export_escapes_formulas_and_keeps_arabic(client, world):
    new_report(user=make_user(), title='=HYPERLINK("http://evil")')
    new_report(user=make_user(email="a@example.org"), title="حفرة عميقة")
    sign_in(client, make_user(email="mod@example.org", role="moderator"))
    raw = client.get("/en/admin/reports/export.csv").data
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text and "حفرة عميقة" in text


def test_dashboard_names_are_translated_and_numbers_link_to_filtered_lists(client, world):
    new_report(user=make_user(), category="potholes")
    cat = svc.find_category("potholes")
    cat.names = dict(cat.names, ar="حفر في الطريق")
    db.session.commit()
    sign_in(client, make_user(email="admin@example.org", role="admin"))
    html = client.get("/ar/admin/").get_data(as_text=True)
    assert "حفر في الطريق" in html and "North Council" in html
    assert "category=potholes" in html and f"body={world['north']}" in html and "state=confirmed" in html
    assert "unsent=1" in html and "failed=1" in html
    assert db.session.scalar(select(Report.id))


def test_category_change_moves_the_report_and_is_told(client, runner, world):
    from .conftest import cli

    tmp = world["tmp"]
    (tmp / "b2.csv").write_text(
        "id,name,classification,tags,area_codes,email,foi_email,website\n"
        ",Parks Board,council,council,gss:X01,parks@north.example,,\n",
        encoding="utf-8",
    )
    cli(runner, "directory", "import-bodies", str(tmp / "b2.csv"))
    (tmp / "c2.csv").write_text("body,category,email\nParks Board,Graffiti,graffiti@parks.example\n", encoding="utf-8")
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
