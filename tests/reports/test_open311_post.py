"""Open311 POST of requests: attribute values and field lengths checked as on the web form, control characters dropped, text unchanged."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Report

from .open311_helpers import B, post


def _open311_post(client, key, **data):
    base = {
        "api_key": key,
        "service_code": "potholes",
        "lat": "50.5",
        "long": "0.5",
        "description": "Hole",
        "email": "c@example.org",
    }
    base.update(data)
    return client.post("/open311/v2/requests.json", data=base)


def test_open311_refuses_bad_attribute_values_and_too_long_fields(client, world):
    cat = svc.find_category("potholes")
    cat.attributes = [
        {"code": "depth", "datatype": "number", "required": False, "description": "How deep (cm)?"},
        {"code": "when", "datatype": "datetime", "required": False, "description": "When?"},
        {
            "code": "side",
            "datatype": "singlevaluelist",
            "required": False,
            "description": "Side",
            "values": [{"key": "left", "name": "Left"}, {"key": "right", "name": "Right"}],
        },
        {"code": "note", "datatype": "string", "required": False, "description": "Note"},
    ]
    db.session.commit()
    _row, key = svc.create_api_key("client")
    db.session.commit()
    cases = [
        ({"attribute[depth]": "nan"}, "attribute[depth] must be a number"),
        ({"attribute[depth]": "1e999"}, "attribute[depth] must be a number"),
        ({"attribute[when]": "garbage"}, "attribute[when] must be a W3C datetime"),
        ({"attribute[side]": ["left", "right"]}, "attribute[side] must be one of the values allowed"),
        ({"attribute[note]": "x" * 2001}, "attribute[note] is longer than 2000 characters"),
        ({"address_string": "a" * 301}, "address_string is longer than 300 characters"),
        ({"phone": "1" * 51}, "phone is longer than 50 characters"),
        ({"email": "a" * 250 + "@example.org"}, "email is longer than 254 characters"),
        ({"email": "not an address"}, "email is not a valid email address"),
    ]
    for data, message in cases:
        resp = _open311_post(client, key, **data)
        assert resp.status_code == 400, data
        assert message in [e["description"] for e in resp.get_json()], (data, resp.get_json())
    assert db.session.query(Report).count() == 0
    good = _open311_post(
        client,
        key,
        **{
            "attribute[depth]": "12.5",
            "attribute[when]": "2025-01-02T10:00",
            "attribute[side]": "left",
            "attribute[note]": "by the bus stop",
            "address_string": "1 High St",
            "phone": "01234 567890",
        },
    )
    assert good.status_code == 200, good.get_json()
    report = db.session.get(Report, int(good.get_json()[0]["service_request_id"]))
    assert report.attributes == {"depth": "12.5", "when": "2025-01-02T10:00", "side": "left", "note": "by the bus stop"}
    assert report.address == "1 High St" and report.phone == "01234 567890"


TEXT = "حفرة عميقة قرب المدرسة\nTwll yn y ffordd ŵ ŷ â\n\nAil baragraff — الفقرة الثانية"


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


def test_nul_and_control_characters_in_a_post_are_dropped(client, keys):
    r = post(
        client,
        keys["app"],
        description="Hole\x00 in\x01 the\x0b road\ttab",
        first_name="Ca\x00i",
        address_string="1 High St\x1f",
    )
    assert r.status_code == 200, r.get_data(as_text=True)
    report = db.session.get(Report, int(r.get_json()[0]["service_request_id"]))
    assert report.detail == "Hole in the road\ttab" and report.name == "Cai" and report.address == "1 High St"
