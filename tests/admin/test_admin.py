"""Admin pages: access, users (search, role, ban, translators, CSV), outbox, holding pen, audit."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.core import audit, registry
from app.core.audit import AuditEntry
from app.core.mail import InboxMessage, OutboxMessage, queue_email, send_pending
from app.core.mail.inbox import dispatch, store_raw
from app.extensions import db

from .conftest import PASSWORD


def test_anonymous_is_sent_to_sign_in(client):
    resp = client.get("/en/admin/")
    assert resp.status_code == 302
    assert "/en/accounts/signin?next=%2Fen%2Fadmin%2F" in resp.headers["Location"]


def test_citizens_and_staff_get_403(as_role):
    for role in ("citizen", "staff"):
        client, _ = as_role(role)
        for url in (
            "/en/admin/",
            "/en/admin/users/",
            "/en/admin/outbox/",
            "/en/admin/inbox/",
            "/en/admin/audit/",
            "/en/admin/users.csv",
        ):
            assert client.get(url).status_code == 403, (role, url)
        assert client.post("/en/admin/users/1/ban", data={"reason": "x"}).status_code == 403


def test_dashboard_shows_counts_with_links(as_role, make_user):
    client, _ = as_role("moderator")
    make_user("new@example.org")
    queue_email("x@example.org", "accounts/email/confirm.txt", {"name": "X", "url": "http://x"})
    db.session.commit()
    html = client.get("/en/admin/").get_data(as_text=True)
    assert 'href="/en/admin/users/?new=week">2 new accounts this week' in html
    assert 'href="/en/admin/outbox/?status=pending">1 message waiting to be sent' in html
    assert "0 incoming messages in the holding pen" in html
    assert 'href="/en/admin/inbox/"' not in html  # the holding pen is for admins


def test_components_add_dashboard_panels(app, as_role, tmp_path):
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin" / "panel_test.html").write_text("<p>Test panel says {{ ctx.word }}</p>")
    app.jinja_loader.searchpath.append(str(tmp_path))
    registry.add_dashboard_panel(app, lambda: ("admin/panel_test.html", {"word": "hello"}))
    registry.add_dashboard_panel(app, lambda: None)
    client, _ = as_role("admin")
    assert "Test panel says hello" in client.get("/en/admin/").get_data(as_text=True)


def test_user_search_paging_and_csv(as_role, make_user):
    client, _ = as_role("admin")
    make_user("zoe@example.org", name="Zoé Ñandú")
    make_user("bob@example.org", name="=HYPERLINK(1)")
    html = client.get("/en/admin/users/?q=zo").get_data(as_text=True)
    assert "Zoé Ñandú" in html and "bob@example.org" not in html
    html = client.get("/en/admin/users/?role=admin").get_data(as_text=True)
    assert "1 account found." in html
    resp = client.get("/en/admin/users.csv")
    assert resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert {r["email"] for r in rows} == {"admin@example.org", "zoe@example.org", "bob@example.org"}
    assert next(r for r in rows if r["email"] == "bob@example.org")["name"] == "'=HYPERLINK(1)"


def test_role_change_is_admin_only_and_audited(as_role, make_user):
    target = make_user("c@example.org")
    mod_client, _ = as_role("moderator", "mod@example.org")
    assert mod_client.post(f"/en/admin/users/{target.id}/role", data={"role": "admin"}).status_code == 403
    client, admin = as_role("admin")
    resp = client.post(f"/en/admin/users/{target.id}/role", data={"role": "moderator"})
    assert resp.status_code == 303
    db.session.refresh(target)
    assert target.role == "moderator"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.role"))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (admin.id, "user", str(target.id))
    assert entry.detail == {"from": "citizen", "to": "moderator"}
    assert client.post(f"/en/admin/users/{target.id}/role", data={"role": "emperor"}).status_code == 422
    assert client.post(f"/en/admin/users/{admin.id}/role", data={"role": "citizen"}).status_code == 422
    db.session.refresh(admin)
    assert admin.role == "admin"
    html = client.get("/en/admin/audit/").get_data(as_text=True)
    assert "user.role" in html and "Admin" in html


def test_moderator_bans_citizen_who_then_cannot_sign_in(app, as_role, make_user):
    target = make_user("troll@example.org")
    client, mod = as_role("moderator")
    resp = client.post(f"/en/admin/users/{target.id}/ban", data={"reason": ""})
    assert resp.status_code == 422 and "Please give a reason." in resp.get_data(as_text=True)
    resp = client.post(f"/en/admin/users/{target.id}/ban", data={"reason": "Spam links"})
    assert resp.status_code == 303
    db.session.refresh(target)
    assert target.banned_at is not None and target.ban_reason == "Spam links"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.ban"))
    assert entry.reason == "Spam links" and entry.actor_id == mod.id
    other = app.test_client()
    resp = other.post("/en/accounts/signin", data={"email": "troll@example.org", "password": PASSWORD})
    assert resp.status_code == 403
    # moderators cannot ban admins or themselves
    boss = make_user("boss@example.org", role="admin")
    assert client.post(f"/en/admin/users/{boss.id}/ban", data={"reason": "x"}).status_code == 403
    assert client.post(f"/en/admin/users/{mod.id}/ban", data={"reason": "x"}).status_code == 403
    resp = client.post(f"/en/admin/users/{target.id}/unban", data={"reason": "Appeal accepted"})
    assert resp.status_code == 303
    db.session.refresh(target)
    assert target.banned_at is None
    assert (
        other.post("/en/accounts/signin", data={"email": "troll@example.org", "password": PASSWORD}).status_code == 303
    )


def test_translator_locales(as_role, make_user):
    target = make_user("t@example.org")
    client, _ = as_role("admin")
    html = client.get(f"/en/admin/users/{target.id}").get_data(as_text=True)
    assert 'value="ar"' in html
    resp = client.post(f"/en/admin/users/{target.id}/translator", data={"locales": ["ar", "fr"]})
    assert resp.status_code == 303
    db.session.refresh(target)
    assert target.translator_locales == ["ar", "fr"] and target.can_translate("ar")
    assert client.post(f"/en/admin/users/{target.id}/translator", data={"locales": ["xx"]}).status_code == 422
    mod_client, _ = as_role("moderator")
    assert mod_client.post(f"/en/admin/users/{target.id}/translator", data={"locales": []}).status_code == 403
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.translator")).detail == {
        "from": [],
        "to": ["ar", "fr"],
    }


def test_outbox_lists_and_retry(app_factory, smtp):
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    with app.app_context():
        admin = User(
            email="admin@example.org",
            name="Admin",
            role="admin",
            language="en",
            confirmed_at=db.func.now(),
            translator_locales=[],
        )
        from app.accounts.services import hash_password

        admin.password_hash = hash_password(PASSWORD)
        db.session.add(admin)
        row = queue_email("lost@example.org", "accounts/email/confirm.txt", {"name": "Lost", "url": "http://x"})
        row.status, row.attempts, row.last_error = "failed", 8, "ConnectionRefusedError: nope"
        db.session.commit()
        client = app.test_client()
        client.post("/en/accounts/signin", data={"email": "admin@example.org", "password": PASSWORD})
        html = client.get("/en/admin/outbox/?status=failed").get_data(as_text=True)
        assert "lost@example.org" in html and "ConnectionRefusedError" in html
        assert "lost@example.org" not in client.get("/en/admin/outbox/?status=pending").get_data(as_text=True)
        resp = client.post(f"/en/admin/outbox/{row.id}/retry")
        assert resp.status_code == 303
        db.session.refresh(row)
        assert row.status == "pending"
        assert send_pending() == (1, 0)
        assert smtp.messages[0]["to"] == ["lost@example.org"]
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "outbox.retry")).object_id == str(row.id)


HELD = b"""From: Council <clerk@council.example>\r
To: nobody-here@plaza.test\r
Subject: Re: potholes\r
Message-ID: <held-1@council.example>\r
Content-Type: text/html; charset=utf-8\r
\r
<p>Fixed.</p><script>alert(1)</script>\r
"""


def test_holding_pen_view_redeliver_dismiss(app, as_role):
    row, _ = store_raw(HELD)
    db.session.commit()
    assert dispatch(row) == "holding"
    mod_client, _ = as_role("moderator")
    assert mod_client.get("/en/admin/inbox/").status_code == 403
    client, admin = as_role("admin")
    html = client.get("/en/admin/inbox/").get_data(as_text=True)
    assert "Re: potholes" in html
    html = client.get(f"/en/admin/inbox/{row.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "clerk@council.example" in html

    seen = []

    def handler(item):
        seen.append(item.recipients)
        return "reports" if "report-7@plaza.test" in item.recipients else None

    registry.add_inbox_handler(app, handler)
    resp = client.post(f"/en/admin/inbox/{row.id}/redeliver", data={"address": "not an address"})
    assert resp.status_code == 422
    resp = client.post(f"/en/admin/inbox/{row.id}/redeliver", data={"address": "Report-7@plaza.test"})
    assert resp.status_code == 303
    db.session.refresh(row)
    assert row.status == "processed" and row.handled_by == "reports"
    assert "report-7@plaza.test" in seen[-1]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "inbox.redeliver"))
    assert entry.detail == {"address": "report-7@plaza.test", "result": "processed"}

    other, _ = store_raw(HELD.replace(b"held-1", b"held-2"))
    db.session.commit()
    dispatch(other)
    resp = client.post(f"/en/admin/inbox/{other.id}/dismiss", data={"reason": "spam"})
    assert resp.status_code == 303
    db.session.refresh(other)
    assert other.status == "dismissed"
    assert db.session.scalar(select(InboxMessage.id).where(InboxMessage.status == "holding")) is None


def test_audit_record_does_not_commit(app):
    audit.record(1, "thing.test", "thing", 5, {"a": 1}, reason="why")
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry)) is None
    audit.record(None, "thing.test", "thing", 5)
    db.session.commit()
    items, total = audit.entries(object_type="thing", object_id=5)
    assert total == 1 and items[0].object_id == "5" and items[0].detail == {}


def test_outbox_model_untouched_by_listing(as_role):
    client, _ = as_role("moderator")
    assert client.get("/en/admin/outbox/?status=bogus").status_code == 200
    assert db.session.scalar(select(OutboxMessage)) is None


def test_user_list_pages(app, as_role, monkeypatch):
    monkeypatch.setitem(app.config, "PLAZA_PER_PAGE", 2)
    client, _ = as_role("admin")
    for n in range(4):
        db.session.add(User(email=f"u{n}@example.org", name=f"User {n}", role="citizen", translator_locales=[]))
    db.session.commit()
    first = client.get("/en/admin/users/?role=citizen").get_data(as_text=True)
    assert "User 3" in first and "User 1" not in first
    assert 'href="/en/admin/users/?page=2&amp;role=citizen" rel="next"' in first
    second = client.get("/en/admin/users/?role=citizen&page=2").get_data(as_text=True)
    assert "User 1" in second and "User 0" in second and "User 3" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_holding_pen_offers_the_suggested_address(app, as_role):
    row, _ = store_raw(HELD.replace(b"held-1", b"held-3"))
    row.status, row.suggestion = "holding", "request-3-abcdef12@plaza.test"
    db.session.commit()
    client, _admin = as_role("admin")
    html = client.get(f"/en/admin/inbox/{row.id}").get_data(as_text=True)
    assert 'value="request-3-abcdef12@plaza.test"' in html
    assert 'value="nobody-here@plaza.test"' not in html


@pytest.mark.parametrize(
    "url",
    [
        "/en/admin/users/?page=99999999999999999999",
        "/en/admin/outbox/?page=99999999999999999999",
        "/en/admin/inbox/?page=99999999999999999999",
        "/en/admin/audit/?page=99999999999999999999",
        "/en/admin/translations/log?page=99999999999999999999",
        "/en/admin/translations/log?user=99999999999999999999",
        "/en/admin/translations/log?user=99999999999999",
    ],
)
def test_huge_numbers_in_admin_lists_are_an_empty_page(as_role, url):
    client, _ = as_role("admin")
    resp = client.get(url)
    assert resp.status_code == 200, url
    assert "<footer" in resp.get_data(as_text=True)


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


def test_retry_all_failed_mail(as_role):
    client, _ = as_role("admin")
    rows = [
        queue_email(f"f{i}@example.org", "accounts/email/confirm.txt", {"name": "F", "url": "http://x"})
        for i in range(3)
    ]
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


def test_csv_exports_and_restoring_dismissed_mail(as_role):
    import csv as csv_mod
    import io as io_mod

    client, admin = as_role("admin")
    row = queue_email("lost@example.org", "accounts/email/confirm.txt", {"name": "L", "url": "http://x"})
    db.session.flush()
    row.status, row.last_error = "failed", "=cmd|' /C calc'!A0"
    held, _ = store_raw(
        b"From: a@example.org\r\nTo: x@plaza.test\r\nSubject: Hi\r\nMessage-ID: <csv-1@example.org>\r\n\r\nHi\r\n"
    )
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
