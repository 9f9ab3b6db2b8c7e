"""The real Welsh data: import, re-import, representatives for Cardiff, person and party pages, Popolo export validity."""

from __future__ import annotations

import html as html_lib
import json
import re

from directory_helpers import CARDIFF, POPOLO, popolo_validators
from sqlalchemy import event, func, select

from app.directory import services
from app.directory.models import Membership, Organisation, Person
from app.extensions import db

EXPECTED_CARDIFF = {"Jenny Rathbone", "Andrew R. T. Davies", "David Melding", "Gareth Bennett"}


def _file_names(data, area_name, term, ended):
    area_ids = {a["id"] for a in data["areas"] if a["name"] == area_name}
    people = {p["id"]: p["name"] for p in data["persons"]}
    return {
        people[m["person_id"]]
        for m in data["memberships"]
        if m.get("area_id") in area_ids and m.get("legislative_period_id") == term and bool(m.get("end_date")) == ended
    }


def test_import_summary_lists_unlinked_areas(wales_app):
    out = wales_app.config["POPOLO_OUTPUT"]
    assert "persons: 142 created, 0 updated" in out
    assert "memberships: 320 created" in out
    # historical seats have no boundary: reported, never guessed
    assert "Caernarfon" in out and "Meirionnydd Nant Conwy" in out
    assert "Conwy (" in out  # only a council and wards are called Conwy now
    assert "Cardiff Central" not in out and "Bridgend" not in out and "Ynys Môn" not in out


def test_areas_linked_by_name_and_code(wales, popolo_data):
    from app.areas import services as areas

    cardiff_central = areas.find_areas_by_name("Cardiff Central", type="SPC")[0]
    ynys_mon = areas.find_areas_by_name("Ynys Mon", type="SPC")[0]
    bridgend = areas.find_areas_by_name("Bridgend", type="SPC")[0]
    torfaen = areas.find_area_by_code("gss", "W09000037")
    linked = set(db.session.scalars(select(Membership.area_id).distinct()))
    assert {cardiff_central.id, ynys_mon.id, bridgend.id, torfaen.id} <= linked
    council_ids = {a.id for a in areas.areas_of_type(["UTA", "UTW"])[0]}
    assert not linked & council_ids  # "Bridgend", "Conwy" never linked to the councils


def test_reimport_updates_in_place(wales_app):
    with wales_app.app_context():
        before = db.session.scalar(select(func.count(Membership.id)))
        res = wales_app.test_cli_runner().invoke(args=["directory", "import-popolo", str(POPOLO)])
        assert res.exit_code == 0, res.output
        assert "persons: 0 created, 142 updated" in res.output
        assert "memberships: 0 created, 320 updated" in res.output
        assert db.session.scalar(select(func.count(Membership.id))) == before
        assert db.session.scalar(select(func.count(Person.id))) == 142


def test_bad_file_changes_nothing(wales_app, tmp_path, popolo_data):
    broken = dict(popolo_data)
    broken["persons"] = [dict(p) for p in popolo_data["persons"]]
    broken["persons"][0]["name"] = "Changed Name"
    broken["memberships"] = popolo_data["memberships"] + [{"person_id": "nobody", "organization_id": "x"}]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    (tmp_path / "notjson.json").write_text("{oops", encoding="utf-8")
    with wales_app.app_context():
        runner = wales_app.test_cli_runner()
        res = runner.invoke(args=["directory", "import-popolo", str(path)])
        assert res.exit_code != 0
        assert "no person with id 'nobody'" in res.output and "Nothing was imported" in res.output
        assert db.session.scalar(select(Person).where(Person.name == "Changed Name")) is None
        res = runner.invoke(args=["directory", "import-popolo", str(tmp_path / "notjson.json")])
        assert res.exit_code != 0 and "not valid JSON" in res.output
        res = runner.invoke(args=["directory", "import-popolo", str(tmp_path / "missing.json")])
        assert res.exit_code != 0 and "Cannot read" in res.output


def test_current_rule_uses_the_legislative_period(wales):
    p = db.session.scalar(select(Person).where(Person.name == "Jenny Rathbone"))
    ms = db.session.scalars(select(Membership).where(Membership.person_id == p.id)).all()
    term4 = [m for m in ms if m.legislative_period.source_id == "term/4"][0]
    term5 = [m for m in ms if m.legislative_period.source_id == "term/5"][0]
    assert term4.end_date is None and not term4.is_current()  # the term ended in 2016
    assert term5.is_current()


def test_cardiff_point_has_exactly_the_current_members(wales, popolo_data):
    reps = services.representatives_at(*CARDIFF)
    names = {r.person_name for r in reps}
    from_file = _file_names(popolo_data, "Cardiff Central", "term/5", False) | _file_names(
        popolo_data, "South Wales Central", "term/5", False
    )
    assert names == EXPECTED_CARDIFF == from_file
    left = _file_names(popolo_data, "South Wales Central", "term/5", True)
    assert left and not left & names  # the member who left mid-term
    former = _file_names(popolo_data, "Cardiff Central", "term/3", False) | _file_names(
        popolo_data, "South Wales Central", "term/4", False
    )
    assert former - names and not (former - EXPECTED_CARDIFF) & names
    assert len([r for r in reps if r.area_name == "South Wales Central"]) == 3
    assert {r.party_name for r in reps if r.person_name == "Jenny Rathbone"} == {"Welsh Labour"}


def test_representatives_use_a_constant_number_of_queries(wales):
    from app.areas import services as areas

    services.representatives_at(*CARDIFF)  # warm the area index
    counts = []
    for ids in (
        [areas.find_areas_by_name("Cardiff Central", type="SPC")[0].id],
        [a.id for a in areas.areas_of_type(["SPE", "SPC"])[0]],
    ):
        seen: list = []

        def listener(*args, seen=seen):
            seen.append(1)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            reps = services.current_representatives(ids)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        counts.append((len(reps), len(seen)))
    assert counts[1][0] > 40 > counts[0][0]
    assert counts[0][1] == counts[1][1] <= 15


def test_representatives_page_without_javascript(wales_client, popolo_data):
    html = wales_client.get(f"/en/representatives?q={CARDIFF[0]},{CARDIFF[1]}").get_data(as_text=True)
    for name in EXPECTED_CARDIFF:
        assert name in html
    for name in _file_names(popolo_data, "South Wales Central", "term/5", True):
        assert name not in html
    assert "Jenny Randerson" not in html  # Cardiff Central's member before 2011
    assert html.index("South Wales Central") < html.index("Cardiff Central")  # regions before constituencies
    assert re.search(r'<button type="button"[^>]* data-geolocate[^>]* hidden>', html)  # shown by JS only
    cy = wales_client.get(f"/cy/representatives?lat={CARDIFF[0]}&lon={CARDIFF[1]}").get_data(as_text=True)
    assert "Canol De Cymru" in cy and "Jenny Rathbone" in cy and 'lang="cy"' in cy
    choose = wales_client.get("/en/representatives?q=Cardiff")
    assert choose.status_code == 200 and "area=" in choose.get_data(as_text=True)
    missing = wales_client.get("/en/representatives?q=Atlantis")
    assert missing.status_code == 422 and "No place matches" in missing.get_data(as_text=True)


def test_people_search_and_filters(wales_client):
    html = wales_client.get("/en/people/?q=rathbone").get_data(as_text=True)
    assert "Jenny Rathbone" in html and "Ann Jones" not in html
    frag = wales_client.get("/en/people/?q=rathbone", headers={"HX-Request": "true"})
    assert "<html" not in frag.get_data(as_text=True) and "Jenny Rathbone" in frag.get_data(as_text=True)
    assert "HX-Request" in frag.headers["Vary"]
    former = wales_client.get("/en/people/?q=randerson&status=former").get_data(as_text=True)
    assert "Jenny Randerson" in former
    current = wales_client.get("/en/people/?q=randerson&status=current").get_data(as_text=True)
    assert "Jenny Randerson" not in current


def test_person_and_organisation_pages(wales_app, wales_client, monkeypatch):
    with wales_app.app_context():
        pid = db.session.scalar(select(Person.id).where(Person.name == "Jenny Rathbone"))
    # the photos' host must be allowed by the CSP for the page to show them
    monkeypatch.setitem(wales_app.config, "CSP_IMG_SOURCES", ["senedd.assembly.wales"])
    html = wales_client.get(f"/en/people/{pid}").get_data(as_text=True)
    assert "Cardiff Central" in html and "Welsh Labour" in html and 'loading="lazy"' in html
    assert "@assembly.wales" not in html  # emails are for sending, never shown
    assert html.index("Current memberships") < html.index("5th Welsh Assembly") < html.index("Past memberships")
    org_id = re.search(r'href="/en/organisations/(\d+)" dir="auto">National Assembly', html).group(1)
    org = wales_client.get(f"/en/organisations/{org_id}").get_data(as_text=True)
    assert "Jenny Rathbone" in org and "Jenny Randerson" not in org  # current members by default
    assert "Jenny Randerson" in wales_client.get(f"/en/organisations/{org_id}?show=all").get_data(as_text=True)
    area_id = re.search(r'href="/en/areas/(\d+)">Cardiff Central', html).group(1)
    area_page = wales_client.get(f"/en/areas/{area_id}").get_data(as_text=True)
    assert "Who represents this area" in area_page and "Jenny Rathbone" in area_page


def test_popolo_export_validates(wales_client):
    data = wales_client.get("/api/popolo.json").get_json()
    assert len(data["persons"]) == 142 and len(data["memberships"]) == 320
    v = popolo_validators()
    for key, schema in (
        ("persons", "person"),
        ("organizations", "organization"),
        ("memberships", "membership"),
        ("posts", "post"),
        ("events", "event"),
        ("areas", "area"),
    ):
        for item in data[key]:
            errors = list(v[schema].iter_errors(item))
            assert not errors, (key, item.get("id"), errors[0].message)
    assert any(o["lang"] == "zh-Hant" for p in data["organizations"] for o in p.get("other_names", []))
    assert "Ann.Jones@assembly.wales" not in json.dumps([p.get("email") for p in data["persons"]])
    # an invalid item is caught: the validation can fail
    assert list(v["person"].iter_errors({"name": 3}))
    one = wales_client.get(f"/api/persons/{data['persons'][0]['id']}.json").get_json()
    assert not list(v["person"].iter_errors(one)) and one["memberships"]
    org = wales_client.get(f"/api/organizations/{data['organizations'][3]['id']}.json").get_json()
    assert not list(v["organization"].iter_errors(org))
    assert wales_client.get("/api/persons/999999.json").status_code == 404


def test_import_gives_linked_areas_their_missing_welsh_names(wales_app, wales_client):
    from app.areas import services as areas

    assert "area names added:" in wales_app.config["POPOLO_OUTPUT"]
    with wales_app.app_context():
        central = areas.find_areas_by_name("Cardiff Central", type="SPC")[0]
        assert areas.all_names(central.id)["cy"] == "Canol Caerdydd"  # the boundary file had no Welsh
        region = areas.find_areas_by_name("South Wales Central", type="SPE")[0]
        assert areas.all_names(region.id)["cy"] == "Canol De Cymru"  # the boundary file's name is kept
        assert "fr" not in areas.all_names(central.id)  # only the site's languages
        res = wales_app.test_cli_runner().invoke(args=["directory", "import-popolo", str(POPOLO)])
        assert res.exit_code == 0 and "area names added" not in res.output  # nothing left to add
    html = wales_client.get("/cy/representatives?lat=51.4816&lon=-3.1791").get_data(as_text=True)
    assert "Canol Caerdydd" in html


def _text(resp) -> str:
    return html_lib.unescape(resp.get_data(as_text=True))


def test_party_pages_list_members_linked_on_behalf_of_the_party(wales_app, wales_client):
    with wales_app.app_context():
        labour = db.session.scalar(select(Organisation.id).where(Organisation.name == "Welsh Labour"))
    page = _text(wales_client.get(f"/en/organisations/{labour}"))
    assert "Jenny Rathbone" in page and "No members." not in page
    assert "Andrew R. T. Davies" not in page  # a Conservative
    export = wales_client.get(f"/api/organizations/{labour}.json").get_json()
    assert export["memberships"] and all(
        m.get("on_behalf_of_id") == str(labour) or m.get("organization_id") == str(labour)
        for m in export["memberships"]
    )
