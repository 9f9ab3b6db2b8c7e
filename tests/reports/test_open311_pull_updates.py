"""GET servicerequestupdates: FixMyStreet sends a report, staff change it, and its pull of status changes finds the change."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from app.extensions import db
from app.reports import operations as svc

from .conftest import make_user, sign_in

B = "/open311/v2"


def _key(body=None):
    row, key = svc.create_api_key("FixMyStreet")
    row.body_id = body
    db.session.commit()
    return key


def _send(client, key, **extra):
    data = {"api_key": key, "service_code": "potholes", "lat": "50.5", "long": "0.5", "description": "Deep hole"}
    data.update(extra)
    resp = client.post(f"{B}/requests.json", data=data)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()[0]["service_request_id"]


def _window():
    now = dt.datetime.now(dt.UTC)
    fmt = "%Y-%m-%dT%H:%M:%SZ"  # what FixMyStreet's W3CDTF formatter writes
    return (now - dt.timedelta(hours=2)).strftime(fmt), (now + dt.timedelta(minutes=1)).strftime(fmt)


def test_fixmystreet_sends_a_report_then_pulls_the_staff_change(client, world):
    key = _key(world["north"])
    rid = _send(client, key)
    start, end = _window()
    query = {"api_key": key, "start_date": start, "end_date": end}
    assert client.get(f"{B}/servicerequestupdates.xml", query_string=query).data.endswith(
        b"<service_request_updates></service_request_updates>"
    )
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    sign_in(client, staff)
    resp = client.post(
        f"/en/admin/reports/{rid}", data={"state": "fixed - council", "category": "potholes", "text": "Filled"}
    )
    assert resp.status_code == 303
    resp = client.get(f"{B}/servicerequestupdates.xml", query_string=query)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(resp.data)
    assert root.tag == "service_request_updates"
    [item] = root.findall("request_update")
    got = {child.tag: child.text or "" for child in item}
    assert got["service_request_id"] == rid and got["status"] == "closed"
    assert got["description"] == "Filled" and got["external_status_code"] == "fixed"
    assert got["media_url"] == "" and got["update_id"].isdigit()
    assert start <= got["updated_datetime"].replace("+00:00", "Z") <= end
    [as_json] = client.get(f"{B}/servicerequestupdates.json", query_string=query).get_json()
    assert as_json == got
    # Outside the window, nothing; the window's end before its start is an error.
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (
        client.get(
            f"{B}/servicerequestupdates.json", query_string=dict(query, start_date=later, end_date=later + "")
        ).get_json()
        == []
    )
    resp = client.get(f"{B}/servicerequestupdates.json", query_string=dict(query, start_date=end, end_date=start))
    assert resp.status_code == 400 and resp.get_json()[0]["code"] == "400"


def test_each_key_sees_only_its_own_reports_changes(client, world):
    north, south, app_key, other_app = _key(world["north"]), _key(world["south"]), _key(), _key()
    rid = _send(client, app_key)
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    sign_in(client, staff)
    client.post(f"/en/admin/reports/{rid}", data={"state": "in progress", "category": "potholes"})
    seen = {}
    for name, key in (("north", north), ("south", south), ("app", app_key), ("other", other_app)):
        resp = client.get(f"{B}/servicerequestupdates.json", query_string={"api_key": key})
        assert resp.status_code == 200
        seen[name] = [(u["service_request_id"], u["status"], u["external_status_code"]) for u in resp.get_json()]
    assert seen == {
        "north": [(rid, "open", "in_progress")],
        "south": [],
        "app": [(rid, "open", "in_progress")],
        "other": [],
    }
    resp = client.get(f"{B}/servicerequestupdates.json", query_string={"api_key": "nope"})
    assert resp.status_code == 403 and resp.get_json()[0]["code"] == "403"
