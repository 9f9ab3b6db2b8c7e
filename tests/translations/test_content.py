"""Site name and static pages per language, with fallback; the translation status page."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.translations.models import ContentText, TranslationLog

from .conftest import add_user, sign_in


def test_pages_fall_back_to_the_default_language_never_empty(make):
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    reader = app.test_client()

    empty = reader.get("/cy/pages/about")
    assert empty.status_code == 200 and "This page has not been written yet." in empty.get_data(as_text=True)
    assert reader.get("/cy/pages/nope").status_code == 404

    body = "Plaza helps people.\n\nIt is run by volunteers.\n<script>alert(1)</script>"
    resp = admin.post("/en/admin/translations/content/page:about:body", data={"text-en": body, "text-cy": ""})
    assert resp.status_code == 303
    cy = reader.get("/cy/pages/about").get_data(as_text=True)
    assert '<div lang="en" dir="auto">' in cy and "<p>Plaza helps people.</p>" in cy
    assert "&lt;script&gt;" in cy and "<script>alert" not in cy

    admin.post("/en/admin/translations/content/page:about:body",
               data={"text-en": body, "text-cy": "Mae Plaza yn helpu pobl."})
    admin.post("/en/admin/translations/content/page:about:title", data={"text-cy": "Amdanom ni"})
    cy = reader.get("/cy/pages/about").get_data(as_text=True)
    assert '<div lang="cy" dir="auto">' in cy and "Mae Plaza yn helpu pobl." in cy and "<h1>Amdanom ni</h1>" in cy
    assert "<h1>About</h1>" in reader.get("/en/pages/about").get_data(as_text=True)

    with app.app_context():
        assert db.session.scalar(select(ContentText.text).where(ContentText.lang == "cy",
                                                                ContentText.key == "page:about:body"))
        assert db.session.execute(select(TranslationLog.source)).scalars().all() == ["content"] * 3


def test_site_name_per_language_and_validation(make):
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    reader = app.test_client()
    assert 'class="brand" href="/cy/">Plaza Test<' in reader.get("/cy/").get_data(as_text=True)

    too_long = admin.post("/en/admin/translations/content/site_name", data={"text-en": "x", "text-cy": "y" * 300})
    assert too_long.status_code == 422 and "too long" in too_long.get_data(as_text=True)
    assert 'value="x"' in too_long.get_data(as_text=True)
    assert admin.post("/en/admin/translations/content/site_name",
                      data={"text-en": "Plaza Test", "text-cy": "Plaza Prawf"}).status_code == 303
    assert 'href="/cy/">Plaza Prawf<' in reader.get("/cy/").get_data(as_text=True)
    assert 'href="/ar/">Plaza Test<' in reader.get("/ar/").get_data(as_text=True)  # falls back

    translator = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    assert translator.post("/en/admin/translations/content/site_name", data={"text-cy": "Hac"}).status_code == 403
    assert translator.get("/en/admin/translations/status").status_code == 403


def test_status_page_lists_untranslated_content_per_locale(make):
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    admin.post("/en/admin/translations/content/page:help:body", data={"text-en": "Ask us.", "text-ar": "اسألنا."})
    html = admin.get("/en/admin/translations/status").get_data(as_text=True)
    sections = html.split('<h2 lang="')[1:]
    cy = next(v for v in sections if v.startswith("cy"))
    ar = next(v for v in sections if v.startswith("ar"))
    assert "Text of the page “Help”" in cy and "Text of the page “Help”" not in ar
    assert "Site name" in cy and "Text of the page “About”" in ar
    assert "1 translated, 0 to check, 6 untranslated (of 7)." in cy
    assert "This language has no catalog yet." in next(v for v in sections if v.startswith("tum"))
    assert "Title of the page" not in html  # titles come from the interface catalog
