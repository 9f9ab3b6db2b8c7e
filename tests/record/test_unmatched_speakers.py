"""Admin › Unmatched speakers: moderators only, CSRF, audited; a match applies to every speech of that name."""

from __future__ import annotations

from sqlalchemy import select

from app.core.audit import AuditEntry
from app.extensions import db
from app.record.debates.models import SpeakerAlias, Speech

from .debate_helpers import HARBOUR, MARKET, import_debates, make_person, make_user, sign_in

URL = "/en/admin/record/speakers/"


def _alias(name):
    return db.session.scalar(select(SpeakerAlias).where(SpeakerAlias.name == name))


def test_only_moderators_may_open_it(app, client):
    resp = client.get(URL)
    assert resp.status_code == 302 and "signin" in resp.headers["Location"]
    sign_in(client, make_user(email="citizen@example.org", role="citizen"))
    assert client.get(URL).status_code == 403


def test_a_match_applies_to_every_speech_of_the_name_and_is_audited(app, client):
    import_debates(app, HARBOUR, MARKET)
    nunez = make_person("Élodie Núñez")
    moderator = make_user()
    sign_in(client, moderator)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mr É NÚÑEZ" in html and "The PRESIDING OFFICER" in html
    alias = _alias("Mr É NÚÑEZ")
    resp = client.post(f"/en/admin/record/speakers/{alias.id}/match", data={"person": str(nunez)})
    assert resp.status_code == 303
    db.session.expire_all()
    rows = db.session.scalars(select(Speech).where(Speech.alias_id == alias.id)).all()
    assert len(rows) == 2 and {(s.person_id, s.person_via) for s in rows} == {(nunez, "alias")}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "record.speaker_match"))
    assert entry.actor_id == moderator and entry.object_id == str(alias.id)
    assert entry.detail == {"name": "Mr É NÚÑEZ", "person_id": nunez, "speeches": 2}
    assert f'id="alias-{alias.id}"' not in client.get(URL).get_data(as_text=True)


def test_a_name_borne_by_one_person_is_enough(app, client):
    import_debates(app, HARBOUR)
    officer = make_person("Ruth Okafor")
    sign_in(client, make_user())
    alias = _alias("The PRESIDING OFFICER")
    resp = client.post(f"/en/admin/record/speakers/{alias.id}/match", data={"person": "ruth OKAFOR"})
    assert resp.status_code == 303
    db.session.expire_all()
    assert _alias("The PRESIDING OFFICER").person_id == officer


def test_unknown_or_ambiguous_people_come_back_with_a_message(app, client):
    import_debates(app, HARBOUR)
    make_person("Sam Lee")
    make_person("Sam Lee")
    sign_in(client, make_user())
    alias = _alias("The PRESIDING OFFICER")
    resp = client.post(f"/en/admin/record/speakers/{alias.id}/match", data={"person": "Sam Lee"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Several people are called “Sam Lee”" in html and 'value="Sam Lee"' in html
    resp = client.post(f"/en/admin/record/speakers/{alias.id}/match", data={"person": "987654"})
    assert resp.status_code == 422 and "No person has the number 987654." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert _alias("The PRESIDING OFFICER").person_id is None


def test_the_form_needs_its_csrf_token(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        import_debates(app, HARBOUR)
        nunez = make_person("Élodie Núñez")
        client = app.test_client()
        sign_in(client, make_user())
        alias = _alias("Mr É NÚÑEZ")
        resp = client.post(f"/en/admin/record/speakers/{alias.id}/match", data={"person": str(nunez)})
        assert resp.status_code in (400, 422)
        db.session.expire_all()
        assert _alias("Mr É NÚÑEZ").person_id is None


def test_the_admin_nav_links_it(app, client):
    sign_in(client, make_user())
    assert URL in client.get("/en/admin/").get_data(as_text=True)
