"""Ids in query strings or URLs past a 32-bit column are unknown, never a server error."""

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
        for path in (f"/en/people/{n}", f"/en/organisations/{n}", f"/en/write/person/{n}",
                     f"/en/write/person/{n}/feed.atom", f"/en/write/{n}"):
            assert client.get(path).status_code == 404, path
        for path in (f"/api/persons/{n}.json", f"/api/organizations/{n}.json"):
            resp = client.get(path)
            assert resp.status_code == 404, path
