"""Open311 GeoReport v2 conformance, written from the specification (docs/api-open311.md)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Report

B = "/open311/v2"
ZONED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def api(app, world):
    cat = svc.find_category("street-lights")
    cat.attributes = [
        {
            "code": "pole",
            "datatype": "singlevaluelist",
            "required": True,
            "description": "Pole type",
            "values": [{"key": "wood", "name": "Wooden"}, {"key": "steel", "name": "Steel"}],
        }
    ]
    _row, key = svc.create_api_key("Test client")
    db.session.commit()
    return key


def post(client, key, fmt="json", **data):
    base = {
        "api_key": key,
        "service_code": "potholes",
        "lat": "50.5",
        "long": "0.5",
        "description": "Hole",
        "email": "c@example.org",
        "first_name": "Cai",
    }
    base.update(data)
    return client.post(f"{B}/requests.{fmt}", data={k: v for k, v in base.items() if v is not None})


def xml(resp):
    assert resp.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert resp.data.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(resp.data)


def test_discovery(client, api):
    j = client.get(f"{B}/discovery.json").get_json()
    assert j["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = xml(client.get(f"{B}/discovery.xml"))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None


def test_services_are_top_level_lists_with_string_codes(client, api):
    j = client.get(f"{B}/services.json")
    assert j.headers["Content-Type"].startswith("application/json")
    items = j.get_json()
    assert isinstance(items, list)
    by_code = {s["service_code"]: s for s in items}
    assert by_code["street-lights"]["metadata"] is True and by_code["potholes"]["metadata"] is False
    assert by_code["potholes"]["type"] == "realtime"
    cy = {s["service_code"]: s for s in client.get(f"{B}/services.json?locale=cy").get_json()}
    assert cy["potholes"]["service_name"] == "Tyllau yn y ffordd"
    root = xml(client.get(f"{B}/services.xml"))
    assert root.tag == "services" and {e.findtext("service_code") for e in root.findall("service")} >= {"potholes"}
    assert root.find("service/metadata").text in ("true", "false")


def test_service_definition_with_attributes(client, api):
    d = client.get(f"{B}/services/street-lights.json").get_json()
    assert d["service_code"] == "street-lights"
    [attr] = d["attributes"]
    assert attr["code"] == "pole" and attr["required"] is True and attr["datatype"] == "singlevaluelist"
    assert attr["values"] == [{"key": "wood", "name": "Wooden"}, {"key": "steel", "name": "Steel"}]
    root = xml(client.get(f"{B}/services/street-lights.xml"))
    assert root.tag == "service_definition" and root.find("attributes/attribute/values/value/key").text == "wood"
    missing = client.get(f"{B}/services/nope.json")
    assert missing.status_code == 404 and missing.get_json()[0]["code"] == "404"


def test_post_rules_403_400_404(client, api):
    r = post(client, None)
    assert r.status_code == 403 and r.get_json()[0]["description"]
    assert post(client, "wrong-key").status_code == 403
    r = post(client, api, service_code="")
    assert r.status_code == 400 and "service_code" in r.get_json()[0]["description"]
    assert post(client, api, service_code="unknown").status_code == 404
    assert post(client, api, lat=None, long=None).status_code == 400
    assert post(client, api, description="x" * 4001).status_code == 400
    r = post(client, api, service_code="street-lights")
    assert r.status_code == 400 and "pole" in r.get_json()[0]["description"]
    assert post(client, api, service_code="street-lights", **{"attribute[pole]": "plastic"}).status_code == 400
    assert post(client, api, lat="10", long="10").status_code == 400  # nobody covers it
    r = post(client, api, fmt="xml", service_code="")
    root = xml(r)
    assert r.status_code == 400 and root.tag == "errors" and root.find("error/code").text == "400"
    assert db.session.scalar(select(Report)) is None


def test_post_creates_a_confirmed_routed_report_and_round_trips_text(client, api):
    text = "حفرة كبيرة في الطريق — Twll mawr yn y ffordd ŵ ŷ"
    r = post(client, api, description=text, service_code="street-lights", **{"attribute[pole]": "steel"})
    assert r.status_code == 200
    [item] = r.get_json()
    assert isinstance(item["service_request_id"], str)
    report = db.session.get(Report, int(item["service_request_id"]))
    assert report.state == "confirmed" and report.attributes == {"pole": "steel"} and report.sent_at
    got = client.get(f"{B}/requests/{item['service_request_id']}.json").get_json()
    assert got[0]["description"].startswith(text) and got[0]["status"] == "open"
    assert ZONED.match(got[0]["requested_datetime"]) and got[0]["service_code"] == "street-lights"
    assert got[0]["agency_responsible"] == "North Council"
    root = xml(client.get(f"{B}/requests/{item['service_request_id']}.xml"))
    assert root.tag == "service_requests" and text in root.find("request/description").text
    assert client.get(f"{B}/requests/99999.json").status_code == 404
    tok = client.get(f"{B}/tokens/{report.token}.json").get_json()
    assert tok == [{"service_request_id": str(report.id), "token": report.token}]
    assert client.get(f"{B}/tokens/nope.xml").status_code == 404


def test_requests_filters_and_defaults(client, api):
    ids = [post(client, api, description=f"n{i}").get_json()[0]["service_request_id"] for i in range(3)]
    old = db.session.get(Report, int(ids[0]))
    old.created_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=120)
    closed = db.session.get(Report, int(ids[1]))
    svc.set_state(closed, "fixed - council")
    db.session.commit()
    got = [x["service_request_id"] for x in client.get(f"{B}/requests.json").get_json()]
    assert ids[0] not in got and set(ids[1:]) <= set(got)  # default: last 90 days
    got = [x["service_request_id"] for x in client.get(f"{B}/requests.json?status=closed&service_code=").get_json()]
    assert got == [ids[1]]
    got = client.get(f"{B}/requests.json?service_request_id={ids[0]}&status=closed").get_json()
    assert [x["service_request_id"] for x in got] == [ids[0]]  # the id overrides the other filters
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(days=200)).isoformat()
    got = [
        x["service_request_id"] for x in client.get(f"{B}/requests.json", query_string={"start_date": start}).get_json()
    ]
    assert ids[0] in got
    assert client.get(f"{B}/requests.json?start_date=yesterday").status_code == 400
    assert client.get(f"{B}/requests.json?service_code=street-lights").get_json() == []
    root = xml(client.get(f"{B}/requests.xml"))
    assert root.tag == "service_requests" and root.find("request/service_request_id").text in ids


def test_servicerequestupdates_push_state(client, api, world):
    rid = post(client, api).get_json()[0]["service_request_id"]
    row, body_key = svc.create_api_key("North back-end")
    row.body_id = world["north"]
    db.session.commit()
    data = {
        "api_key": body_key,
        "service_request_id": rid,
        "update_id": "u1",
        "status": "CLOSED",
        "updated_datetime": "2025-01-02T10:00:00+00:00",
        "description": "Filled in",
        "external_status_code": "fixed - council",
    }
    assert client.post(f"{B}/servicerequestupdates.json", data=dict(data, api_key="bad")).status_code == 403
    r = client.post(f"{B}/servicerequestupdates.json", data=data)
    assert r.status_code == 200
    client.post(f"{B}/servicerequestupdates.json", data=data)  # the same update twice is one update
    report = db.session.get(Report, int(rid))
    assert report.state == "fixed - council"
    assert client.get(f"/en/reports/{rid}").get_data(as_text=True).count("Filled in") == 1
    assert client.post(f"{B}/servicerequestupdates.json", data=dict(data, status="")).status_code == 400
