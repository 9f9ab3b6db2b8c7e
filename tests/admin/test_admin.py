"""Admin pages: access, users (search, role, ban, translators, CSV), outbox, holding pen, audit."""

from __future__ import annotations

import csv
import io

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
        for url in ("/en/admin/", "/en/admin/users/", "/en/admin/outbox/", "/en/admin/inbox/", "/en/admin/audit/",
                    "/en/admin/users.csv"):
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
    assert other.post("/en/accounts/signin", data={"email": "troll@example.org",
                                                  "password": PASSWORD}).status_code == 303


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
        "from": [], "to": ["ar", "fr"]}


def test_outbox_lists_and_retry(app_factory, smtp):
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    with app.app_context():
        admin = User(email="admin@example.org", name="Admin", role="admin", language="en", confirmed_at=db.func.now(),
                     translator_locales=[])
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
