"""The no-JavaScript reporting flow (where → what → details): map clicks, photos and their limits, confirmation."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports.models import Photo, Report, Supporter

from .conftest import deliver, make_user, sign_in
from .test_routing_follow import new_report


def details(**over):
    data = {
        "lat": "50.500000",
        "lon": "0.500000",
        "category": "potholes",
        "title": "Deep pothole",
        "detail": "By the school gate",
        "name": "Ana Reporter",
        "email": "ana@example.org",
    }
    data.update(over)
    return data


def test_where_place_search_lists_places_and_coordinates_jump(client, world):
    html = client.get("/en/reports/new?q=north").get_data(as_text=True)
    # An area found by name opens the map on that area (its point is then clicked), not its centroid.
    assert "Northtown" in html and "lat=50.5" not in html
    link = re.search(r'<a href="(/en/reports/new\?b=[^"]+)">Northtown', html).group(1)
    box = [float(x) for x in link.split("b=")[1].replace("%2C", ",").split(",")]
    assert box[0] < 0 and box[2] > 1 and box[1] <= 50 and box[3] >= 51  # the whole of Northtown
    assert f'name="b" value="{link.split("b=")[1].replace("%2C", ",")}"' in html  # the clickable map too
    resp = client.get("/en/reports/new?q=50.5%2C+0.5")
    assert resp.status_code == 303 and "lat=50.500000" in resp.location and "lon=0.500000" in resp.location
    resp = client.get("/en/reports/new?q=Atlantis")
    assert resp.status_code == 422 and "No place matches" in resp.get_data(as_text=True)


def test_where_map_click_turns_into_coordinates(client, world):
    page = client.get("/en/reports/new").get_data(as_text=True)
    assert 'type="image" name="map"' in page and "data-geolocate data-error=" in page
    assert "Zoom in" in page
    # A click on a wide map zooms in around the click; on a street-level map it is the point.
    resp = client.get("/en/reports/new?b=0,50,1,51&map.x=160&map.y=120")
    assert resp.status_code == 303 and "lat=" not in resp.location and "b=" in resp.location
    for _ in range(5):
        box = resp.location.split("b=")[1].replace("%2C", ",")
        resp = client.get(f"/en/reports/new?b={box}&map.x=160&map.y=120")
        assert resp.status_code == 303
        if "lat=" in resp.location:
            break
    assert "lat=" in resp.location
    lat = float(re.search(r"lat=([-\d.]+)", resp.location).group(1))
    lon = float(re.search(r"lon=([-\d.]+)", resp.location).group(1))
    assert abs(lat - 50.5) < 0.05 and abs(lon - 0.5) < 0.05
    svg = client.get("/en/reports/map.svg?b=0,50,1,51")
    assert svg.mimetype == "image/svg+xml" and b"<path" in svg.data


def test_point_outside_every_body_gets_a_clear_message(client, world):
    resp = client.get("/en/reports/new?lat=10&lon=10")
    assert resp.status_code == 422
    assert "Nobody receives reports for this place" in resp.get_data(as_text=True)


def test_what_offers_the_categories_of_the_bodies_there(client, world):
    html = client.get("/en/reports/new?lat=50.5&lon=0.5").get_data(as_text=True)
    assert "Potholes" in html and "Street lights" in html
    html = client.get("/en/reports/new?lat=49.5&lon=0.5").get_data(as_text=True)
    assert "Potholes" in html and "Street lights" not in html
    html = client.get("/en/reports/new?lat=50.5&lon=0.5&category=potholes").get_data(as_text=True)
    assert 'name="title"' in html and 'value="potholes"' in html


def test_signed_out_report_is_unconfirmed_until_the_link(app, client, world, smtp):
    resp = client.post("/en/reports/new", data=details())
    assert resp.status_code == 303 and "check-email" in resp.location
    report = db.session.scalar(select(Report))
    assert report.state == "unconfirmed" and report.show_name is False
    assert client.get(f"/en/reports/{report.id}").status_code == 404
    assert "Deep pothole" not in client.get("/en/reports/").get_data(as_text=True)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "ana@example.org"))
    link = re.search(r"http://plaza.test(/en/reports/confirm/\S+)", mail.body_text).group(1)
    assert client.get(link).status_code == 303
    db.session.refresh(report)
    assert report.state == "confirmed" and report.sent_at is not None
    sent = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "potholes@north.example"))
    assert sent is not None and "Deep pothole" in sent.body_text
    # A second click (or a mail scanner's) is harmless: no second send.
    assert client.get(link).status_code == 303
    n = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.to_addr == "potholes@north.example")
    )
    assert n == 1
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "Deep pothole" in page and "Ana Reporter" not in page  # name hidden by default
    assert "Not sent yet" in page  # the mail is still in the outbox
    deliver(app, smtp)
    assert re.search(
        r"Sent to <a href=\"/en/reports/body/\d+\">North Council</a>",
        client.get(f"/en/reports/{report.id}").get_data(as_text=True),
    )


def test_signed_in_confirmed_user_report_is_confirmed_at_once(client, world):
    sign_in(client, make_user())
    resp = client.post("/en/reports/new", data=details(email="ignored@example.org", show_name="y"))
    assert resp.status_code == 303
    report = db.session.scalar(select(Report))
    assert report.state == "confirmed" and report.email == "user@example.org"
    assert "Ana Reporter" in client.get(f"/en/reports/{report.id}").get_data(as_text=True)


def test_validation_keeps_values_and_stores_nothing(client, world):
    resp = client.post("/en/reports/new", data=details(title="", email="not-an-email"))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Please give the problem a short summary." in html and "By the school gate" in html
    assert "Please give a valid email address." in html
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_category_not_offered_at_the_point_is_refused(client, world):
    resp = client.post("/en/reports/new", data=details(lat="49.5", category="street-lights"))
    assert resp.status_code == 303 and resp.location.endswith("/en/reports/new")
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def jpeg_with_gps_and_rotation() -> bytes:
    img = Image.new("RGB", (60, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "CameraMaker"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 28.0, 0.0)
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def test_photos_are_reencoded_without_exif_and_rotated(client, world, app):
    data = details()
    data["photos"] = [(io.BytesIO(jpeg_with_gps_and_rotation()), "p.jpg"), (io.BytesIO(b"not an image"), "x.jpg")]
    resp = client.post("/en/reports/new", data=data, content_type="multipart/form-data")
    assert resp.status_code == 422  # the bad one is refused; the good one is kept for the retry
    assert "JPEG, PNG or WebP" in resp.get_data(as_text=True)
    resp = client.post("/en/reports/new", data=details(), content_type="multipart/form-data")
    assert resp.status_code == 303
    report = db.session.scalar(select(Report))
    photo = db.session.scalar(select(Photo))
    assert photo.report_id == report.id
    report.state = "confirmed"
    db.session.commit()
    for size in ("full", "thumb"):
        got = client.get(f"/en/reports/photos/{photo.key}/{size}.jpg")
        assert got.status_code == 200 and got.mimetype == "image/jpeg"
        img = Image.open(io.BytesIO(got.data))
        assert not img.getexif() and "exif" not in img.info
        assert img.height > img.width  # orientation applied
    assert b"CameraMaker" not in client.get(f"/en/reports/photos/{photo.key}/full.jpg").data


def test_upload_over_the_limit_gets_a_clear_413_page(app_factory, world):
    small = app_factory(MAX_CONTENT_LENGTH=2000, REPORTS_MAX_UPLOAD=2000)
    client = small.test_client()
    data = details()
    data["photos"] = [(io.BytesIO(b"x" * 5000), "big.jpg")]
    resp = client.post("/en/reports/new", data=data, content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "Your upload is too large" in resp.get_data(as_text=True)


@pytest.fixture
def open_report(app, world):
    user = make_user(email="first@example.org")
    from app.reports import operations as svc

    cat = svc.find_category("potholes")
    report = svc.create_report(
        category=cat,
        title="Existing hole",
        detail="",
        lat=50.5003,
        lon=0.5002,
        name="First",
        email=user.email,
        show_name=False,
        language="en",
        user=user,
    )
    db.session.commit()
    return report


def test_possible_duplicates_offer_me_too_and_follow(client, open_report):
    html = client.get("/en/reports/new?lat=50.5&lon=0.5&category=potholes").get_data(as_text=True)
    assert "Is it one of these?" in html and "Existing hole" in html and "Me too" in html
    assert "Follow it" in html and "new=1" in html
    resp = client.post(f"/en/reports/{open_report.id}/support", data={"email": "b@example.org"})
    assert resp.status_code == 303
    client.post(f"/en/reports/{open_report.id}/support", data={"email": "B@example.org"})
    db.session.refresh(open_report)
    assert open_report.support_count == 0  # signed out: counted once the emailed link is followed
    for mail in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "b@example.org")):
        client.get(re.search(r"http://plaza.test(/en/reports/support/confirm/\S+)", mail.body_text).group(1))
    db.session.refresh(open_report)
    assert open_report.support_count == 1
    assert db.session.scalar(select(func.count()).select_from(Supporter)) == 1
    html = client.get("/en/reports/new?lat=50.5&lon=0.5&category=potholes&new=1").get_data(as_text=True)
    assert 'name="title"' in html


def test_step_two_map_is_clickable_and_moves_the_point(client, world):
    html = client.get("/en/reports/new?lat=50.5&lon=0.5").get_data(as_text=True)
    assert 'type="image" name="map"' in html and 'name="b" value="' in html
    box = re.search(r'name="b" value="([^"]+)"', html).group(1)
    assert "lat=50.500000" in html  # the pin of the chosen point is drawn on it
    resp = client.get(f"/en/reports/new?b={box}&map.x=200&map.y=120")
    assert resp.status_code == 303  # street level: a click is the new point at once
    lon = float(re.search(r"lon=([-\d.]+)", resp.location).group(1))
    assert 0.5 < lon < 0.51


def test_impossible_map_clicks_are_clamped_with_a_message(client, world):
    # (A click on such wide maps zooms in around the clamped point: the box stays on the globe.)
    resp = client.get("/en/reports/new?b=-180,-90,180,90&map.x=0&map.y=0")
    assert resp.status_code == 303
    box = [float(x) for x in resp.location.split("b=")[1].replace("%2C", ",").split(",")]
    assert -180 <= box[0] < box[2] <= 180 and -90 <= box[1] < box[3] <= 90
    resp = client.get("/en/reports/new?b=0,50,1,51&map.x=1e308&map.y=5")
    assert resp.status_code == 303
    if resp.status_code == 303:
        box = [float(x) for x in resp.location.split("b=")[1].replace("%2C", ",").split(",")]
        assert 0 <= (box[0] + box[2]) / 2 <= 1.0001


def test_map_shows_pins_at_the_default_zoom(client, world):
    new_report(user=make_user(), title="Pinned lamp")
    svg = client.get("/en/reports/map.svg?b=-10,40,10,60").get_data(as_text=True)
    assert "Pinned lamp" in svg


def test_form_input_drops_xml_illegal_characters(client, world):
    sign_in(client, make_user())
    client.post(
        "/en/reports/new",
        data={
            "lat": "50.5",
            "lon": "0.5",
            "category": "potholes",
            "title": "Hole\x01 here",
            "detail": "deep\x0b one",
            "name": "A",
            "email": "user@example.org",
        },
    )
    report = db.session.scalar(select(Report))
    assert report.title == "Hole here" and report.detail == "deep one"


def test_photo_errors_and_map_label_are_translated(client, world):
    from app.reports.photos import PHOTO_MESSAGES

    assert all(type(m).__name__ == "LazyString" for m in PHOTO_MESSAGES.values())
    html = client.get("/ar/reports/new").get_data(as_text=True)
    assert 'aria-label="' in html


def test_three_legal_photos_fit_the_request_limit(app):
    from app.reports import photos as P
    from app.reports.photos import MAX_PHOTOS, upload_limit

    assert upload_limit() >= MAX_PHOTOS * P.MAX_PHOTO_BYTES


def test_413_page_links_back_to_the_same_place_and_category(app_factory, world):
    import io

    client = app_factory(REPORTS_MAX_UPLOAD=2000).test_client()
    form = client.get("/en/reports/new?lat=50.5&lon=0.5&category=potholes&new=1").get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+)"', form).group(1).replace("&amp;", "&")
    assert "lat=50.5" in action and "category=potholes" in action
    data = dict(details(), photos=[(io.BytesIO(b"x" * 5000), "big.jpg")])
    resp = client.post(action, data=data, content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "lat=50.500000" in resp.get_data(as_text=True) and "category=potholes" in resp.get_data(as_text=True)
