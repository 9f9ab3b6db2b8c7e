"""FOI laws as the profile gives them: names in the page language, laws that do not oblige, reviews by an outside body."""

from __future__ import annotations

import pytest

from app.extensions import db

from .conftest import make_user, sign_in
from .helpers import make_request, receive, reply_email


def _rule(pattern, scope="global", scope_id=None, replacement="[oculto]"):
    from app.foi.models import FoiRedaction

    db.session.add(
        FoiRedaction(pattern=pattern, scope=scope, scope_id=scope_id, replacement=replacement, note="privacy")
    )
    db.session.commit()


def test_law_names_tags_and_scopes_in_the_page_language(app, client, authorities):
    from app.foi import laws

    body = authorities["Ministry of Roads"]
    law_es = laws.law_name(laws.law_for(body), "es")
    law_en = laws.law_name(laws.law_for(body), "en")
    assert law_es != law_en
    req = make_request(body)
    for url in (f"/es/foi/authorities/{body.id}", f"/es/foi/request/{req.id}"):
        html = client.get(url).get_data(as_text=True)
        assert law_es in html and law_en not in html, url
    sign_in(client, req.user_id)
    html = client.get(f"/es/foi/request/{req.id}/followup?review=1").get_data(as_text=True)
    assert law_es in html and law_en not in html
    admin = make_user("root@example.org", "Root", role="admin", language="en")
    sign_in(client, admin.id)
    _rule("Geraldine")
    html = client.get("/en/admin/foi/redactions").get_data(as_text=True)
    assert "(everything)" in html and "(global)" not in html


@pytest.fixture
def outside_law(app):
    """The demo law, made not binding, with a link and complaints to an outside body."""
    import dataclasses

    prof = app.extensions["plaza_profile"]
    law = dataclasses.replace(
        prof.foi_laws[0],
        binding=False,
        url="https://law.example/ati",
        review_kind="external",
        review_body={"en": "the Information Tribunal"},
    )
    app.extensions["plaza_profile"] = dataclasses.replace(prof, foi_laws=(law,))
    yield law
    app.extensions["plaza_profile"] = prof


def test_not_binding_law_link_and_outside_review(app, client, runner, authorities, outside_law):
    req = make_request(authorities["Ministry of Roads"])
    sign_in(client, req.user_id)
    html = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "does not oblige it to" in html and 'href="https://law.example/ati"' in html
    assert "internal review" not in html  # nothing to review before a reply
    page = client.get(f"/en/foi/authorities/{req.authority_id}").get_data(as_text=True)
    assert "does not oblige" in page and 'href="https://law.example/ati"' in page
    receive(runner, reply_email(req, text="We refuse."))
    client.post(f"/en/foi/request/{req.id}/classify", data={"state": "rejected"})
    html = client.get(f"/en/foi/request/{req.id}").get_data(as_text=True)
    assert "complain to the Information Tribunal" in html and "review=1" not in html
    html = client.get(f"/en/foi/request/{req.id}/followup?review=1").get_data(as_text=True)
    assert "the Information Tribunal" in html and "It must review its decision" not in html
