"""NUL characters in MapIt and search URLs are refused (400, or 404 in paths), never a 500."""

# PostgreSQL cannot store or compare NUL; the refusal is global (core), these are the URLs it must cover.

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path,status",
    [
        ("/mapit/areas/ab%00", 404),
        ("/mapit/areas/Cardiff?type=%00", 400),
        ("/mapit/area/1/children?type=%00", 400),
        ("/mapit/code/gss/%00", 404),
        ("/mapit/code/%00/x", 404),
        ("/mapit/point/4326/-3.1,51.4?type=%00", 400),
        ("/en/areas/search?q=ab%00", 400),
        ("/en/areas/search?q=%00", 400),
    ],
)
def test_nul_is_refused(client, path, status):
    resp = client.get(path)
    assert resp.status_code == status, (path, resp.status_code)
    if path.startswith("/mapit/") and resp.is_json:
        assert resp.get_json()["code"] == status
