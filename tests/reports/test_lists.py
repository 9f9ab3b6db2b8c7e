"""Lists of reports: by body (each report once, filters kept across pages), by area, around a place; area and body pages link to them."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Report

from .conftest import make_user
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


def test_a_bodys_page_lists_its_reports_and_links_all_of_them(client, world):
    user = make_user(email="org-page@example.org")
    report = svc.create_report(
        category=svc.find_category("potholes"),
        title="Hole by the bakery",
        detail="",
        lat=50.5,
        lon=0.5,
        name="",
        email=user.email,
        show_name=False,
        language="en",
        user=user,
    )
    svc.confirm_report(report)
    db.session.commit()
    html = client.get(f"/en/organisations/{world['north']}").get_data(as_text=True)
    assert "Problem reports" in html and "Hole by the bakery" in html
    assert f'href="/en/reports/body/{world["north"]}"' in html and f"/en/reports/body/{world['north']}#alerts" in html
    south = client.get(f"/en/organisations/{world['south']}").get_data(as_text=True)
    assert "Problem reports" in south and "No reports sent here yet." in south and "Hole by the bakery" not in south


def test_area_page_report_link_opens_the_map_on_that_area(client, world):
    from app.areas import services as areas

    area = areas.search_places("Northtown", limit=1)[0]
    page = client.get(f"/en/areas/{area.area_id}").get_data(as_text=True)
    link = re.search(r'<a href="(/en/reports/new\?b=[^"]+)">Report a problem', page).group(1)
    box = [float(x) for x in link.split("b=")[1].replace("%2C", ",").split(",")]
    assert box[0] < 0 and box[2] > 1
    assert f"/en/reports/area/{area.area_id}#alerts" in page
