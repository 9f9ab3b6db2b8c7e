"""Prominence of requests, messages and attachments; the redaction rules admin page; admin lists and dashboard links."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from app.extensions import db
from app.foi.models import FoiAttachment, FoiRedaction
from app.foi.search import search_requests

from .conftest import make_user, sign_in
from .helpers import make_request, receive, reply_email


def _setup(runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(
        runner,
        reply_email(
            req,
            "El informe reservado va adjunto.",
            attachments=[("nota.txt", "text/plain", b"Nota interna: 12 baches.")],
        ),
    )
    db.session.expire_all()
    return req, req.messages[-1], req.messages[-1].attachments[0]


def _as(client, user):
    if user is None:
        with client.session_transaction() as sess:
            sess.clear()
    else:
        sign_in(client, user.id)


def test_prominence_levels_for_requests(app, client, runner, authorities):
    req, _msg, _att = _setup(runner, authorities)
    owner = req.user_id
    mod = make_user("mod@example.org", "Mod", role="moderator", language="en")
    stranger = make_user("x@example.org", "Stranger", language="en")
    _as(client, mod)
    resp = client.post(
        f"/en/admin/foi/prominence/request/{req.id}",
        data={"prominence": "requester_only", "reason": "Personal data of a third party."},
    )
    assert resp.status_code == 303
    for who, status in ((None, 403), (stranger, 403)):
        _as(client, who)
        resp = client.get(f"/en/foi/request/{req.id}")
        html = resp.get_data(as_text=True)
        assert (
            resp.status_code == status and "Personal data of a third party." in html and "informe reservado" not in html
        )
        assert client.get(f"/api/foi/requests/{req.id}.json").status_code == 404
        assert client.get(f"/en/foi/request/{req.id}/feed.atom").status_code == 404
    sign_in(client, owner)
    assert client.get(f"/en/foi/request/{req.id}").status_code == 200
    assert search_requests(q="baches")[1] == 0
    _as(client, mod)
    client.post(f"/en/admin/foi/prominence/request/{req.id}", data={"prominence": "hidden", "reason": "Abuse."})
    sign_in(client, owner)
    assert client.get(f"/en/foi/request/{req.id}").status_code == 410
    _as(client, mod)
    assert "informe reservado" in client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert client.post(f"/en/admin/foi/prominence/request/{req.id}", data={"prominence": "bogus"}).status_code == 400
    _as(client, stranger)
    assert client.post(f"/en/admin/foi/prominence/request/{req.id}", data={"prominence": "normal"}).status_code == 403
    db.session.refresh(req)
    assert req.prominence == "hidden"


def test_prominence_of_messages_and_attachments(app, client, runner, authorities):
    req, msg, att = _setup(runner, authorities)
    mod = make_user("mod@example.org", "Mod", role="moderator", language="en")
    _as(client, mod)
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert f"/admin/foi/prominence/request/{req.id}" in page and f"/admin/foi/prominence/attachment/{att.id}" in page
    client.post(f"/en/admin/foi/prominence/attachment/{att.id}", data={"prominence": "hidden", "reason": "Not ours."})
    _as(client, None)
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "nota.txt" not in page and "Not ours." in page and "informe reservado" in page
    assert client.get(f"/en/foi/request/{req.id}/attachments/{att.id}/nota.txt").status_code == 404
    assert client.get(f"/en/foi/request/{req.id}/attachments/{att.id}/text").status_code == 404
    assert search_requests(q="baches")[1] == 0 and search_requests(q="reservado")[1] == 1
    _as(client, mod)
    client.post(
        f"/en/admin/foi/prominence/message/{msg.id}",
        data={"prominence": "requester_only", "reason": "Contains a home address."},
    )
    _as(client, None)
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "informe reservado" not in page and "Contains a home address." in page
    assert "informe reservado" not in client.get(f"/api/foi/requests/{req.id}.json").get_data(as_text=True)
    assert "informe reservado" not in client.get(f"/en/foi/request/{req.id}/feed.atom").get_data(as_text=True)
    assert search_requests(q="reservado")[1] == 0
    sign_in(client, req.user_id)
    assert "informe reservado" in client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    _as(client, mod)
    client.post(f"/en/admin/foi/prominence/message/{msg.id}", data={"prominence": "backpage", "reason": ""})
    _as(client, None)
    assert "informe reservado" in client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)


def test_redaction_rules_page_checks_and_applies_everywhere(app, client, runner, authorities):
    req, msg, att = _setup(runner, authorities)
    mod = make_user("mod@example.org", "Mod", role="moderator", language="en")
    assert client.get("/en/admin/foi/redactions").status_code == 302
    _as(client, mod)
    resp = client.post(
        "/en/admin/foi/redactions",
        data={"pattern": "bache(s", "is_regex": "1", "scope": "global", "replacement": "[x]", "note": "test"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'id="pattern-error"' in html and "missing )" in html
    assert 'value="bache(s"' in html and db.session.scalar(select(FoiRedaction)) is None
    resp = client.post(
        "/en/admin/foi/redactions", data={"pattern": "bache", "scope": "request", "scope_id": "x", "note": ""}
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and 'id="scope_id-error"' in html and 'id="note-error"' in html
    resp = client.post(
        "/en/admin/foi/redactions",
        data={
            "pattern": r"\d+ bache[s]?",
            "is_regex": "1",
            "scope": "request",
            "scope_id": str(req.id),
            "replacement": "[hidden]",
            "note": "A worker's count.",
        },
    )
    assert resp.status_code == 303
    assert "A worker&#39;s count." in client.get("/en/admin/foi/redactions").get_data(as_text=True)
    _as(client, None)
    text = client.get(f"/en/foi/request/{req.id}/attachments/{att.id}/text").get_data(as_text=True)
    assert "12 baches" not in text and "[hidden]" in text
    assert search_requests(q="baches")[1] == 0


def test_admin_home_lists_authorities_missing_an_email(app, client, authorities):
    admin = make_user("root@example.org", "Root", role="admin", language="en")
    sign_in(client, admin.id)
    html = client.get("/en/admin/foi/").get_data(as_text=True)
    section = html.split("Authorities without an address for requests", 1)[1]
    assert "Concejo Callado" in section or "Quiet Council" in section
    assert "Ministry of Roads" not in section
    assert db.session.scalar(select(FoiAttachment)) is None


def test_redaction_rules_can_be_changed_and_deleted_and_are_audited(app, client, runner, authorities):
    from app.core.audit import AuditEntry
    from app.foi.models import FoiRedaction, FoiSearchDoc

    from .conftest import make_user, sign_in

    req = make_request(authorities["Ministry of Roads"], title="Baches de la calle Mayor en 2025")
    admin = make_user("admin@example.org", "Admin", role="admin", language="en")
    sign_in(client, admin.id)
    bad = client.post(
        "/en/admin/foi/redactions", data={"pattern": "Mayor", "scope": "request", "scope_id": "999", "note": "x"}
    )
    assert bad.status_code == 422 and "There is no request 999." in bad.get_data(as_text=True)
    assert '<option value="request" selected>' in bad.get_data(as_text=True)
    client.post(
        "/en/admin/foi/redactions",
        data={"pattern": "Mayor", "scope": "global", "note": "privacy", "replacement": "[x]"},
    )
    rule = db.session.scalar(select(FoiRedaction))
    assert "mayor" not in db.session.get(FoiSearchDoc, req.id).body
    form = client.get(f"/en/admin/foi/redactions?rule={rule.id}").get_data(as_text=True)
    assert 'value="Mayor"' in form and f'name="rule" value="{rule.id}"' in form
    resp = client.post(
        "/en/admin/foi/redactions",
        data={
            "rule": rule.id,
            "pattern": "Baches",
            "scope": "request",
            "scope_id": str(req.id),
            "note": "wrong word",
            "replacement": "[x]",
        },
    )
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(FoiRedaction, rule.id).pattern == "Baches"
    body = db.session.get(FoiSearchDoc, req.id).body
    assert "mayor" in body and "baches" not in body
    client.post("/en/admin/foi/redactions", data={"rule": rule.id, "delete": "1"})
    db.session.expire_all()
    assert db.session.scalar(select(FoiRedaction)) is None and "baches" in db.session.get(FoiSearchDoc, req.id).body
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["foi.redaction.create", "foi.redaction.update", "foi.redaction.delete"]


def test_dashboard_numbers_link_to_their_lists(client, authorities):
    user = make_user()
    late, very_late, _on_time = (
        make_request(authorities["Ministry of Roads"], user, title=t)
        for t in ("Puentes inspeccionados en 2025", "Semáforos instalados en 2024", "Baches tapados en 2023")
    )
    today = dt.date.today()
    late.due_on, late.very_overdue_on = today - dt.timedelta(days=3), today + dt.timedelta(days=30)
    very_late.due_on, very_late.very_overdue_on = today - dt.timedelta(days=40), today - dt.timedelta(days=2)
    db.session.commit()
    sign_in(client, make_user("admin@example.org", "Admin", role="admin", language="en").id)
    html = client.get("/en/admin/").get_data(as_text=True)
    for state, text in (
        ("waiting_response_overdue", "1 overdue request"),
        ("waiting_response_very_overdue", "1 very overdue request"),
    ):
        link = re.search(rf'<a href="([^"]*state={state}[^"]*)">{text}</a>', html)
        assert link, text
        listed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
        assert ("Puentes" in listed) == (state == "waiting_response_overdue")
        assert ("Semáforos" in listed) == (state == "waiting_response_very_overdue") and "Baches" not in listed
