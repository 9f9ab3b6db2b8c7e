"""Site-wide addresses: robots.txt, unknown paths (404 in the layout), paths without a language, the x-default alternate."""

from __future__ import annotations


def test_robots_txt_and_no_bounce_for_unknown_paths(client):
    resp = client.get("/robots.txt")
    assert resp.status_code == 200 and resp.mimetype == "text/plain"
    assert "Disallow: /*/admin/" in resp.get_data(as_text=True)
    for path in ("/about", "/.env"):
        resp = client.get(path)
        assert resp.status_code == 404, path
        assert "<footer" in resp.get_data(as_text=True)
    resp = client.get("/en")
    assert resp.status_code == 308 and resp.headers["Location"].endswith("/en/")
    resp = client.get("/accounts/signin")  # a page without its language still finds it
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/accounts/signin")


def test_x_default_is_the_negotiating_url(client):
    html = client.get("/es/accounts/signin").get_data(as_text=True)
    assert '<link rel="alternate" hreflang="x-default" href="http://localhost/accounts/signin">' in html
    html = client.get("/es/").get_data(as_text=True)
    assert '<link rel="alternate" hreflang="x-default" href="http://localhost/">' in html
