"""Open311 fixes: keys tied to a body for servicerequestupdates, text that round-trips, ids and
codes that never give a 500, XML without illegal characters, localised service names."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from app.extensions import db
from app.reports import operations as svc
from app.reports.models import ApiKey, Report, Send, Update

from .conftest import make_user, sign_in

B = "/open311/v2"
TEXT = "حفرة عميقة قرب المدرسة\nTwll yn y ffordd ŵ ŷ â\n\nAil baragraff — الفقرة الثانية"


@pytest.fixture
def keys(app, world):
    """A reporting app's key, and back-end keys of North and South councils."""
    made = {}
    for name, body in (("app", None), ("north", world["north"]), ("south", world["south"])):
        row, key = svc.create_api_key(f"{name} client")
        row.body_id = body
        made[name] = key
    db.session.commit()
    return made


def post(client, key, fmt="json", **data):
    base = {"api_key": key, "service_code": "potholes", "lat": "50.5", "long": "0.5",
            "description": "Hole", "email": "c@example.org", "first_name": "Cai"}
    base.update(data)
    return client.post(f"{B}/requests.{fmt}", data={k: v for k, v in base.items() if v is not None})


def push(client, key, rid, fmt="json", **extra):
    data = {"api_key": key, "service_request_id": rid, "update_id": "u1", "status": "closed",
            "updated_datetime": "2025-01-02T10:00:00Z", "description": "Mended",
            "external_status_code": "fixed - council"}
    data.update(extra)
    return client.post(f"{B}/servicerequestupdates.{fmt}", data=data)


def errors_of(resp):
    if resp.headers["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(resp.data)
        assert root.tag == "errors"
        return [(e.findtext("code"), e.findtext("description")) for e in root.findall("error")]
    return [(e["code"], e["description"]) for e in resp.get_json()]


# -- G3: only the body's own key may push updates ------------------------------------------
def test_only_a_key_of_one_of_the_reports_bodies_may_push_updates(client, keys, world):
    rid = post(client, keys["app"]).get_json()[0]["service_request_id"]  # routed to North Council
    for who in ("app", "south"):
        r = push(client, keys[who], rid)
        assert r.status_code == 403
        [(code, text)] = errors_of(r)
        assert code == "403" and "may not update" in text
        r = push(client, keys[who], rid, fmt="xml")
        assert r.status_code == 403 and errors_of(r)[0][0] == "403"
    report = db.session.get(Report, int(rid))
    assert report.state == "confirmed" and db.session.scalar(select(Update)) is None
    r = push(client, keys["north"], rid)
    assert r.status_code == 200
    db.session.refresh(report)
    assert report.state == "fixed - council"
    upd = db.session.scalar(select(Update))
    assert upd.body_id == world["north"] and upd.text == "Mended"


def test_a_body_key_finds_the_report_by_the_bodys_own_id(client, keys, world):
    rid = int(post(client, keys["app"]).get_json()[0]["service_request_id"])
    send = db.session.scalar(select(Send).where(Send.report_id == rid))
    send.external_id = "NC-5"
    db.session.commit()
    assert push(client, keys["south"], "NC-5").status_code == 404  # not South's id
    assert push(client, keys["north"], "NC-5", status="open", external_status_code="in progress").status_code == 200
    assert db.session.get(Report, rid).state == "in progress"


def test_admin_issues_a_key_for_a_body(client, world):
    sign_in(client, make_user(email="admin@example.org", role="admin"))
    page = client.get("/en/admin/reports/open311-keys/").get_data(as_text=True)
    assert "North Council" in page and "A reporting app (new reports only)" in page
    r = client.post("/en/admin/reports/open311-keys/", data={"name": "North back office", "body": str(world["north"])})
    assert r.status_code == 201
    row = db.session.scalar(select(ApiKey))
    assert row.body_id == world["north"]
    html = r.get_data(as_text=True)
    assert "North back office" in html and html.count("North Council") >= 2  # the table and the choice
    assert client.post("/en/admin/reports/open311-keys/", data={"name": "X", "body": "999"}).status_code == 422
    r = client.post("/en/admin/reports/open311-keys/", data={"name": "App", "body": ""})
    assert r.status_code == 201
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "App")).body_id is None


def test_cli_issues_a_key_for_a_body(app, runner, world):
    out = runner.invoke(args=["reports", "open311-key", "create", "South backend", "--body", "South Council"])
    assert out.exit_code == 0, out.output
    row = db.session.scalar(select(ApiKey))
    assert row.body_id == world["south"] and "South Council" in out.output
    out = runner.invoke(args=["reports", "open311-key", "create", "By id", "--body", str(world["north"])])
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "By id")).body_id == world["north"]
    bad = runner.invoke(args=["reports", "open311-key", "create", "Nobody", "--body", "No Such Council"])
    assert bad.exit_code != 0 and "Unknown body" in bad.output
    assert db.session.scalar(select(ApiKey).where(ApiKey.name == "Nobody")) is None


# -- G2: text round-trips unchanged ---------------------------------------------------------
def test_arabic_and_welsh_text_round_trips_unchanged(client, keys):
    rid = post(client, keys["app"], description=TEXT).get_json()[0]["service_request_id"]
    got = client.get(f"{B}/requests/{rid}.json").get_json()[0]
    assert got["description"] == TEXT
    root = ET.fromstring(client.get(f"{B}/requests/{rid}.xml").data)
    assert root.findtext("request/description") == TEXT
    listed = {x["service_request_id"]: x for x in client.get(f"{B}/requests.json").get_json()}
    assert listed[rid]["description"] == TEXT
    report = db.session.get(Report, int(rid))
    assert report.title == "حفرة عميقة قرب المدرسة"


def test_web_reports_give_title_then_detail(client, keys):
    cat = svc.find_category("potholes")
    report = svc.create_report(category=cat, title="Twll", detail="Mawr iawn", lat=50.5, lon=0.5, name="",
                               email="w@example.org", show_name=False, language="en", user=make_user())
    db.session.commit()
    assert client.get(f"{B}/requests/{report.id}.json").get_json()[0]["description"] == "Twll\n\nMawr iawn"


# -- G21: ids never give a 500 ------------------------------------------------------------------
HUGE = "99999999999999999999999"
BIG = str(2**40)  # past PostgreSQL's 32-bit INTEGER ids


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_oversized_and_odd_ids_are_not_found(client, keys, fmt):
    for rid in (HUGE, BIG, "²", "0", "-1", "1%00"):
        r = client.get(f"{B}/requests/{rid}.{fmt}")
        assert r.status_code == 404 and errors_of(r)[0][0] == "404"
    r = client.get(f"{B}/requests.{fmt}?service_request_id={HUGE},{BIG},²")
    assert r.status_code == 200
    assert (r.get_json() == []) if fmt == "json" else ET.fromstring(r.data).findall("request") == []
    for rid in (HUGE, BIG):
        r = push(client, keys["north"], rid, fmt=fmt)
        assert r.status_code == 404 and errors_of(r)[0][0] == "404"
    assert client.get(f"{B}/tokens/a%00b.{fmt}").status_code == 404
    assert client.get(f"{B}/services/pot%00holes.{fmt}").status_code == 404
    r = client.get(f"{B}/requests.{fmt}?start_date=0001-01-01T00:00:00%2B05:00")
    assert r.status_code == 400 and errors_of(r)[0][0] == "400"


def test_nul_and_control_characters_in_a_post_are_dropped(client, keys):
    r = post(client, keys["app"], description="Hole\x00 in\x01 the\x0b road\ttab", first_name="Ca\x00i",
             address_string="1 High St\x1f")
    assert r.status_code == 200, r.get_data(as_text=True)
    report = db.session.get(Report, int(r.get_json()[0]["service_request_id"]))
    assert report.detail == "Hole in the road\ttab" and report.name == "Cai" and report.address == "1 High St"


# -- G11: the XML output is always well-formed -------------------------------------------------
def test_xml_lists_skip_characters_xml_forbids(client, keys):
    cat = svc.find_category("potholes")
    report = svc.create_report(category=cat, title="Bad\x01 title", detail="Text\x0b with\x1b controls",
                               lat=50.5, lon=0.5, name="", email="w@example.org", show_name=False,
                               language="en", user=make_user())
    db.session.commit()
    assert "\x0b" in report.detail  # stored as typed by the web form; only the output is cleaned
    root = ET.fromstring(client.get(f"{B}/requests.xml").data)
    [item] = [e for e in root.findall("request") if e.findtext("service_request_id") == str(report.id)]
    assert item.findtext("description") == "Bad title\n\nText with controls"
    ET.fromstring(client.get(f"{B}/requests/{report.id}.xml").data)


# -- G22 / G13: localised service names, the agency in its own language ------------------------
def test_service_name_follows_locale_and_agency_is_in_the_bodys_language(client, keys, world):
    from app.directory.models import OtherName

    db.session.add(OtherName(organisation_id=world["north"], name="مجلس الشمال", lang="ar"))
    db.session.commit()
    rid = post(client, keys["app"], service_code="street-lights").get_json()[0]["service_request_id"]
    assert client.get(f"{B}/requests/{rid}.json").get_json()[0]["service_name"] == "Street lights"
    cy = client.get(f"{B}/requests/{rid}.json?locale=cy").get_json()[0]
    assert cy["service_name"] == "Goleuadau stryd" and cy["agency_responsible"] == "North Council"
    listed = client.get(f"{B}/requests.json?locale=cy").get_json()
    assert {x["service_name"] for x in listed} == {"Goleuadau stryd"}
    # Reported from an Arabic page: the body's name stays in the body's language.
    sign_in(client, make_user(email="ar@example.org"))
    r = client.post("/ar/reports/new", data={"lat": "50.5", "lon": "0.5", "category": "potholes",
                                             "title": "حفرة", "detail": "كبيرة", "name": "ليلى"})
    assert r.status_code == 303
    report = db.session.scalar(select(Report).where(Report.title == "حفرة"))
    assert [s.body_name for s in report.sends] == ["North Council"]
    got = client.get(f"{B}/requests/{report.id}.json").get_json()[0]
    assert got["agency_responsible"] == "North Council"


def test_get_resources_are_readable_from_other_sites_but_posts_are_not(client, keys):
    for url in (f"{B}/services.json", f"{B}/requests.xml", f"{B}/discovery.json"):
        assert client.get(url).headers.get("Access-Control-Allow-Origin") == "*", url
    r = post(client, keys["app"], description="Hole")
    assert r.status_code == 200 and "Access-Control-Allow-Origin" not in r.headers
