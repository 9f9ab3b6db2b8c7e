"""Fixes from the second audit: whole areas on "who represents me?", party members, the Popolo
export without emails, bounded admin paging, NUL characters in search strings."""

from __future__ import annotations

import html as html_lib
import json
import re

from directory_helpers import CARDIFF
from sqlalchemy import select

from app.directory.models import Organisation, Person
from app.extensions import db

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
    page = _text(wales_client.get(m.group(1))) if m else _text(wales_client.get("/en/representatives?q=Cardiff+Central"))
    assert "Jenny Rathbone" in page and "Mark Drakeford" not in page
    assert "large area" not in page
    point = _text(wales_client.get(f"/en/representatives?lat={CARDIFF[0]}&lon={CARDIFF[1]}"))
    assert "Jenny Rathbone" in point and "Mark Drakeford" not in point and "large area" not in point


def test_place_text_from_the_url_is_not_echoed_as_the_heading(wales_client):
    page = _text(wales_client.get(f"/en/representatives?lat={CARDIFF[0]}&lon={CARDIFF[1]}&place=Send+your+bank+details"))
    assert "bank details" not in page
    assert f"Representatives for {CARDIFF[0]:.5f}, {CARDIFF[1]:.5f}" in page
    unknown = wales_client.get("/en/representatives?area=99999")
    assert unknown.status_code == 422 and "That area is unknown" in _text(unknown)


def test_write_form_for_a_council_offers_all_its_representatives(wales_client):
    page = _text(wales_client.get("/en/write/new?place=Cardiff"))
    assert "Current representatives for Cardiff, Council:" in page
    for name in CARDIFF_MEMBERS:
        assert name in page, name
    assert "is a large area" in page
    assert "Did you mean another place?" in page


def test_party_pages_list_members_linked_on_behalf_of_the_party(wales_app, wales_client):
    with wales_app.app_context():
        labour = db.session.scalar(select(Organisation.id).where(Organisation.name == "Welsh Labour"))
    page = _text(wales_client.get(f"/en/organisations/{labour}"))
    assert "Jenny Rathbone" in page and "No members." not in page
    assert "Andrew R. T. Davies" not in page  # a Conservative
    export = wales_client.get(f"/api/organizations/{labour}.json").get_json()
    assert export["memberships"] and all(m.get("on_behalf_of_id") == str(labour) or m.get("organization_id") == str(labour)
                                         for m in export["memberships"])


def test_popolo_export_carries_no_email_address(wales_app, wales_client):
    full = wales_client.get("/api/popolo.json").get_data(as_text=True)
    assert "@assembly.wales" not in full and '"email"' not in full
    with wales_app.app_context():
        pid = db.session.scalar(select(Person.id).where(Person.name == "Andrew R. T. Davies"))
    person = wales_client.get(f"/api/persons/{pid}.json").get_json()
    assert not any(c["type"] == "email" for c in person.get("contact_details", []))
    assert "@" not in json.dumps(person)


def test_admin_directory_search_page_is_bounded(app, client):
    from conftest import login

    login(client, app)
    resp = client.get("/en/admin/directory/?q=a&page=99999999999999999999")
    assert resp.status_code == 200


def test_nul_in_search_strings_is_refused_not_a_server_error(wales_client):
    for path in ("/en/people/?q=ab%00", "/en/organisations/?q=ab%00", "/en/representatives?q=ab%00",
                 "/en/write/new?place=ab%00"):
        assert wales_client.get(path).status_code == 400, path


def _popolo_file(tmp_path, data) -> str:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_popolo_import_refuses_duplicate_person_ids_and_reversed_dates(app, tmp_path):
    runner = app.test_cli_runner()
    dup = {"persons": [{"id": "p1", "name": "Ann"}, {"id": "p1", "name": "Bob"}]}
    res = runner.invoke(args=["directory", "import-popolo", _popolo_file(tmp_path, dup)])
    assert res.exit_code != 0 and "'p1' is given to two persons" in res.output
    assert db.session.scalar(select(Person.id)) is None
    reversed_dates = {"persons": [{"id": "p1", "name": "Ann"}],
                      "organizations": [{"id": "o1", "name": "Assembly", "classification": "legislature"}],
                      "memberships": [{"person_id": "p1", "organization_id": "o1",
                                       "start_date": "2016-05-05", "end_date": "2011-05-05"}]}
    res = runner.invoke(args=["directory", "import-popolo", _popolo_file(tmp_path, reversed_dates)])
    assert res.exit_code != 0 and "before the start date" in res.output
    assert db.session.scalar(select(Person.id)) is None
