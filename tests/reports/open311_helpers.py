"""What the Open311 tests share: the API's base path and small clients for its POST endpoints."""

from __future__ import annotations

import xml.etree.ElementTree as ET

B = "/open311/v2"


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


def push(client, key, rid, fmt="json", **extra):
    data = {
        "api_key": key,
        "service_request_id": rid,
        "update_id": "u1",
        "status": "closed",
        "updated_datetime": "2025-01-02T10:00:00Z",
        "description": "Mended",
        "external_status_code": "fixed - council",
    }
    data.update(extra)
    return client.post(f"{B}/servicerequestupdates.{fmt}", data=data)


def errors_of(resp):
    if resp.headers["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(resp.data)
        assert root.tag == "errors"
        return [(e.findtext("code"), e.findtext("description")) for e in root.findall("error")]
    return [(e["code"], e["description"]) for e in resp.get_json()]
