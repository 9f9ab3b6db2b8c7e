"""Codes stored in the database are shown as translated labels: audit actions, holding-pen notes,
and the dashboard chart's tooltips are translated sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.core import audit
from app.core.mail import InboxMessage
from app.core.mail.inbox import dispatch, store_raw
from app.core.models import utcnow
from app.extensions import db

from .conftest import french_catalog, signed_in_french_admin

FRENCH = {
    "Role changed": "Rôle modifié",
    "No component claimed this message.": "Aucune partie du site n’a pris ce message.",
    "%(series)s, week of %(date)s: %(num)s": "%(series)s, semaine du %(date)s : %(num)s",
    "New reports": "Nouveaux signalements",
}

UNCLAIMED = b"""From: someone@example.org\r
To: nobody-here@plaza.test\r
Subject: Hello\r
Message-ID: <labels-1@example.org>\r
\r
Hello.\r
"""


@pytest.fixture
def fr_app(app_factory, tmp_path):
    app = app_factory(PLAZA_TRANSLATIONS_DIR=french_catalog(tmp_path, FRENCH))
    with app.app_context():
        yield app


@pytest.fixture
def admin_client(fr_app):
    return signed_in_french_admin(fr_app)


def test_audit_actions_are_shown_as_translated_labels(admin_client):
    client, admin = admin_client
    audit.record(admin.id, "user.role", "user", admin.id, {"from": "citizen", "to": "admin"})
    audit.record(admin.id, "thing.unknown", "thing", 3)
    db.session.commit()
    html = client.get("/fr/admin/audit/").get_data(as_text=True)
    assert '<span title="user.role">Rôle modifié</span>' in html
    assert f'href="/fr/admin/users/{admin.id}"' in html
    assert '<span title="thing.unknown">thing.unknown</span>' in html  # unknown codes stay readable
    html = client.get("/en/admin/audit/").get_data(as_text=True)
    assert '<span title="user.role">Role changed</span>' in html


def test_the_holding_pen_note_is_stored_as_a_code_and_shown_translated(admin_client):
    client, _admin = admin_client
    row, _ = store_raw(UNCLAIMED)
    db.session.commit()
    assert dispatch(row) == "holding"
    assert db.session.scalar(select(InboxMessage.note).where(InboxMessage.id == row.id)) == "core:unclaimed"
    for url in ("/fr/admin/inbox/", f"/fr/admin/inbox/{row.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "Aucune partie du site n’a pris ce message." in html and "core:unclaimed" not in html
    # Rows stored before the code existed hold the English sentence: it is translated too.
    row.note = "No component claimed this message."
    db.session.commit()
    assert "Aucune partie du site n’a pris ce message." in client.get("/fr/admin/inbox/").get_data(as_text=True)


def test_chart_tooltips_are_translated_sentences(fr_app, admin_client):
    if "reports_admin" not in fr_app.blueprints:
        pytest.skip("the reports component is not installed")
    from app.reports.models import Category, Report

    cat = Category(code="potholes", name="Potholes")
    db.session.add(cat)
    db.session.flush()
    for i in range(3):
        db.session.add(Report(category_id=cat.id, title=f"R{i}", lat=50.0, lon=0.0, state="confirmed",
                              email="r@example.org", language="en", created_at=utcnow() - dt.timedelta(hours=1)))
    db.session.commit()
    client, _admin = admin_client
    html = client.get("/fr/admin/").get_data(as_text=True)
    assert "<title>Nouveaux signalements, semaine du " in html
    assert " : 3</title>" in html
