"""Second audit, polish: who a message is from, empty messages, small files, disguised names, feeds,
French and Arabic quoting and auto-replies, delay warnings."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.foi import services
from app.foi.models import FoiMessage

from .conftest import MAIL
from .helpers import make_request, receive, reply_email


def test_mail_from_outside_the_authority_is_not_labelled_its_reply(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "Respuesta oficial.", sender="Jefa <jefa@roads.example>", message_id="<a@x>"))
    receive(runner, reply_email(req, "Compre relojes.", sender="Spam <x@spam.example>", message_id="<b@x>"))
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    official, spam = page.index("Respuesta oficial."), page.index("Compre relojes.")
    assert page.rfind("Reply from Ministry of Roads", 0, official) > 0
    assert "Message from an address at spam.example" in page[official:spam]
    assert "x@spam.example" not in page


def test_empty_reply_small_files_and_disguised_names(app, client, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "", attachments=[("informe\u202etxt.exe", "application/octet-stream", b"MZ12"),
                                                      ("nota.txt", "text/plain", b"Hola")]))
    page = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "(This message has no text.)" in page
    assert "\u202e" not in page and "informetxt.exe" in page
    assert "4 bytes" in page and "0 KB" not in page and "0.0 KB" not in page


def test_feeds_have_an_author(app, client, authorities):
    req = make_request(authorities["Ministry of Roads"])
    for url in ("/en/foi/feed.atom", f"/en/foi/request/{req.id}/feed.atom"):
        xml = client.get(url).get_data(as_text=True)
        assert "<author><name>Plaza" in xml, url


def test_french_and_arabic_quoted_messages_are_folded(app, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "Voici la réponse.\n\nDe : Ana <ana@example.org>\nEnvoyé : lundi 1 janvier\n"
                                     "À : Ministère\nObjet : Demande\n\nMadame, je voudrais", message_id="<fr@x>"))
    receive(runner, reply_email(req, "هذا هو الرد.\n\nمن: أنا\nإلى: الوزارة\nالموضوع: طلب\n\nأود أن أعرف",
                                message_id="<ar@x>"))
    fr, ar = db.session.scalars(select(FoiMessage).where(FoiMessage.direction == "in")).all()
    assert fr.body == "Voici la réponse." and "je voudrais" in fr.folded
    assert ar.body == "هذا هو الرد." and "أود أن أعرف" in ar.folded


def test_arabic_auto_reply_and_delay_warning(app, runner, authorities):
    req = make_request(authorities["Ministry of Roads"])
    receive(runner, reply_email(req, "أنا خارج المكتب", subject="رد تلقائي: طلب", message_id="<oof@x>"))
    address = services.request_address(req)
    raw = (MAIL / "track-response-ms-bounce.eml").read_bytes()
    for key in (b"EMAIL_TO", b"EMAIL_CC", b"EMAIL_BCC", b"EMAIL_ENVELOPE_TO"):
        raw = raw.replace(key, address.encode())
    result = runner.invoke(args=["mail", "receive", "--recipient", address], input=raw)
    assert "processed" in result.output
    oof, delay = db.session.scalars(select(FoiMessage).where(FoiMessage.direction == "in")).all()
    assert oof.is_auto_reply and not oof.is_bounce
    assert not delay.is_bounce and delay.is_auto_reply
    assert not db.session.merge(req).awaiting_description  # nothing to classify yet


def test_redaction_rules_can_be_changed_and_deleted_and_are_audited(app, client, runner, authorities):
    from app.core.audit import AuditEntry
    from app.foi.models import FoiRedaction, FoiSearchDoc

    from .conftest import make_user, sign_in

    req = make_request(authorities["Ministry of Roads"], title="Baches de la calle Mayor en 2025")
    admin = make_user("admin@example.org", "Admin", role="admin", language="en")
    sign_in(client, admin.id)
    bad = client.post("/en/admin/foi/redactions", data={"pattern": "Mayor", "scope": "request",
                                                         "scope_id": "999", "note": "x"})
    assert bad.status_code == 422 and "There is no request 999." in bad.get_data(as_text=True)
    assert '<option value="request" selected>' in bad.get_data(as_text=True)
    client.post("/en/admin/foi/redactions", data={"pattern": "Mayor", "scope": "global", "note": "privacy",
                                                  "replacement": "[x]"})
    rule = db.session.scalar(select(FoiRedaction))
    assert "mayor" not in db.session.get(FoiSearchDoc, req.id).body
    form = client.get(f"/en/admin/foi/redactions?rule={rule.id}").get_data(as_text=True)
    assert 'value="Mayor"' in form and f'name="rule" value="{rule.id}"' in form
    resp = client.post("/en/admin/foi/redactions", data={"rule": rule.id, "pattern": "Baches", "scope": "request",
                                                         "scope_id": str(req.id), "note": "wrong word",
                                                         "replacement": "[x]"})
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
