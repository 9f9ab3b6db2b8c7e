"""Open311 POST: a client's media_url is kept and shown to staff as a link, and an address_string alone is placed by the areas' place search."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Report

from .conftest import make_user, sign_in

B = "/open311/v2"


def _post(client, fmt="json", **data):
    _, key = svc.create_api_key("client")
    db.session.commit()
    base = {"api_key": key, "service_code": "potholes", "description": "Hole"}
    base.update(data)
    return client.post(f"{B}/requests.{fmt}", data=base)


def test_media_url_is_stored_and_shown_to_staff_as_a_safe_link(client, world):
    url = "https://photos.example/p/1.jpg?a=1&b=2"
    resp = _post(client, lat="50.5", long="0.5", media_url=url)
    assert resp.status_code == 200
    report = db.session.get(Report, int(resp.get_json()[0]["service_request_id"]))
    assert report.media_url == url
    sign_in(client, make_user(email="staff@north.example", role="staff", staff_of=[world["north"]]))
    page = client.get(f"/en/admin/reports/{report.id}").get_data(as_text=True)
    assert '<a href="https://photos.example/p/1.jpg?a=1&amp;b=2" rel="noopener noreferrer nofollow" dir="ltr">' in page


def test_a_media_url_that_is_not_a_web_link_is_refused(client, world):
    for bad in ("javascript:alert(1)", "ftp://files.example/x", "https://", "https://x.example/" + "a" * 500):
        resp = _post(client, lat="50.5", long="0.5", media_url=bad)
        assert resp.status_code == 400, bad
        assert "media_url must be an http or https URL" in resp.get_json()[0]["description"]
    assert db.session.query(Report).count() == 0


def test_an_address_alone_is_placed_by_the_place_search(client, world):
    resp = _post(client, address_string="Northtown")
    assert resp.status_code == 200, resp.get_json()
    report = db.session.get(Report, int(resp.get_json()[0]["service_request_id"]))
    assert 50 <= report.lat <= 51 and 0 <= report.lon <= 1 and report.address == "Northtown"
    assert report.body_ids == [world["north"]]


def test_an_address_nobody_can_place_is_the_specs_error(client, world):
    for fmt in ("json", "xml"):
        resp = _post(client, fmt=fmt, address_string="Atlantis harbour")
        assert resp.status_code == 400
        if fmt == "xml":
            root = ET.fromstring(resp.data)
            assert root.tag == "errors" and root.findtext("error/code") == "400"
            text = root.findtext("error/description")
        else:
            [err] = resp.get_json()
            assert err["code"] == "400"
            text = err["description"]
        assert text == "lat and long, or an address_string this server can place, are required"
    assert db.session.query(Report).count() == 0
