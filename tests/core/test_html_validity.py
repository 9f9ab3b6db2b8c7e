"""One page of each kind parses as valid HTML (html5lib, strict) with no bare hx-* attribute."""

from __future__ import annotations

import pytest
from html_check import assert_valid_html

PAGES = [
    "/en/",
    "/ar/",
    "/en/accounts/signin",
    "/en/accounts/signup",
    "/en/areas/",
    "/en/areas/search?q=x",
    "/en/people/",
    "/en/organisations/",
    "/en/representatives",
    "/en/reports/",
    "/en/reports/new",
    "/en/foi/",
    "/en/foi/authorities",
    "/en/write/",
    "/en/write/new",
    "/en/record/debates/",
    "/en/record/policies/",
    "/en/record/search",
    "/en/record/alerts/new",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_valid_html(client, path):
    resp = client.get(path)
    assert resp.status_code == 200
    assert_valid_html(resp.get_data(as_text=True))
