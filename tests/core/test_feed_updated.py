"""An Atom feed's <updated> is its newest item, else the site's start: never 1970, never "now"."""

from __future__ import annotations

import datetime as dt
import re

from app.core.feeds import feed_updated
from app.directory.models import Person
from app.extensions import db

STARTED = "2024-03-01T09:30:00+00:00"


def _updated(client, path) -> str:
    resp = client.get(path)
    assert resp.status_code == 200, path
    assert resp.mimetype == "application/atom+xml"
    return re.search(r"<updated>([^<]*)</updated>", resp.get_data(as_text=True)).group(1)


def test_every_empty_feed_says_the_site_start(app_factory):
    app = app_factory(SITE_STARTED_AT=STARTED)
    with app.app_context():
        person = Person(name="Nia Empty")
        db.session.add(person)
        db.session.commit()
        client = app.test_client()
        for path in (
            "/en/reports/feed.atom",
            "/en/foi/feed.atom",
            "/en/write/feed.atom",
            f"/en/write/person/{person.id}/feed.atom",
            f"/en/record/people/{person.id}/feed.atom",
        ):
            assert _updated(client, path) == STARTED, path


def test_newest_item_wins_and_times_are_whole_seconds(app):
    with app.test_request_context():
        older = dt.datetime(2025, 5, 1, 8, 0, 0, 123456, tzinfo=dt.UTC)
        newer = dt.datetime(2025, 6, 2, 7, 6, 5, 987654)  # naive values from the database are UTC
        assert feed_updated([older, None, newer]) == "2025-06-02T07:06:05+00:00"
        assert not app.config["SITE_STARTED_AT"]  # unset: the deploy time, fixed (not "now")
        first = feed_updated([])
        assert first == feed_updated([]) and not first.startswith("1970")
        assert dt.datetime.fromisoformat(first) <= dt.datetime.now(dt.UTC)
