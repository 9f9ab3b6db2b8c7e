"""Debate pages: the index by date, a debate with its sections and speech anchors, speech links, speaker pages."""

from __future__ import annotations

import gzip

from sqlalchemy import select

from app.extensions import db
from app.record.debates.models import Debate, Speech

from .debate_helpers import HARBOUR, MARKET, PLAIN, import_debates, make_person


def test_index_lists_debates_newest_date_first(app, client):
    import_debates(app, HARBOUR, MARKET, PLAIN)
    resp = client.get("/en/record/debates/")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert (
        html.index("Market stalls")
        < html.index("Harbour dredging and lighthouse keepers")
        < html.index("Untitled debate")
    )
    assert "8 contributions" in html


def test_debate_page_shows_sections_speeches_and_anchors(app, client):
    quill = make_person("Alys Quill", source_id="popolo-quill")
    import_debates(app, HARBOUR)
    debate = db.session.scalar(select(Debate))
    speech = db.session.scalar(select(Speech).where(Speech.kind == "answer"))
    resp = client.get(f"/en/record/debates/{debate.id}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "HARBOUR DREDGING BILL" in html and "Amendment on lighthouse keepers" in html
    assert f'id="s{speech.id}"' in html
    assert f'<a href="/en/record/speakers/{quill}" dir="auto">Alys Quill</a>' in html  # matched: their name
    assert '<a href="/en/record/speakers/printed/' in html  # unmatched: the printed name's page
    assert '<p dir="auto">The winter ferry timetable will be published before the first frost.</p>' in html
    assert "&lt;b&gt;tags&lt;/b&gt;" in html and "<b>tags</b>" not in html
    assert len(gzip.compress(resp.get_data())) < 14 * 1024


def test_a_speech_link_leads_to_its_anchor(app, client):
    import_debates(app, HARBOUR)
    speech = db.session.scalar(select(Speech).where(Speech.kind == "answer"))
    resp = client.get(f"/en/record/speeches/{speech.id}")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/en/record/debates/{speech.debate_id}#s{speech.id}")
    assert client.get("/en/record/speeches/999999").status_code == 404


def test_speaker_page_lists_their_speeches(app, client):
    quill = make_person("Alys Quill", source_id="popolo-quill")
    import_debates(app, HARBOUR, MARKET)
    resp = client.get(f"/en/record/speakers/{quill}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Speeches by Alys Quill" in html and "3 contributions in the record." in html
    assert f'href="/en/record/alerts/new?person={quill}"' in html
    assert len(gzip.compress(resp.get_data())) < 14 * 1024
    assert html.index("Dredging the harbour comes first") < html.index("The silt in the eastern basin")
    assert client.get("/en/record/speakers/999999").status_code == 404


def test_unmatched_printed_name_has_its_own_page(app, client):
    import_debates(app, HARBOUR)
    speech = db.session.scalar(select(Speech).where(Speech.attribution == "The PRESIDING OFFICER"))
    resp = client.get(f"/en/record/speakers/printed/{speech.alias_id}")
    assert resp.status_code == 200
    assert "Speeches by The PRESIDING OFFICER" in resp.get_data(as_text=True)


def test_pages_render_right_to_left(app, client):
    import_debates(app, MARKET)
    debate = db.session.scalar(select(Debate))
    resp = client.get(f"/ar/record/debates/{debate.id}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'dir="rtl"' in html and '<p dir="auto">سقف السوق المغطى يحتاج إلى إصلاح</p>' in html


def test_unknown_debate_is_404(client):
    assert client.get("/en/record/debates/424242").status_code == 404


def test_pages_render_in_welsh(app_factory):
    app = app_factory(PLAZA_PROFILE="gb-wls")  # a profile that offers Welsh
    with app.app_context():
        import_debates(app, HARBOUR)
        debate = db.session.scalar(select(Debate))
        client = app.test_client()
        _welsh_pages(client, debate)


def _welsh_pages(client, debate):
    for url in ("/cy/record/debates/", f"/cy/record/debates/{debate.id}", "/cy/record/search?q=ferry"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert '<html lang="cy"' in resp.get_data(as_text=True)
