"""The root redirects to a language; the home page carries the language and direction."""


def test_root_redirects_to_a_language(client):
    resp = client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/fr/")
    assert "Accept-Language" in resp.headers["Vary"]


def test_home_page_has_lang_and_dir(client):
    resp = client.get("/ar/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert resp.headers["Content-Language"] == "ar"
