"""A Welsh translator without JavaScript translates a string in the browser; a signed-out session sees it on the public page at once."""

# The shipped catalogs are copied to a temporary directory with the home page's tagline left
# untranslated in Welsh, so the translator finds it under "Untranslated", as a partner would.

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.accounts.models import User
from app.accounts.services import hash_password
from app.core.models import utcnow
from app.extensions import db

from .conftest import LiveServer, _free_port

SHIPPED = Path(__file__).resolve().parents[2] / "translations"
TAGLINE = "Report problems, find who represents you, and ask public bodies for information."
WELSH = "Rhowch wybod am broblemau, dewch o hyd i’ch cynrychiolwyr, a gofynnwch am wybodaeth."
PASSWORD = "a long enough password"


@pytest.fixture
def tdir(tmp_path):
    """The shipped catalogs, with the tagline untranslated in Welsh (both .po and .mo)."""
    d = tmp_path / "translations"
    shutil.copytree(SHIPPED, d)
    po_path = d / "cy" / "LC_MESSAGES" / "messages.po"
    with open(po_path, "rb") as fh:
        catalog = read_po(fh, locale="cy")
    message = catalog[TAGLINE]
    assert message is not None and message.string, "the tagline must be in the shipped Welsh catalog"
    message.string = ""
    with open(po_path, "wb") as fh:
        write_po(fh, catalog)
    with open(po_path.with_suffix(".mo"), "wb") as fh:
        write_mo(fh, catalog)
    return d


@pytest.fixture
def welsh_server(app_factory, smtp, tdir):
    port = _free_port()
    app = app_factory(
        PLAZA_PROFILE="gb-wls",
        PLAZA_TRANSLATIONS_DIR=str(tdir),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        SERVER_BASE_URL=f"http://127.0.0.1:{port}",
        WTF_CSRF_ENABLED=True,
    )
    with app.app_context():
        db.session.add(
            User(
                email="cyfieithydd@example.org",
                name="Siân Cyfieithydd",
                role="citizen",
                password_hash=hash_password(PASSWORD),
                confirmed_at=utcnow(),
                translator_locales=["cy"],
            )
        )
        db.session.commit()
    server = LiveServer(app, port)
    yield server
    server.stop()


def test_translator_without_js_is_seen_by_another_session_at_once(browser, welsh_server, artifacts):
    base = welsh_server.url
    reader_ctx = browser.new_context(java_script_enabled=False, locale="cy-GB")
    reader = reader_ctx.new_page()
    reader.goto(f"{base}/cy/")
    assert TAGLINE in reader.locator("main").inner_text()  # falls back to English for now

    ctx = browser.new_context(java_script_enabled=False, locale="cy-GB", viewport={"width": 900, "height": 700})
    page = ctx.new_page()
    resp = page.goto(f"{base}/cy/admin/translations/cy/")
    assert "/accounts/signin" in page.url  # not signed in: sent to sign in first
    assert resp.status == 200
    page.fill("#email", "cyfieithydd@example.org")
    page.fill("#password", PASSWORD)
    page.click("main form:has(#password) button")
    page.wait_for_url("**/cy/admin/translations/cy/**")

    # the untranslated list (the default filter) holds the tagline; search narrows it down
    page.select_option("#show", "untranslated")
    page.fill("#q", "represents you")
    page.click("main form[role=search] button")
    row_link = page.locator("main table a", has_text="find who represents you")
    assert row_link.count() == 1
    row_link.click()
    assert page.locator("main dd.quoted").first.inner_text() == TAGLINE
    assert page.locator("#form-0").input_value() == ""
    page.fill("#form-0", WELSH)
    page.screenshot(path=str(artifacts / "translation-editor-cy-nojs.png"), full_page=True)
    page.click("main form[method=post] button")
    page.wait_for_load_state()
    assert page.locator(".flash").first.is_visible()  # "Translation saved." in Welsh

    # the other session, not signed in, sees the Welsh text straight away
    reader.goto(f"{base}/cy/")
    text = reader.locator("main").inner_text()
    assert WELSH in text and TAGLINE not in text
    reader.screenshot(path=str(artifacts / "translation-public-cy-nojs.png"), full_page=True)
    # English is untouched
    reader.goto(f"{base}/en/")
    assert TAGLINE in reader.locator("main").inner_text()

    # the entry now counts as translated and its change is logged
    page.goto(f"{base}/cy/admin/translations/cy/?show=untranslated&q=represents+you")
    assert page.locator("main table a", has_text="find who represents you").count() == 0
    ctx.close()
    reader_ctx.close()
