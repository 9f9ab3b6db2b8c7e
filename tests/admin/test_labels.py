"""Codes stored in the database (audit actions and details, holding-pen notes, chart tooltips) are shown as translated labels."""

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
    "Before": "Avant",
    "After": "Après",
    "The address looks like a request's, but its code does not match any request.": "L’adresse ressemble à celle d’une demande, mais son code ne correspond à aucune.",
    ("role", "Staff"): "Personnel",
    ("role", "Citizen"): "Citoyen",
    ("inbox", "Held"): "Retenu",
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
        db.session.add(
            Report(
                category_id=cat.id,
                title=f"R{i}",
                lat=50.0,
                lon=0.0,
                state="confirmed",
                email="r@example.org",
                language="en",
                created_at=utcnow() - dt.timedelta(hours=1),
            )
        )
    db.session.commit()
    client, _admin = admin_client
    html = client.get("/fr/admin/").get_data(as_text=True)
    assert "<title>Nouveaux signalements, semaine du " in html
    assert " : 3</title>" in html


def test_audit_details_and_inbox_codes_are_translated(admin_client):
    client, admin = admin_client
    audit.record(admin.id, "user.role", "user", admin.id, {"from": "staff", "to": "citizen"})
    db.session.commit()
    html = client.get("/fr/admin/audit/").get_data(as_text=True)
    assert "Avant: Personnel; Après: Citoyen" in html
    assert "from: staff" not in html
    row, _ = store_raw(
        b"From: a@example.org\r\nTo: request-1-xx@plaza.test\r\nSubject: Hi\r\n"
        b"Message-ID: <n1@example.org>\r\n\r\nHi\r\n"
    )
    row.status, row.note = "holding", "foi_hash_mismatch"
    db.session.commit()
    html = client.get(f"/fr/admin/inbox/{row.id}").get_data(as_text=True)
    assert '<span class="badge" title="holding">Retenu</span>' in html
    assert "L’adresse ressemble à celle d’une demande" in html and "foi_hash_mismatch" not in html
    assert "L’adresse ressemble" in client.get("/fr/admin/inbox/").get_data(as_text=True)


def test_inbox_notes_with_numbers_are_translated_in_english_too(app):
    from app.admin.labels import inbox_note

    assert inbox_note("write: no message 12.") == "There is no message 12."
    assert inbox_note("something a component said") == "something a component said"


def test_every_stored_code_has_a_label(app):
    """Holding-pen notes FOI stores, and the audit actions components record, show as labels."""
    import re
    from pathlib import Path

    from app.admin.labels import audit_label, inbox_note
    from app.foi.mail import receiving

    for code in (receiving.NOTE_BAD_HASH, receiving.NOTE_UNKNOWN_SENDER, receiving.NOTE_CLOSED):
        assert inbox_note(code) != code, code
    root = Path(__file__).resolve().parents[2] / "app"
    recorded = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.findall(
            r'audit\.record\((?:[^,()]|\([^()]*\))+,\s*("[a-z0-9_.]+"(?: if [\w.]+ else "[a-z0-9_.]+")?)', text
        ):
            recorded |= set(re.findall(r'"([a-z0-9_.]+)"', call))
    assert recorded, "the pattern found no audit actions"
    unlabelled = sorted(code for code in recorded if audit_label(code) == code)
    assert not unlabelled, unlabelled
