"""Representatives for a whole council, a constituency or a point; text from the address is never echoed as the heading."""

from __future__ import annotations

import html as html_lib
import re

from directory_helpers import CARDIFF

CARDIFF_MEMBERS = {"Jenny Rathbone", "Mark Drakeford", "Vaughan Gething", "Julie Morgan"}


def _text(resp) -> str:
    return html_lib.unescape(resp.get_data(as_text=True))


def test_choosing_a_council_lists_the_representatives_of_all_of_it(wales_client):
    choose = _text(wales_client.get("/en/representatives?q=caerdydd"))
    m = re.search(r'href="(/en/representatives\?area=\d+)">Cardiff, Council<', choose)
    assert m, choose
    page = _text(wales_client.get(m.group(1)))
    assert "Representatives for Cardiff, Council" in page
    for name in CARDIFF_MEMBERS | {"Andrew R. T. Davies"}:  # four constituencies and the region
        assert name in page, name
    assert "is a large area that several representatives share" in page
    assert "Write to these representatives" not in page  # more than one may write to at once
    # the old link (a point inside the council plus its label) means the council too
    old = _text(wales_client.get("/en/representatives?lat=51.503450&lon=-3.224069&place=Cardiff,+Council"))
    assert CARDIFF_MEMBERS <= {n for n in CARDIFF_MEMBERS if n in old}


def test_a_constituency_or_a_point_is_not_a_large_area(wales_client):
    choose = _text(wales_client.get("/en/representatives?q=Cardiff+Central"))
    m = re.search(r'href="(/en/representatives\?area=\d+)">Cardiff Central, ', choose)
    page = (
        _text(wales_client.get(m.group(1))) if m else _text(wales_client.get("/en/representatives?q=Cardiff+Central"))
    )
    assert "Jenny Rathbone" in page and "Mark Drakeford" not in page
    assert "large area" not in page
    point = _text(wales_client.get(f"/en/representatives?lat={CARDIFF[0]}&lon={CARDIFF[1]}"))
    assert "Jenny Rathbone" in point and "Mark Drakeford" not in point and "large area" not in point


def test_place_text_from_the_url_is_not_echoed_as_the_heading(wales_client):
    page = _text(
        wales_client.get(f"/en/representatives?lat={CARDIFF[0]}&lon={CARDIFF[1]}&place=Send+your+bank+details")
    )
    assert "bank details" not in page
    assert f"Representatives for {CARDIFF[0]:.5f}, {CARDIFF[1]:.5f}" in page
    unknown = wales_client.get("/en/representatives?area=99999")
    assert unknown.status_code == 422 and "That area is unknown" in _text(unknown)
