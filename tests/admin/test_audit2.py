"""Audit 2 fixes on the admin side: roles and staff, huge page numbers, translated codes, retry-all."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import StaffMembership, User
from app.core import audit
from app.core.audit import AuditEntry
from app.core.mail import InboxMessage, OutboxMessage, queue_email
from app.core.mail.inbox import store_raw
from app.directory.models import Organisation
from app.extensions import db

from .conftest import PASSWORD, french_catalog, signed_in_french_admin


def test_making_a_staff_member_a_citizen_ends_their_staff_access(as_role, make_user):
    body = Organisation(name="River Valley Council", classification="council")
    db.session.add(body)
    db.session.commit()
    ana = make_user("ana@example.org", name="Ana")
    client, _admin = as_role("admin")
    assert client.post(f"/en/admin/users/{ana.id}/staff", data={"body_id": str(body.id)}).status_code == 303
    ana_client = client.application.test_client()
    ana_client.post("/en/accounts/signin", data={"email": "ana@example.org", "password": PASSWORD})
    reports = "reports_admin" in client.application.blueprints
    assert ana_client.get("/en/admin/reports/").status_code == (200 if reports else 404)
    resp = client.post(f"/en/admin/users/{ana.id}/role", data={"role": "citizen"})
    assert resp.status_code == 303
    db.session.expire_all()
    ana = db.session.get(User, ana.id)
    assert ana.role == "citizen" and ana.staff_org_ids == set() and not ana.is_staff
    assert db.session.scalar(select(db.func.count()).select_from(StaffMembership)) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role"))
    assert entry.detail == {"from": "staff", "to": "citizen", "organisations": [body.id]}
    assert ana_client.get("/en/admin/reports/").status_code == (403 if reports else 404)
    # "Staff" alone, with no public body, is refused with a message.
    resp = client.post(f"/en/admin/users/{ana.id}/role", data={"role": "staff"})
    assert resp.status_code == 422
    assert "Staff work for a public body" in resp.get_data(as_text=True)
    assert db.session.get(User, ana.id).role == "citizen"


def test_a_citizen_with_left_over_memberships_is_not_staff(app, make_user):
    user = make_user("old@example.org")
    user.staff_of.append(StaffMembership(organisation_id=5))
    db.session.commit()
    assert user.role == "citizen" and not user.is_staff


@pytest.mark.parametrize("url", [
    "/en/admin/users/?page=99999999999999999999",
    "/en/admin/outbox/?page=99999999999999999999",
    "/en/admin/inbox/?page=99999999999999999999",
    "/en/admin/audit/?page=99999999999999999999",
    "/en/admin/translations/log?page=99999999999999999999",
    "/en/admin/translations/log?user=99999999999999999999",
    "/en/admin/translations/log?user=99999999999999",
])
def test_huge_numbers_in_admin_lists_are_an_empty_page(as_role, url):
    client, _ = as_role("admin")
    resp = client.get(url)
    assert resp.status_code == 200, url
    assert "<footer" in resp.get_data(as_text=True)


FRENCH = {
    "Role changed": "Rôle modifié",
    "Before": "Avant",
    "After": "Après",
    "The address looks like a request's, but its code does not match any request.":
        "L’adresse ressemble à celle d’une demande, mais son code ne correspond à aucune.",
}


@pytest.fixture
def fr_admin(app_factory, tmp_path):
    messages = {**FRENCH, ("role", "Staff"): "Personnel", ("role", "Citizen"): "Citoyen", ("inbox", "Held"): "Retenu"}
    app = app_factory(PLAZA_TRANSLATIONS_DIR=french_catalog(tmp_path, messages))
    with app.app_context():
        yield signed_in_french_admin(app)


def test_audit_details_and_inbox_codes_are_translated(fr_admin):
    client, admin = fr_admin
    audit.record(admin.id, "user.role", "user", admin.id, {"from": "staff", "to": "citizen"})
    db.session.commit()
    html = client.get("/fr/admin/audit/").get_data(as_text=True)
    assert "Avant: Personnel; Après: Citoyen" in html
    assert "from: staff" not in html
    row, _ = store_raw(b"From: a@example.org\r\nTo: request-1-xx@plaza.test\r\nSubject: Hi\r\n"
                       b"Message-ID: <n1@example.org>\r\n\r\nHi\r\n")
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


def test_retry_all_failed_mail(as_role):
    client, _ = as_role("admin")
    rows = [queue_email(f"f{i}@example.org", "accounts/email/confirm.txt", {"name": "F", "url": "http://x"})
            for i in range(3)]
    db.session.flush()
    for row in rows[:2]:
        row.status, row.attempts, row.last_error = "failed", 8, "ConnectionRefusedError: nope"
    db.session.commit()
    html = client.get("/en/admin/outbox/?status=failed").get_data(as_text=True)
    assert "Send all failed mail again now" in html
    resp = client.post("/en/admin/outbox/retry-all?status=failed", data={})
    assert resp.status_code == 303
    assert "2 messages will be sent again shortly." in client.get(resp.headers["Location"]).get_data(as_text=True)
    statuses = db.session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)).all()
    assert statuses == ["pending"] * 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "outbox.retry_all"))
    assert entry.detail == {"status": "failed", "count": 2}
    mod_client, _ = as_role("moderator")
    assert mod_client.post("/en/admin/outbox/retry-all", data={}).status_code == 403
    assert db.session.scalar(select(db.func.count()).select_from(InboxMessage)) == 0


def test_user_search_takes_wildcards_literally_and_folds_every_script(as_role, make_user):
    make_user("elodie@example.org", name="Élodie Durand")
    make_user("percent@example.org", name="Fifty% Off")
    make_user("under_score@example.org", name="Plain Name")
    client, _ = as_role("admin")

    def found(q):
        html = client.get("/en/admin/users/", query_string={"q": q}).get_data(as_text=True)
        return {e for e in ("elodie@", "percent@", "under_score@", "admin@") if e in html}

    assert found("%") == {"percent@"}
    assert found("_") == {"under_score@"}
    assert found("ÉLODIE") == {"elodie@"}
    assert found("élodie") == {"elodie@"}


def test_csv_exports_and_restoring_dismissed_mail(as_role):
    import csv as csv_mod
    import io as io_mod

    client, admin = as_role("admin")
    row = queue_email("lost@example.org", "accounts/email/confirm.txt", {"name": "L", "url": "http://x"})
    db.session.flush()
    row.status, row.last_error = "failed", "=cmd|' /C calc'!A0"
    held, _ = store_raw(b"From: a@example.org\r\nTo: x@plaza.test\r\nSubject: Hi\r\n"
                        b"Message-ID: <csv-1@example.org>\r\n\r\nHi\r\n")
    held.status, held.note = "holding", "foi_hash_mismatch"
    db.session.commit()

    def rows(url):
        resp = client.get(url)
        assert resp.status_code == 200 and resp.mimetype == "text/csv"
        return list(csv_mod.reader(io_mod.StringIO(resp.get_data(as_text=True))))

    out = rows("/en/admin/outbox.csv?status=failed")
    assert out[0][:4] == ["id", "created_at", "status", "to"] and out[1][3] == "lost@example.org"
    assert out[1][7].startswith("'=")  # no formula for spreadsheets
    assert "Download as CSV" in client.get("/en/admin/outbox/?status=failed").get_data(as_text=True)
    inbox_rows = rows("/en/admin/inbox.csv")
    assert inbox_rows[1][4] == "Hi" and inbox_rows[1][6].startswith("The address looks like a request")

    assert client.post(f"/en/admin/inbox/{held.id}/dismiss", data={"reason": "spam"}).status_code == 303
    assert "Hi" not in client.get("/en/admin/inbox/").get_data(as_text=True).split("<table>")[1]
    listed = client.get("/en/admin/inbox/?status=dismissed").get_data(as_text=True)
    assert f'href="/en/admin/inbox/{held.id}"' in listed
    assert "Put back in the holding pen" in client.get(f"/en/admin/inbox/{held.id}").get_data(as_text=True)
    assert client.post(f"/en/admin/inbox/{held.id}/restore", data={"reason": "oops"}).status_code == 303
    db.session.refresh(held)
    assert held.status == "holding"
    log = rows("/en/admin/audit.csv")
    assert {r[4] for r in log[1:]} >= {"inbox.dismiss", "inbox.restore"}
    restore = next(r for r in log[1:] if r[4] == "inbox.restore")
    assert restore[3] == admin.name and restore[9] == "oops" and '"subject": "Hi"' in restore[8]
    mod_client, _ = as_role("moderator")
    assert mod_client.get("/en/admin/audit.csv").status_code == 403
    assert mod_client.get("/en/admin/inbox.csv").status_code == 403


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
        for call in re.findall(r'audit\.record\((?:[^,()]|\([^()]*\))+,\s*("[a-z0-9_.]+"(?: if [\w.]+ else "[a-z0-9_.]+")?)', text):
            recorded |= set(re.findall(r'"([a-z0-9_.]+)"', call))
    assert recorded, "the pattern found no audit actions"
    unlabelled = sorted(code for code in recorded if audit_label(code) == code)
    assert not unlabelled, unlabelled


def test_called_off_mail_is_listed_apart_and_never_sent(as_role):
    from app.core.mail import outbox

    queue_email("body@example.org", "accounts/email/confirm.txt", {"url": "http://x", "user": None})
    db.session.commit()
    row = db.session.scalars(select(OutboxMessage)).one()
    assert outbox.cancel(row.id, "report hidden before it was sent") is True
    db.session.commit()
    assert outbox.send_pending() == (0, 0) and outbox.retry_all() == 0
    client, _ = as_role("admin")
    html = client.get("/en/admin/outbox/?status=cancelled").get_data(as_text=True)
    assert "Called off (1)" in html and "body@example.org" in html and "report hidden before it was sent" in html
    assert "body@example.org" not in client.get("/en/admin/outbox/?status=pending").get_data(as_text=True)
    row.status = "sent"
    db.session.commit()
    assert outbox.cancel(row.id, "too late") is False
