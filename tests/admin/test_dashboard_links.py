"""Dashboard figures of the directory and write panels link to lists showing exactly what they count."""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re

from app.core.models import utcnow
from app.directory.models import Organisation, Person
from app.extensions import db
from app.write.models import Answer, Message


def _link(html: str, text: str) -> str:
    match = re.search(r'<a href="([^"]+)">' + re.escape(text) + "</a>", html)
    assert match, text
    return htmllib.unescape(match.group(1))


def test_directory_figures_link_to_filtered_lists(as_role):
    db.session.add_all(
        [
            Organisation(name="Hill Council", classification="council"),
            Organisation(name="Dale Council", classification="council"),
            Organisation(name="Green Party", classification="party"),
            Person(name="Ana Alvarez"),
            Person(name="Ben Bello"),
            Person(name="Cy Cole"),
        ]
    )
    db.session.commit()
    client, _ = as_role("moderator")
    home = client.get("/en/admin/").get_data(as_text=True)
    bodies = client.get(_link(home, "2 public bodies")).get_data(as_text=True)
    assert "Hill Council" in bodies and "Dale Council" in bodies and "Green Party" not in bodies
    assert "Ana Alvarez" not in bodies
    people = client.get(_link(home, "3 people")).get_data(as_text=True)
    assert all(n in people for n in ("Ana Alvarez", "Ben Bello", "Cy Cole")) and "Hill Council" not in people
    # The filter is kept when searching within the list.
    found = client.get("/en/admin/directory/?show=bodies&q=hill").get_data(as_text=True)
    assert "Hill Council" in found and "Dale Council" not in found and 'name="show" value="bodies"' in found


def test_write_unanswered_figure_links_to_those_messages(as_role):
    now = utcnow()

    def message(subject, sent_days_ago, answered=False):
        msg = Message(
            subject=subject,
            body="x",
            writer_name="W",
            writer_email="w@example.org",
            language="en",
            status="sent",
            confirmed_at=now,
            sent_at=now - dt.timedelta(days=sent_days_ago),
            token=subject.replace(" ", "-"),
        )
        db.session.add(msg)
        db.session.flush()
        if answered:
            db.session.add(Answer(message_id=msg.id, body="Thanks", inbox_id=msg.id))

    message("Bus stop shelter", 1)
    message("Library hours", 2)
    message("Old question", 30)
    message("Answered one", 1, answered=True)
    db.session.commit()
    client, _ = as_role("moderator")
    home = client.get("/en/admin/").get_data(as_text=True)
    page = client.get(_link(home, "2 messages sent this week have no answer yet")).get_data(as_text=True)
    assert "Bus stop shelter" in page and "Library hours" in page
    assert "Old question" not in page and "Answered one" not in page
