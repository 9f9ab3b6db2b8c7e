"""Searching speeches: words and prefixes, accents, snippets with safe marks, filters, htmx partials, bad input."""

from __future__ import annotations

import gzip

from markupsafe import Markup

from app.record.debates.search import search, snippet

from .debate_helpers import HARBOUR, MARKET, import_debates, make_person


def test_search_finds_a_phrase_with_its_speaker_and_marks_it(app, client):
    make_person("Alys Quill", source_id="popolo-quill")
    import_debates(app, HARBOUR, MARKET)
    resp = client.get("/en/record/search?q=eastern+basin")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "1 speech matches." in html
    assert "The silt in the <mark>eastern</mark> <mark>basin</mark> has risen" in html
    assert "Alys Quill" in html
    assert resp.headers.get("Vary") and "HX-Request" in resp.headers["Vary"]
    assert 'href="/en/record/alerts/new?keyword=eastern+basin"' in html
    assert len(gzip.compress(resp.get_data())) < 14 * 1024


def test_prefixes_and_accents_match_and_results_are_ranked(app):
    import_debates(app, HARBOUR, MARKET)
    hits, total = search("dredg")
    assert total == 2 and len(hits) == 2
    hits, total = search("NUNEZ")  # nobody said it: names are not in the text
    assert total == 0
    hits, total = search("السوق")
    assert total == 1


def test_filters_by_speaker_and_dates(app, client):
    quill = make_person("Alys Quill", source_id="popolo-quill")
    import_debates(app, HARBOUR, MARKET)
    assert search("market")[1] == 2
    assert search("market", person_id=quill)[1] == 1
    import datetime as dt

    assert search("harbour", since=dt.date(2025, 3, 5))[1] == 1
    assert search("harbour", until=dt.date(2025, 3, 4))[1] == 0  # "harbours" only in the 4 March role
    html = client.get(f"/en/record/search?q=market&speaker={quill}").get_data(as_text=True)
    assert "Only speeches by Alys Quill." in html and "1 speech matches." in html


def test_htmx_gets_only_the_results(app, client):
    import_debates(app, HARBOUR)
    resp = client.get("/en/record/search?q=ferry", headers={"HX-Request": "true"})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<mark>ferry</mark>" in html and "<form" not in html and "<html" not in html
    assert "HX-Request" in resp.headers["Vary"]


def test_bad_dates_come_back_with_a_message(app, client):
    resp = client.get("/en/record/search?q=ferry&since=2025-13-45")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'value="ferry"' in html and "Please correct the problems below." in html
    resp = client.get("/en/record/search?q=ferry&since=2025-03-05&until=2025-03-01")
    assert resp.status_code == 422
    assert "The end date must not be before the start date." in resp.get_data(as_text=True)


def test_snippet_escapes_text_and_marks_only_matches():
    out = snippet("Tom <script>alert(1)</script> & the Harbour-master's harbour", "harbour")
    assert isinstance(out, Markup)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert out.count("<mark>") == 2 and "<mark>Harbour</mark>-master" in out


def test_empty_query_shows_the_form_only(app, client):
    resp = client.get("/en/record/search")
    assert resp.status_code == 200
    assert "matches" not in resp.get_data(as_text=True)


def test_better_matches_come_first(app, tmp_path):
    record = tmp_path / "lanterns.xml"
    record.write_text(
        "<akomaNtoso><debate><preface><docDate date='2025-04-01'/></preface><debateBody>"
        "<speech><from>A</from><p>Lantern, lantern, lantern: the lantern keepers need lantern oil.</p></speech>"
        "<speech><from>B</from><p>The harbour budget, the ferry budget, the school budget and one lantern.</p></speech>"
        "</debateBody></debate></akomaNtoso>",
        encoding="utf-8",
    )
    import_debates(app, record)
    hits, total = search("lantern")
    assert total == 2
    from app.record.debates.queries import speeches

    assert [s.text[:7] for s in speeches([h.speech_id for h in hits])] == ["Lantern", "The har"]
