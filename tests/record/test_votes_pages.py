"""Citizen pages of the votes: the person page's "How they voted", policies, a person's votes, feeds."""

from __future__ import annotations

import gzip

from .votes_helpers import TUITION, event_id, import_subset, person_id, policy_id


def _light(resp) -> None:
    assert len(gzip.compress(resp.data)) < 14 * 1024


def test_person_page_says_how_they_voted(app, client):
    import_subset(app)
    corbyn = person_id("jeremy_corbyn")
    resp = client.get(f"/en/people/{corbyn}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "How they voted" in html
    assert "Voted against raising England’s undergraduate tuition fee cap to £9,000 per year" in html
    assert "Consistently voted against selling England’s state owned forests" in html
    assert f"/en/record/policies/{policy_id('PW-6697')}?person={corbyn}#evidence" in html
    assert "Rebellions: voted against the majority of their party in 0 of 4 votes." in html
    assert "Attendance: voted in 100% of the 4 divisions held while a member." in html
    _light(resp)


def test_person_page_in_arabic_is_rtl_and_translated_strings_fall_back(app, client):
    import_subset(app)
    resp = client.get(f"/ar/people/{person_id('jeremy_corbyn')}")
    assert resp.status_code == 200
    assert 'dir="rtl"' in resp.get_data(as_text=True)


def test_policy_page_lists_divisions_members_filter_sort_and_evidence(app, client):
    import_subset(app)
    pid, corbyn = policy_id("PW-6697"), person_id("jeremy_corbyn")
    resp = client.get(f"/en/record/policies/{pid}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Sell England&#39;s Public Forests" in html
    assert html.count("/en/record/divisions/") == 2 and "strong" in html and "weak" in html
    assert "40 members" in html
    lab = client.get(f"/en/record/policies/{pid}?party=" + _party_key(html, "Labour Party") + "&sort=name")
    lab_html = lab.get_data(as_text=True)
    assert lab.status_code == 200 and "10 members" in lab_html and "Julian Lewis" not in lab_html
    names = [n for n in ("Jeremy Corbyn", "Kate Hoey") if n in lab_html]
    assert lab_html.index(names[0]) < lab_html.index(names[1])
    evidence = client.get(f"/en/record/policies/{pid}?person={corbyn}").get_data(as_text=True)
    assert "How Jeremy Corbyn voted on this policy" in evidence
    _light(resp)
    assert client.get("/en/record/policies/").status_code == 200
    assert client.get("/en/record/policies/999999").status_code == 404


def _party_key(html: str, name: str) -> str:
    before = html[: html.index(f">{name}</option>")]
    return before[before.rindex('value="') + 7 :].split('"')[0]


def test_person_votes_newest_first_and_paged(app_factory):
    app = app_factory(RECORD_PAGE_SIZE=3)
    with app.app_context():
        import_subset(app)
        client = app.test_client()
        corbyn = person_id("jeremy_corbyn")
        first = client.get(f"/en/record/people/{corbyn}/votes")
        html = first.get_data(as_text=True)
        assert first.status_code == 200 and 'rel="next"' in html
        assert html.index("Sale of Public Forest Estate") < html.index("University Tuition")  # 2011 before 2010
        assert "Parliamentary Voting System" not in html
        second = client.get(f"/en/record/people/{corbyn}/votes?page=2").get_data(as_text=True)
        assert "Parliamentary Voting System" in second and "University Tuition" not in second
        assert client.get(f"/en/record/people/{corbyn}/votes?page=zz").status_code == 200
        assert client.get("/en/record/people/999999/votes").status_code == 404


def test_feeds_for_a_person_and_a_policy(app, client):
    import_subset(app)
    feed = client.get(f"/en/record/people/{person_id('julian_lewis')}/feed.atom")
    assert feed.status_code == 200 and feed.content_type.startswith("application/atom+xml")
    xml = feed.get_data(as_text=True)
    assert xml.count("<entry>") == 4 and "Voted against the majority of their party." in xml
    assert f"/en/record/divisions/{event_id(TUITION)}" in xml
    policy = client.get(f"/en/record/policies/{policy_id('PW-1132')}/feed.atom").get_data(as_text=True)
    assert "<title>University Tuition Fee Cap" in policy


def test_directory_lists_link_each_representative_to_their_voting_record(app):
    from app.directory import services as directory

    import_subset(app)
    corbyn = person_id("jeremy_corbyn")
    with app.test_request_context("/en/"):
        from flask import g

        g.lang = "en"
        links = directory.person_links_extra([corbyn, 2**31 - 1])
    assert links[corbyn] == [("Voting record", f"/en/record/people/{corbyn}/votes")]
    assert links[2**31 - 1] == []
