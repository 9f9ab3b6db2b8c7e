"""Bad numbers and characters in directory addresses (ids past 32 bits, huge pages, NUL) are refused or unknown, never a 500."""

from __future__ import annotations

from app.directory.models import Person
from app.extensions import db

HUGE = "99999999999999999999"
PAST_INT32 = str(2**31)


def test_huge_organisation_filter_is_ignored(app, client):
    db.session.add(Person(name="Gwen Evans"))
    db.session.commit()
    for raw in (HUGE, PAST_INT32, "-3", "x"):
        resp = client.get(f"/en/people/?organisation={raw}")
        assert resp.status_code == 200, raw
        assert "Gwen Evans" in resp.get_data(as_text=True), raw


def test_huge_ids_in_directory_and_write_urls_are_404(app, client):
    for n in (HUGE, PAST_INT32):
        for path in (
            f"/en/people/{n}",
            f"/en/organisations/{n}",
            f"/en/write/person/{n}",
            f"/en/write/person/{n}/feed.atom",
            f"/en/write/{n}",
        ):
            assert client.get(path).status_code == 404, path
        for path in (f"/api/persons/{n}.json", f"/api/organizations/{n}.json"):
            resp = client.get(path)
            assert resp.status_code == 404, path


def test_admin_directory_search_page_is_bounded(app, client):
    from conftest import login

    login(client, app)
    resp = client.get("/en/admin/directory/?q=a&page=99999999999999999999")
    assert resp.status_code == 200


def test_nul_in_search_strings_is_refused_not_a_server_error(wales_client):
    for path in (
        "/en/people/?q=ab%00",
        "/en/organisations/?q=ab%00",
        "/en/representatives?q=ab%00",
        "/en/write/new?place=ab%00",
    ):
        assert wales_client.get(path).status_code == 400, path
