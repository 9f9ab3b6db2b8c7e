"""One rule for "who represents this place" (issue #13): a whole council lists every area
sharing part of it and is "wide", a point is not; the directory page and the write form give
the same people; other components add links beside each representative."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from directory_helpers import CARDIFF

from app.areas import services as areas_services
from app.directory import services as directory

CARDIFF_MEMBERS = {"Jenny Rathbone", "Mark Drakeford", "Vaughan Gething", "Julie Morgan"}


def _council(name="Cardiff"):
    found = [a for a in areas_services.find_areas_by_name(name) if a.type == "UTA"]
    assert len(found) == 1, found
    return found[0]


def test_a_council_point_and_list_of_areas(wales):
    council = _council()
    whole = directory.representatives_for(area_id=council.id)
    names = {r.person_name for r in whole.representatives}
    assert CARDIFF_MEMBERS | {"Andrew R. T. Davies"} <= names
    assert whole.wide is True and council.id in whole.area_ids and len(whole.area_ids) > 1
    point = directory.representatives_for(lat=CARDIFF[0], lon=CARDIFF[1])
    assert point.wide is False
    assert "Jenny Rathbone" in {r.person_name for r in point.representatives}
    assert "Mark Drakeford" not in {r.person_name for r in point.representatives}
    only = directory.representatives_for(area_ids=[council.id])  # exactly that area: no one sits for it
    assert only.area_ids == (council.id,) and only.representatives == () and only.wide is False
    assert directory.representatives_for(area_id=99999) is None
    with pytest.raises(TypeError):
        directory.representatives_for()


def test_write_form_offers_the_same_people_as_the_directory(wales_app, wales_client):
    with wales_app.test_request_context("/en/"):
        council = _council()
        expected = {r.person_name for r in directory.representatives_for(area_id=council.id).representatives}
    page = html_lib.unescape(wales_client.get(f"/en/write/new?area={council.id}").get_data(as_text=True))
    offered = set(re.findall(r'<label for="person-\d+" dir="auto">([^<]+)</label>', page))
    assert offered == expected and CARDIFF_MEMBERS <= offered
    assert "large area" in page


def test_links_registered_by_other_components_show_beside_each_representative(wales_app, wales_client):
    calls = []

    def voting_record(person_ids):
        calls.append(list(person_ids))
        return {pid: [("Voting record", f"/en/record/people/{pid}/votes")] for pid in person_ids}

    links = wales_app.extensions.setdefault("directory_person_links", [])
    directory.register_person_link(wales_app, voting_record)
    try:
        resp = wales_client.get(f"/en/representatives?lat={CARDIFF[0]}&lon={CARDIFF[1]}")
        body = resp.get_data(as_text=True)
    finally:
        links[:] = [entry for entry in links if entry[1] is not voting_record]
    assert resp.status_code == 200
    assert len(calls) == 1 and calls[0]  # once per page, every person at once
    for pid in calls[0]:
        assert f'href="/en/record/people/{pid}/votes">Voting record</a>' in body
