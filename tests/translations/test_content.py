"""Site name and static pages per language, with fallback; the translation status page."""

from __future__ import annotations

from sqlalchemy import select

from app.core.mail.models import OutboxMessage
from app.extensions import db
from app.translations.catalog import entry_key
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

    admin.post(
        "/en/admin/translations/content/page:about:body", data={"text-en": body, "text-cy": "Mae Plaza yn helpu pobl."}
    )
    admin.post("/en/admin/translations/content/page:about:title", data={"text-cy": "Amdanom ni"})
    cy = reader.get("/cy/pages/about").get_data(as_text=True)
    assert '<div lang="cy" dir="auto">' in cy and "Mae Plaza yn helpu pobl." in cy and "<h1>Amdanom ni</h1>" in cy
    assert "<h1>About</h1>" in reader.get("/en/pages/about").get_data(as_text=True)

    with app.app_context():
        assert db.session.scalar(
            select(ContentText.text).where(ContentText.lang == "cy", ContentText.key == "page:about:body")
        )
        assert db.session.execute(select(TranslationLog.source)).scalars().all() == ["content"] * 3


def test_site_name_per_language_and_validation(make):
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    reader = app.test_client()
    assert 'class="brand" href="/cy/">Plaza Test<' in reader.get("/cy/").get_data(as_text=True)

    too_long = admin.post("/en/admin/translations/content/site_name", data={"text-en": "x", "text-cy": "y" * 300})
    assert too_long.status_code == 422 and "too long" in too_long.get_data(as_text=True)
    assert 'value="x"' in too_long.get_data(as_text=True)
    assert (
        admin.post(
            "/en/admin/translations/content/site_name", data={"text-en": "Plaza Test", "text-cy": "Plaza Prawf"}
        ).status_code
        == 303
    )
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
    # each interface figure links to the list it counts
    assert '<a href="/en/admin/translations/ar/?show=fuzzy">1 entry to check</a>' in ar
    assert '<a href="/en/admin/translations/cy/?show=untranslated">6 untranslated entries</a>' in cy
    assert "show=fuzzy" not in cy


def test_admin_site_name_never_hides_the_profiles_own_name_in_another_language(make):
    app = make(profile="gb-wls")
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    reader = app.test_client()

    form = admin.get("/en/admin/translations/content/site_name").get_data(as_text=True)
    assert 'name="text-en" value="Plaza Wales"' in form and 'name="text-cy" value="Plaza Cymru"' in form

    # an admin who only wants another English name keeps the prefilled Welsh one
    assert (
        admin.post(
            "/en/admin/translations/content/site_name", data={"text-en": "Plaza Wales Online", "text-cy": "Plaza Cymru"}
        ).status_code
        == 303
    )
    assert 'href="/en/">Plaza Wales Online<' in reader.get("/en/").get_data(as_text=True)
    assert 'href="/cy/">Plaza Cymru<' in reader.get("/cy/").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(ContentText.lang, ContentText.text)).all() == [("en", "Plaza Wales Online")]

    # clearing the English field is not refused while the profile has an English name: it is used again
    assert (
        admin.post(
            "/en/admin/translations/content/site_name", data={"text-en": "", "text-cy": "Plaza Cymru"}
        ).status_code
        == 303
    )
    assert 'href="/en/">Plaza Wales<' in reader.get("/en/").get_data(as_text=True)

    # emails use the same name as the pages, in the recipient's language
    admin.post("/en/admin/translations/content/site_name", data={"text-en": "Plaza Wales Online", "text-cy": ""})
    reader.post("/en/accounts/signup", data={"name": "Ann", "email": "ann@example.org", "password": "a long password"})
    reader.post(
        "/cy/accounts/signup", data={"name": "Siân", "email": "sian@example.org", "password": "a long password"}
    )
    with app.app_context():
        subjects = dict(db.session.execute(select(OutboxMessage.to_addr, OutboxMessage.subject)).all())
    assert subjects["ann@example.org"].endswith("Plaza Wales Online")
    assert subjects["sian@example.org"].endswith("Plaza Cymru")


def test_page_titles_prefer_the_catalogs_translation_to_the_default_languages_admin_text(make, tdir):
    from .conftest import TEMPLATE, write_catalog, write_template

    entries = TEMPLATE + [("About", None, [("app/translations/content.py", 20)], [])]
    write_template(tdir, entries)
    write_catalog(tdir, "cy", {"Home": "Hafan"}, entries=entries)
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    assert (
        admin.post(f"/en/admin/translations/cy/entry/{entry_key('', 'About')}", data={"form-0": "Amdanom"}).status_code
        == 303
    )
    admin.post("/en/admin/translations/content/page:about:title", data={"text-en": "About us"})
    reader = app.test_client()
    assert "<h1>About us</h1>" in reader.get("/en/pages/about").get_data(as_text=True)
    assert "<h1>Amdanom</h1>" in reader.get("/cy/pages/about").get_data(as_text=True)
    assert "<h1>About us</h1>" in reader.get("/ar/pages/about").get_data(as_text=True)  # no Arabic title
