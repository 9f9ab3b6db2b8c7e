"""Public pages fixes: list paging and filters, feeds, the questionnaire, reporter emails,
confirmed "me too", oversized ids, translated messages, map clicks and valid HTML."""

from __future__ import annotations

import datetime as dt
import re
import xml.dom.minidom

from sqlalchemy import select

from app.core.mail import OutboxMessage
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Report

from .conftest import make_user, sign_in
from .test_routing_follow import new_report


def _titles(html):
    return re.findall(r'dir="auto">(Lamp \d+)</a>', html)


def test_body_list_pages_once_and_keeps_filters(client, world):
    user = make_user()
    for i in range(46):
        new_report(user=user, title=f"Lamp {i}")
    fixed = db.session.scalars(select(Report).where(Report.title.in_(["Lamp 1", "Lamp 2"]))).all()
    for r in fixed:
        svc.set_state(r, "fixed")
    db.session.commit()
    seen = []
    url = f"/en/reports/body/{world['north']}"
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += _titles(html)
        found = re.search(r'id="more"><a class="button secondary" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert len(seen) == 46 and len(set(seen)) == 46
    html = client.get(f"/en/reports/body/{world['north']}?status=open").get_data(as_text=True)
    assert 'name="status"' in html and 'name="category"' in html
    more = re.search(r'id="more"><a class="button secondary" href="([^"]+)"', html).group(1)
    assert "status=open" in more
    open_seen, url = [], f"/en/reports/body/{world['north']}?status=open"
    while url:
        page = client.get(url).get_data(as_text=True)
        open_seen += _titles(page)
        found = re.search(r'id="more"><a class="button secondary" href="([^"]+)"', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert len(set(open_seen)) == len(open_seen) == 44 and "Lamp 1" not in open_seen
    area = svc.find_category("street-lights") and new_report(user=user, title="Lamp area").area_ids[0]
    html = client.get(f"/en/reports/area/{area}?category=potholes").get_data(as_text=True)
    assert "Lamp" not in html.split("<h1>")[1].split("Atom feed")[0]


def test_around_a_place_form_keeps_the_location(client, world):
    new_report(user=make_user(), title="Lamp 1")
    html = client.get("/en/reports/?lat=50.5&lon=0.5").get_data(as_text=True)
    assert 'name="lat" value="50.500000"' in html and 'name="lon" value="0.500000"' in html
    # A typed place wins over the kept location.
    html = client.get("/en/reports/?lat=10&lon=10&q=50.5%2C0.5").get_data(as_text=True)
    assert "Lamp 1" in html


def test_atom_feed_honours_category_and_strips_xml_illegal_characters(client, world):
    user = make_user()
    new_report(user=user, title="Lamp \x01bad\x0b title", category="street-lights")
    new_report(user=user, title="Hole in road", category="potholes")
    body = client.get("/en/reports/feed.atom?category=potholes").get_data(as_text=True)
    assert "Hole in road" in body and "Lamp" not in body
    doc = xml.dom.minidom.parseString(client.get("/en/reports/feed.atom").data)  # well-formed
    titles = [t.firstChild.data for t in doc.getElementsByTagName("title")]
    assert "Lamp bad title" in titles


def test_form_input_drops_xml_illegal_characters(client, world):
    sign_in(client, make_user())
    client.post("/en/reports/new", data={"lat": "50.5", "lon": "0.5", "category": "potholes",
                                         "title": "Hole\x01 here", "detail": "deep\x0b one", "name": "A",
                                         "email": "user@example.org"})
    report = db.session.scalar(select(Report))
    assert report.title == "Hole here" and report.detail == "deep one"


def test_not_fixed_answer_tells_the_body_once(client, world):
    from app.reports.questionnaire import send_due

    user = make_user(email="q@example.org")
    report = new_report(user=user, title="Hole", category="potholes")
    svc.set_state(report, "fixed - council")
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 1
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "q@example.org")).all()[-1]
    link = re.search(r"http://plaza.test(/en/reports/questionnaire/[^?\s]+)", mail.body_text).group(1)
    assert client.post(link, data={"answer": "no"}).status_code == 303
    to_body = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_addr == "potholes@north.example", OutboxMessage.subject.contains("Update"))).all()
    assert len(to_body) == 1


def test_no_questionnaire_without_an_email(app, world):
    from app.reports.questionnaire import send_due

    report = new_report(user=make_user(), title="Hole", category="potholes")
    report.email = ""
    report.questionnaire_due_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert send_due() == 0
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "")) is None
    db.session.refresh(report)
    assert report.questionnaire_due_at is None


def test_reporter_update_emails_have_a_working_stop_link(client, world):
    reporter = make_user(email="rep@example.org")
    report = new_report(user=reporter)
    staff = make_user(email="staff@north.example", role="staff", staff_of=[world["north"]])
    sign_in(client, staff)
    client.post(f"/en/admin/reports/{report.id}", data={"state": "investigating", "category": "street-lights",
                                                        "text": "Looking at it"})
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "rep@example.org")).all()
    link = re.search(r"Stop these emails: http://plaza.test(/en/reports/stop/\S+)", mail.body_text).group(1)
    anon = client.application.test_client()
    assert "Unsubscribe" in anon.get(link).get_data(as_text=True)  # a GET only asks
    assert "no longer get emails" in anon.post(link).get_data(as_text=True)
    assert anon.get(link[:-3] + "xyz").status_code == 404
    client.post(f"/en/admin/reports/{report.id}", data={"state": "investigating", "category": "street-lights",
                                                        "text": "Fixed tomorrow"})
    assert len(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_addr == "rep@example.org")).all()) == 1


def test_signed_out_support_counts_only_after_the_emailed_link(client, world):
    report = new_report(user=make_user())
    client.post(f"/en/reports/{report.id}/support", data={"email": "fan@example.org"})
    db.session.refresh(report)
    assert report.support_count == 0
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "fan@example.org"))
    link = re.search(r"http://plaza.test(/en/reports/support/confirm/\S+)", mail.body_text).group(1)
    assert client.get(link).status_code == 303 and client.get(link).status_code == 303
    db.session.refresh(report)
    assert report.support_count == 1
    assert client.get(link[:-4] + "abcd").status_code == 404
    assert "add your support" in client.get("/en/reports/check-email?kind=support").get_data(as_text=True)


def test_oversized_ids_are_404_not_500(client, world):
    big = "99999999999999999999"
    for url in (f"/en/reports/{big}", f"/en/reports/{big}/feed.atom", f"/en/reports/body/{big}",
                f"/en/reports/area/{big}", f"/en/reports/feed.atom?body={big}"):
        assert client.get(url).status_code in (200, 404), url
    sign_in(client, make_user(role="moderator"))
    assert client.get(f"/en/admin/reports/{big}").status_code == 404
    assert client.get(f"/en/admin/reports/?area={big}").status_code == 200


def test_photo_errors_and_map_label_are_translated(client, world):
    from app.reports.photos import PHOTO_MESSAGES

    assert all(type(m).__name__ == "LazyString" for m in PHOTO_MESSAGES.values())
    html = client.get("/ar/reports/new").get_data(as_text=True)
    assert 'aria-label="' in html


def test_report_page_has_unique_ids(client, world):
    report = new_report(user=make_user())
    html = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids


def test_impossible_map_clicks_are_clamped_with_a_message(client, world):
    # (A click on such wide maps zooms in around the clamped point: the box stays on the globe.)
    resp = client.get("/en/reports/new?b=-180,-90,180,90&map.x=0&map.y=0")
    assert resp.status_code == 303
    box = [float(x) for x in resp.location.split("b=")[1].replace("%2C", ",").split(",")]
    assert -180 <= box[0] < box[2] <= 180 and -90 <= box[1] < box[3] <= 90
    resp = client.get("/en/reports/new?b=0,50,1,51&map.x=1e308&map.y=5")
    assert resp.status_code in (303, 422)
    if resp.status_code == 303:
        box = [float(x) for x in resp.location.split("b=")[1].replace("%2C", ",").split(",")]
        assert 0 <= (box[0] + box[2]) / 2 <= 1.0001


def test_three_legal_photos_fit_the_request_limit(app):
    from app.reports import photos as P
    from app.reports.photos import MAX_PHOTOS, upload_limit

    assert upload_limit() >= MAX_PHOTOS * P.MAX_PHOTO_BYTES


def test_signed_out_reporter_manages_through_the_emailed_link(client, world):
    from .test_flow import details

    client.post("/en/reports/new", data=details())
    report = db.session.scalar(select(Report))
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == report.email))
    manage = re.search(r"http://plaza.test(/en/reports/manage/\S+)", mail.body_text).group(1)
    stranger = client.application.test_client()
    assert stranger.post(f"/en/reports/{report.id}/name", data={"show_name": "1"}).status_code in (403, 404)
    client.get(re.search(r"http://plaza.test(/en/reports/confirm/\S+)", mail.body_text).group(1))
    other = client.application.test_client()  # another browser, with only the manage link
    assert other.post(f"/en/reports/{report.id}/removal", data={"reason": "x"}).status_code == 403
    assert other.get(manage).status_code == 303
    assert "Ask for removal" in other.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert other.post(f"/en/reports/{report.id}/removal", data={"reason": "wrong place"}).status_code == 303
    db.session.refresh(report)
    assert report.removal_reason == "wrong place"
    assert other.get(manage[:-3] + "abc").status_code == 404


def test_map_shows_pins_at_the_default_zoom(client, world):
    new_report(user=make_user(), title="Pinned lamp")
    svg = client.get("/en/reports/map.svg?b=-10,40,10,60").get_data(as_text=True)
    assert "Pinned lamp" in svg


def test_413_page_links_back_to_the_same_place_and_category(app_factory, world):
    import io

    from .test_flow import details

    client = app_factory(REPORTS_MAX_UPLOAD=2000).test_client()
    form = client.get("/en/reports/new?lat=50.5&lon=0.5&category=potholes&new=1").get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+)"', form).group(1).replace("&amp;", "&")
    assert "lat=50.5" in action and "category=potholes" in action
    data = dict(details(), photos=[(io.BytesIO(b"x" * 5000), "big.jpg")])
    resp = client.post(action, data=data, content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "lat=50.500000" in resp.get_data(as_text=True) and "category=potholes" in resp.get_data(as_text=True)


def test_a_bodys_page_lists_its_reports_and_links_all_of_them(client, world):
    user = make_user(email="org-page@example.org")
    report = svc.create_report(category=svc.find_category("potholes"), title="Hole by the bakery", detail="",
                               lat=50.5, lon=0.5, name="", email=user.email, show_name=False, language="en",
                               user=user)
    svc.confirm_report(report)
    db.session.commit()
    html = client.get(f"/en/organisations/{world['north']}").get_data(as_text=True)
    assert "Problem reports" in html and "Hole by the bakery" in html
    assert f'href="/en/reports/body/{world["north"]}"' in html and f'/en/reports/body/{world["north"]}#alerts' in html
    south = client.get(f"/en/organisations/{world['south']}").get_data(as_text=True)
    assert "Problem reports" in south and "No reports sent here yet." in south and "Hole by the bakery" not in south
