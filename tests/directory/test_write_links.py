"""Links between the directory and the write component: from "who represents me?", a person page, and the write form for a council."""

from __future__ import annotations

import html as html_lib
import html as htmlmod
import re
from urllib.parse import parse_qs, urlsplit

from directory_helpers import CARDIFF
from sqlalchemy import select

from app.directory.models import Person
from app.extensions import db


def _person_ids(wales_app, *names):
    with wales_app.app_context():
        rows = db.session.execute(select(Person.name, Person.id).where(Person.name.in_(names))).all()
    return {name: pid for name, pid in rows}


def _write_link(page, text):
    m = re.search(r'href="([^"]*/write/new[^"]*)">' + re.escape(text) + "<", page)
    assert m, f"no link {text!r}"
    url = urlsplit(htmlmod.unescape(m.group(1)))
    return url.path, parse_qs(url.query), url.query


def test_representatives_page_links_to_writing_to_all_of_them(wales_app, wales_client):
    page = wales_client.get(f"/en/representatives?lat={CARDIFF[0]}&lon={CARDIFF[1]}").get_data(as_text=True)
    path, query, raw = _write_link(page, "Write to these representatives")
    assert path == "/en/write/new"
    shown = {int(i) for i in re.findall(r'href="/en/people/(\d+)"', page)}
    assert {int(i) for i in query["person"]} == shown and len(query["person"]) == len(shown) >= 4
    ids = _person_ids(wales_app, "Jenny Rathbone", "Jenny Randerson")
    assert str(ids["Jenny Rathbone"]) in query["person"] and str(ids["Jenny Randerson"]) not in query["person"]
    form = wales_client.get(f"{path}?{raw}")
    assert form.status_code == 200
    assert re.search(rf'value="{ids["Jenny Rathbone"]}"[^>]*checked', form.get_data(as_text=True))
    # No representatives found: no link.
    empty = wales_client.get("/en/representatives").get_data(as_text=True)
    assert "Write to these representatives" not in empty


def test_person_page_links_to_writing_only_for_current_representatives(wales_app, wales_client):
    ids = _person_ids(wales_app, "Jenny Rathbone", "Jenny Randerson")
    page = wales_client.get(f"/en/people/{ids['Jenny Rathbone']}").get_data(as_text=True)
    path, query, _ = _write_link(page, "Write to Jenny Rathbone")
    assert path == "/en/write/new" and query["person"] == [str(ids["Jenny Rathbone"])]
    former = wales_client.get(f"/en/people/{ids['Jenny Randerson']}").get_data(as_text=True)
    assert "Write to Jenny Randerson" not in former and "Current representative" not in former


def test_no_write_links_without_the_write_component(wales_app, wales_client, monkeypatch):
    monkeypatch.delitem(wales_app.view_functions, "write.new")
    ids = _person_ids(wales_app, "Jenny Rathbone")
    page = wales_client.get(f"/en/people/{ids['Jenny Rathbone']}").get_data(as_text=True)
    assert "Current representative" in page and "Write to Jenny Rathbone" not in page
    reps = wales_client.get(f"/en/representatives?lat={CARDIFF[0]}&lon={CARDIFF[1]}").get_data(as_text=True)
    assert "Jenny Rathbone" in reps and "Write to these representatives" not in reps


CARDIFF_MEMBERS = {"Jenny Rathbone", "Mark Drakeford", "Vaughan Gething", "Julie Morgan"}


def _text(resp) -> str:
    return html_lib.unescape(resp.get_data(as_text=True))


def test_write_form_for_a_council_offers_all_its_representatives(wales_client):
    page = _text(wales_client.get("/en/write/new?place=Cardiff"))
    assert "Current representatives for Cardiff, Council:" in page
    for name in CARDIFF_MEMBERS:
        assert name in page, name
    assert "is a large area" in page
    assert "Did you mean another place?" in page
