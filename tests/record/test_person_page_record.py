"""The record's section on a directory person page: votes when they voted, a counted link to
their speeches when they spoke, nothing when they did neither."""

from __future__ import annotations

from .debate_helpers import HARBOUR, MARKET, import_debates, make_person
from .votes_helpers import import_subset, person_id


def _section(html: str) -> str:
    start = html.index('<section id="record">')
    return html[start : html.index("</section>", start)]


def test_a_person_who_only_spoke_links_to_their_speeches(app, client):
    quill = make_person("Alys Quill", source_id="popolo-quill")
    import_debates(app, HARBOUR, MARKET)
    resp = client.get(f"/en/people/{quill}")
    assert resp.status_code == 200
    section = _section(resp.get_data(as_text=True))
    assert f'<a href="/en/record/speakers/{quill}">3 speeches in the debates</a>' in section
    assert "How they voted" not in section and "Every vote" not in section
    assert f"/en/record/people/{quill}/feed.atom" in section


def test_a_person_who_voted_but_never_spoke_has_no_speeches_link(app, client):
    import_subset(app)
    corbyn = person_id("jeremy_corbyn")
    section = _section(client.get(f"/en/people/{corbyn}").get_data(as_text=True))
    assert "How they voted" in section and f"/en/record/people/{corbyn}/votes" in section
    assert "/en/record/speakers/" not in section and "What they said" not in section


def test_a_person_with_no_record_has_no_section(app, client):
    nobody = make_person("Nobody Spoke")
    resp = client.get(f"/en/people/{nobody}")
    assert resp.status_code == 200
    assert 'id="record"' not in resp.get_data(as_text=True)
