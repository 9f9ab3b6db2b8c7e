"""The division page: motion, result, counts (published and recounted), per-party breakdown, rebels."""

from __future__ import annotations

import gzip

from .votes_helpers import TUITION, event_id, import_subset


def test_division_page_shows_counts_parties_and_rebels(app, client):
    import_subset(app)
    resp = client.get(f"/en/record/divisions/{event_id(TUITION)}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "University Tuition Fee Cap" in html and "Passed" in html
    assert "differs" in html  # the published counts are for the whole House, the votes a subset
    assert "Conservative Party" in html and "Labour Party" in html
    # Julian Lewis and David Davis voted against their party (18 Conservatives voting here), and so did Tim Farron
    row = html[html.index("Julian Lewis") :].split("</tr>")[0]
    assert "✱" in row
    corbyn = html[html.index("Jeremy Corbyn") :].split("</tr>")[0]
    assert "✱" not in corbyn and ">No<" in corbyn.replace(" ", "")
    assert "3 members voted against the majority of their party" in html
    assert "Tuition fees" in html  # the policy it counts towards
    assert len(gzip.compress(resp.data)) < 14 * 1024


def test_division_page_in_arabic_and_unknown_division(app, client):
    import_subset(app)
    resp = client.get(f"/ar/record/divisions/{event_id(TUITION)}")
    assert resp.status_code == 200
    assert 'dir="rtl"' in resp.get_data(as_text=True)
    assert client.get("/en/record/divisions/999999").status_code == 404
