"""In a real browser: the home page in English and Arabic with and without JavaScript; sign up, confirm, sign in, switch language."""

from __future__ import annotations

import re

import pytest

from app.core.mail import send_pending


def _context(browser, js: bool, locale="en-GB"):
    return browser.new_context(java_script_enabled=js, locale=locale, viewport={"width": 900, "height": 700})


def _watch(page):
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))

    def on_console(msg):
        # HTTP statuses are asserted where they matter (a refused sign-in is a 403 on purpose);
        # what must never appear is a script error or a Content-Security-Policy violation.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(f"console: {msg.text} {msg.location}")

    page.on("console", on_console)
    return problems


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang,direction", [("en", "ltr"), ("ar", "rtl")])
def test_home_page(browser, live_server, artifacts, lang, direction, js):
    ctx = _context(browser, js)
    page = ctx.new_page()
    problems = _watch(page)
    resp = page.goto(f"{live_server.url}/{lang}/")
    assert resp.status == 200
    html = page.locator("html")
    assert html.get_attribute("lang") == lang
    assert html.get_attribute("dir") == direction
    assert page.locator("h1").first.is_visible()
    assert page.locator("footer a[hreflang]").count() >= 2
    page.screenshot(path=str(artifacts / f"home-{lang}-{'js' if js else 'nojs'}.png"), full_page=True)
    if js:  # no script on the home page; htmx loads under the CSP where a page uses it
        assert page.evaluate("typeof window.htmx") == "undefined"
        assert page.goto(f"{live_server.url}/{lang}/foi/").status == 200
        assert page.evaluate("typeof window.htmx") == "object"
    assert problems == []
    ctx.close()


def _confirmation_link(live_server, smtp, email):
    with live_server.app.app_context():
        sent, failed = send_pending()
    assert (sent, failed) == (1, 0)
    msg = next(m for m in smtp.messages if m["to"] == [email])
    body = msg["message"].get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(live_server.url) + r"/en/accounts/confirm/\S+", body)
    assert match, body
    return match.group(0)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_sign_up_confirm_sign_in_switch_language(browser, live_server, smtp, artifacts, js):
    tag = "js" if js else "nojs"
    email = f"amal-{tag}@example.org"
    ctx = _context(browser, js)
    page = ctx.new_page()
    problems = _watch(page)
    page.goto(f"{live_server.url}/en/")
    page.click("header >> text=Sign in")
    page.click("main >> text=Create an account")
    assert page.url.endswith("/en/accounts/signup")
    page.fill("#name", "Amal Ḥaddād")
    page.fill("#email", email)
    page.fill("#password", "a long enough password")
    page.screenshot(path=str(artifacts / f"signup-{tag}.png"), full_page=True)
    page.click("main button:has-text('Create account')")
    page.wait_for_url("**/en/accounts/check-email")
    assert page.locator("h1").inner_text() == "Check your email"

    # Signing in before confirming is refused, with a way to get the link again.
    page.goto(f"{live_server.url}/en/accounts/signin")
    page.fill("#email", email)
    page.fill("#password", "a long enough password")
    page.click("main form:has(#password) button")
    assert "confirm your email address first" in page.locator("#signin-problem").inner_text()
    assert page.locator("main button:has-text('Send the link again')").count() == 1

    link = _confirmation_link(live_server, smtp, email)
    page.goto(link)
    page.wait_for_url("**/en/accounts/signin")
    assert "your email address is confirmed" in page.locator(".flash").inner_text()

    page.fill("#email", email)
    page.fill("#password", "a long enough password")
    page.click("main form:has(#password) button")
    page.wait_for_url(f"{live_server.url}/en/")
    assert "You are signed in." in page.locator(".flash").inner_text()
    assert page.locator("header >> text=Your account").count() == 1

    page.click("footer a[hreflang=ar]")
    page.wait_for_url(f"{live_server.url}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("header a[href='/ar/accounts/settings']").count() == 1  # still signed in
    page.screenshot(path=str(artifacts / f"signed-in-ar-{tag}.png"), full_page=True)
    page.click("footer a[hreflang=en]")
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("dir") == "ltr"

    page.click("header >> text=Sign out")
    page.wait_for_url(f"{live_server.url}/en/")
    assert page.locator("header >> text=Sign in").count() == 1
    assert problems == []
    ctx.close()
