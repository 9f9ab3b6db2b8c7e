"""Open311 input rules: unknown jurisdictions are 404, bad status and reversed dates are 400, line endings come back as LF in JSON and XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.extensions import db
from app.reports import operations as svc

B = "/open311/v2"


def _key():
    _, key = svc.create_api_key("client")
    db.session.commit()
    return key


def test_an_unknown_jurisdiction_is_not_found_and_ours_is_served(client, world):
    for path in ("services.json", "requests.json", "discovery.json"):
        resp = client.get(f"{B}/{path}", query_string={"jurisdiction_id": "elsewhere.example"})
        assert resp.status_code == 404, path
        assert resp.get_json() == [{"code": "404", "description": "jurisdiction_id elsewhere.example not found"}]
    resp = client.get(f"{B}/services.xml", query_string={"jurisdiction_id": "elsewhere.example"})
    assert resp.status_code == 404 and ET.fromstring(resp.data).findtext("error/code") == "404"
    resp = client.post(f"{B}/requests.json", data={"jurisdiction_id": "elsewhere.example", "api_key": _key()})
    assert resp.status_code == 404
    # This server's own (the host of SERVER_BASE_URL), or none at all.
    assert client.get(f"{B}/services.json", query_string={"jurisdiction_id": "plaza.test"}).status_code == 200
    assert client.get(f"{B}/services.json", query_string={"jurisdiction_id": ""}).status_code == 200


def test_a_bad_status_and_an_end_before_the_start_are_errors(client, world):
    resp = client.get(f"{B}/requests.json", query_string={"status": "foo"})
    assert resp.status_code == 400 and resp.get_json()[0]["code"] == "400"
    assert client.get(f"{B}/requests.json", query_string={"status": "open,closed"}).status_code == 200
    resp = client.get(
        f"{B}/requests.xml", query_string={"start_date": "2025-02-01T00:00:00Z", "end_date": "2025-01-01T00:00:00Z"}
    )
    assert resp.status_code == 400 and ET.fromstring(resp.data).findtext("error/description") == (
        "end_date is before start_date"
    )


def test_line_endings_are_stored_as_lf_and_read_the_same_in_json_and_xml(client, world):
    text = "Deep hole\r\nnear the school\rby the gate\n\r\nThanks"
    resp = client.post(
        f"{B}/requests.json",
        data={"api_key": _key(), "service_code": "potholes", "lat": "50.5", "long": "0.5", "description": text},
    )
    rid = resp.get_json()[0]["service_request_id"]
    want = "Deep hole\nnear the school\nby the gate\n\nThanks"
    [as_json] = client.get(f"{B}/requests/{rid}.json").get_json()
    as_xml = ET.fromstring(client.get(f"{B}/requests/{rid}.xml").data).findtext("request/description")
    assert as_json["description"] == want and as_xml == want
