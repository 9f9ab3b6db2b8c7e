"""Browsing authorities: filters by area and tag that show and can be removed, tags labelled in the page language."""

from __future__ import annotations


def test_browse_authorities_by_area_with_active_filters(app, runner, client):
    import re

    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    html = client.get("/en/foi/authorities").get_data(as_text=True)
    assert '<select id="area" name="area">' in html and "<optgroup" in html
    assert 'hx-include="closest form"' in html
    area_id, area_name = re.search(r'<option value="(\d+)">([^<]+)</option>', html).groups()
    html = client.get(f"/en/foi/authorities?area={area_id}&tag=council").get_data(as_text=True)
    assert f'<option value="{area_id}" selected>' in html
    assert f"In the area: {area_name}" in html and "Tagged: council" in html
    assert html.count("Remove this filter") == 2 and f'href="/en/foi/authorities?area={area_id}"' in html
    found = re.findall(r'href="/en/foi/authorities/(\d+)"', html)
    everything = re.findall(
        r'href="/en/foi/authorities/(\d+)"', client.get("/en/foi/authorities").get_data(as_text=True)
    )
    assert found and len(found) < len(everything)


def test_known_tags_are_labelled_others_shown_raw(client, authorities, monkeypatch):
    from app.foi import labels

    monkeypatch.setitem(labels.TAG_NAMES, "transport", "Transportes")
    html = client.get("/es/foi/authorities").get_data(as_text=True)
    assert ">transport</a>" not in html and ">Transportes</a>" in html
    assert labels.tag_label("no-such-tag") == "no-such-tag"
