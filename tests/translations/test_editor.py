"""The in-app editor: access, the Welsh journey across workers, plurals, checks, htmx, the switch."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.translations.catalog import entry_key
from app.translations.models import TranslationEntry, TranslationLog, TranslationState

from .conftest import (
    HELLO,
    LINK,
    REPORTS,
    SKIP,
    TEMPLATE,
    add_user,
    sign_in,
    write_catalog,
    write_template,
)

WELSH_SKIP = "Neidio i’r prif gynnwys"


def _entry_url(tag, msgid, ctx=""):
    return f"/en/admin/translations/{tag}/entry/{entry_key(ctx, msgid)}"


def test_welsh_translator_without_js_is_seen_at_once_by_other_workers(make, app_factory, tdir):
    app1 = make(profile="gb-wls")
    app2 = make(profile="gb-wls")  # a second worker on the same database
    uid = add_user(app1, "cy@example.org", locales=["cy"])
    translator = sign_in(app1.test_client(), uid)
    reader_same_worker, reader_other_worker = app1.test_client(), app2.test_client()

    # both workers have built (and cached) the Welsh catalog chain before the save
    assert SKIP in reader_other_worker.get("/cy/").get_data(as_text=True)
    assert SKIP in reader_same_worker.get("/cy/").get_data(as_text=True)

    page = translator.get("/cy/admin/translations/cy/?show=untranslated").get_data(as_text=True)
    assert entry_key("", SKIP) in page
    assert entry_key("", "Home") not in page  # translated in the shipped catalog ("Hafan")
    assert "1 translated, 0 to check, 6 untranslated (of 7)." in page

    form = translator.get(_entry_url("cy", SKIP))
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert "app/core/templates/base.html:21" in html and 'name="form-0"' in html

    resp = translator.post(_entry_url("cy", SKIP), data={"form-0": WELSH_SKIP})
    assert resp.status_code == 303
    # the next untranslated entry opens
    assert resp.headers["Location"].endswith(
        entry_key("", "Report problems, find who represents you, and ask public bodies for information.")
    )

    assert WELSH_SKIP in reader_other_worker.get("/cy/").get_data(as_text=True)
    assert WELSH_SKIP in reader_same_worker.get("/cy/").get_data(as_text=True)
    assert SKIP in reader_other_worker.get("/en/").get_data(as_text=True)  # English untouched

    with app1.app_context():
        row = db.session.execute(select(TranslationEntry)).scalar_one()
        assert (row.catalog, row.forms, row.fuzzy, row.updated_by) == ("cy", [WELSH_SKIP], False, uid)
        log = db.session.execute(select(TranslationLog)).scalar_one()
        assert (log.old, log.new, log.user_id) == ([""], [WELSH_SKIP], uid)
        assert db.session.get(TranslationState, 1).version == 1

    listing = translator.get("/cy/admin/translations/cy/?show=all&q=neidio").get_data(as_text=True)
    assert WELSH_SKIP in listing and entry_key("", HELLO) not in listing
    assert "2 translated, 0 to check, 5 untranslated (of 7)." in listing


def test_translator_for_cy_gets_403_on_ar(make):
    app = make()
    uid = add_user(app, "cy@example.org", locales=["cy"])
    nobody = add_user(app, "citizen@example.org")
    client = sign_in(app.test_client(), uid)
    assert client.get("/en/admin/translations/ar/").status_code == 403
    assert client.get(_entry_url("ar", HELLO)).status_code == 403
    assert client.post(_entry_url("ar", HELLO), data={"form-0": "x %(name)s"}).status_code == 403
    assert client.get("/en/admin/translations/ar/messages.po").status_code == 403
    assert client.post("/en/admin/translations/layer", data={"enabled": "0"}).status_code == 403
    assert client.get("/en/admin/translations/content/").status_code == 403
    index = client.get("/en/admin/translations/").get_data(as_text=True)
    assert "/admin/translations/cy/" in index and "/admin/translations/ar/" not in index
    assert client.get("/en/admin/translations/cy/").status_code == 200
    assert sign_in(app.test_client(), nobody).get("/en/admin/translations/").status_code == 403
    anon = app.test_client().get("/en/admin/translations/cy/")
    assert anon.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TranslationEntry)) == 0


def test_arabic_plural_entry_takes_six_forms(make):
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    url = _entry_url("ar", REPORTS[0])
    html = admin.get(url).get_data(as_text=True)
    for i in range(6):
        assert f'name="form-{i}"' in html
    assert 'name="form-6"' not in html
    assert "for numbers like 3, 4, 5" in html and "for numbers like 11, 12, 13" in html
    assert 'dir="rtl"' in html

    short = admin.post(url, data={"form-0": "%(num)s بلاغ", "form-1": "%(num)s بلاغات"})
    assert short.status_code == 422 and "Fill in every plural form" in short.get_data(as_text=True)

    forms = ["لا بلاغات", "بلاغ واحد", "بلاغان", "%(num)s بلاغات", "%(num)s بلاغًا", "%(num)s بلاغ"]
    resp = admin.post(url, data={f"form-{i}": f for i, f in enumerate(forms)})
    assert resp.status_code == 303
    with app.app_context():
        assert db.session.execute(select(TranslationEntry.forms)).scalar_one() == forms
    with app.test_request_context("/ar/"):
        from flask import g
        from flask_babel import ngettext

        g.lang = "ar"
        got = {n: ngettext(*REPORTS, n) for n in (0, 1, 2, 5, 11, 100)}
    assert got == {0: forms[0], 1: forms[1], 2: forms[2], 5: "5 بلاغات", 11: "11 بلاغًا", 100: "100 بلاغ"}


def test_missing_placeholder_or_broken_markup_is_refused(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    resp = client.post(_entry_url("cy", HELLO), data={"form-0": "Helo"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Nothing was saved" in html and "same placeholders as the source (%(name)s)" in html
    assert ">Helo</textarea>" in html  # what was typed comes back

    bad = client.post(_entry_url("cy", HELLO), data={"form-0": "Helo %(enw)s"})
    assert bad.status_code == 422 and "%(enw)s" in bad.get_data(as_text=True)

    unclosed = client.post(_entry_url("cy", LINK), data={"form-0": 'Darllenwch <a href="%(url)s">y rheolau.'})
    assert unclosed.status_code == 422 and "is never closed" in unclosed.get_data(as_text=True)
    script = client.post(
        _entry_url("cy", LINK), data={"form-0": 'Darllenwch <script>x()</script><a href="%(url)s">y rheolau</a>.'}
    )
    assert script.status_code == 422 and "&lt;script&gt; is not allowed" in script.get_data(as_text=True)

    quote = client.post(_entry_url("cy", "Main", "navigation"), data={"form-0": 'Prif" onmouseover="x()'})
    assert quote.status_code == 422 and "typographic quotation marks" in quote.get_data(as_text=True)

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TranslationEntry)) == 0
        assert db.session.scalar(select(func.count()).select_from(TranslationLog)) == 0
        assert db.session.get(TranslationState, 1) is None or db.session.get(TranslationState, 1).version == 0

    ok = client.post(_entry_url("cy", LINK), data={"form-0": 'Darllenwch <a href="%(url)s">y rheolau</a> yn gyntaf.'})
    assert ok.status_code == 303


def test_saving_clears_fuzzy_and_htmx_opens_the_next_entry(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "ar@example.org", locales=["ar"]))
    fuzzy = client.get("/en/admin/translations/ar/?show=fuzzy").get_data(as_text=True)
    assert entry_key("", HELLO) in fuzzy and entry_key("", SKIP) not in fuzzy
    resp = client.post(_entry_url("ar", HELLO), data={"form-0": "أهلا %(name)s"}, headers={"HX-Request": "true"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "HX-Request" in resp.headers["Vary"]
    assert "<html" not in html and 'id="editor"' in html and "Translation saved" in html
    assert "app/reports/templates/reports/new.html:7" in html  # the next untranslated entry opens
    assert resp.headers["HX-Push-Url"].endswith(entry_key("", LINK))
    assert entry_key("", HELLO) not in client.get("/en/admin/translations/ar/?show=fuzzy").get_data(as_text=True)

    refused = client.post(_entry_url("ar", HELLO), data={"form-0": "أهلا"}, headers={"HX-Request": "true"})
    assert refused.status_code == 422 and "<html" not in refused.get_data(as_text=True)


def test_admin_can_switch_the_layer_off(make):
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    assert admin.post(_entry_url("cy", SKIP), data={"form-0": WELSH_SKIP}).status_code == 303
    reader = app.test_client()
    assert WELSH_SKIP in reader.get("/cy/").get_data(as_text=True)

    assert admin.post("/en/admin/translations/layer", data={"enabled": "0"}).status_code == 303
    page = reader.get("/cy/").get_data(as_text=True)
    assert WELSH_SKIP not in page and SKIP in page
    assert "switched off" in admin.get("/en/admin/translations/").get_data(as_text=True)
    with app.app_context():  # nothing is deleted
        assert db.session.execute(select(TranslationEntry.forms)).scalar_one() == [WELSH_SKIP]

    admin.post("/en/admin/translations/layer", data={"enabled": "1"})
    assert WELSH_SKIP in reader.get("/cy/").get_data(as_text=True)


def test_entries_are_paged_and_the_dashboard_shows_coverage(make, monkeypatch):
    from app.translations import routes

    monkeypatch.setattr(routes, "PAGE_SIZE", 3)
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    first = admin.get("/en/admin/translations/cy/?show=all").get_data(as_text=True)
    assert "Page 1 of 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert entry_key("", "Home") in first and entry_key("navigation", "Main") not in first
    last = admin.get("/en/admin/translations/cy/?show=all&page=9").get_data(as_text=True)
    assert "Page 3 of 3" in last and entry_key("navigation", "Main") in last
    assert admin.get("/en/admin/translations/cy/?page=x").status_code == 200

    # the admin home's panel (rendered the way admin/home.html includes it)
    from flask import render_template_string
    from flask_login import login_user

    from app.accounts.models import User
    from app.translations import _dashboard_panel

    with app.test_request_context("/en/admin/"):
        from flask import g

        g.lang = "en"
        login_user(db.session.execute(select(User)).scalar_one())
        template, ctx = _dashboard_panel()
        html = render_template_string("{% include template with context %}", template=template, ctx=ctx)
    assert "/en/admin/translations/cy/?show=untranslated" in html and "6 untranslated" in html


def test_percent_signs_are_plain_text_when_the_source_has_no_placeholders(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    resp = client.post(_entry_url("cy", "Home"), data={"form-0": "Hafan 50 % des"})
    assert resp.status_code == 303
    assert "Hafan 50 % des" in app.test_client().get("/cy/").get_data(as_text=True)
    # braces are still compared, and sources with placeholders keep the printf check
    braces = client.post(_entry_url("cy", "Home"), data={"form-0": "Hafan {x}"})
    assert braces.status_code == 422 and "{x}" in braces.get_data(as_text=True)
    printf = client.post(_entry_url("cy", HELLO), data={"form-0": "Helo %(name)s, 50 % des"})
    assert printf.status_code == 422 and "%d" in printf.get_data(as_text=True)


REPORTED_BY = "Reported by: %(name)s <%(email)s>"


TAG_NOT_ALLOWED = "The tag <%(tag)s> is not allowed in translations."


CLOSING = "The closing tag </%(tag)s> does not match an opening tag."


EXTRA = [(m, None, [("app/reports/admin.py", 1)], []) for m in (REPORTED_BY, TAG_NOT_ALLOWED, CLOSING)]


@pytest.fixture
def bracket_app(make, tdir):
    write_template(tdir, TEMPLATE + EXTRA)
    write_catalog(tdir, "cy", {"Home": "Hafan"}, entries=TEMPLATE + EXTRA)
    return make()


def _url(tag, msgid):
    return f"/en/admin/translations/{tag}/entry/{entry_key('', msgid)}"


def test_literal_angle_brackets_of_the_source_are_allowed(bracket_app):
    client = sign_in(bracket_app.test_client(), add_user(bracket_app, "cy@example.org", locales=["cy"]))
    for msgid, text in (
        (REPORTED_BY, "Adroddwyd gan: %(name)s <%(email)s>"),
        (TAG_NOT_ALLOWED, "Ni chaniateir y tag <%(tag)s> mewn cyfieithiadau."),
        (CLOSING, "Nid yw’r tag cau </%(tag)s> yn cyfateb i dag agor."),
    ):
        resp = client.post(_url("cy", msgid), data={"form-0": text})
        assert resp.status_code == 303, resp.get_data(as_text=True)
    # Real markup is still refused where the source has none.
    for bad in (
        "Adroddwyd gan: %(name)s <%(email)s> <script>x()</script>",
        "Adroddwyd gan: %(name)s <b>%(email)s</b>",
        "Adroddwyd gan: %(name)s <%(email)s> <%(email)s>",
    ):
        resp = client.post(_url("cy", REPORTED_BY), data={"form-0": bad})
        assert resp.status_code == 422 and "has no HTML markup" in resp.get_data(as_text=True), bad
    with bracket_app.app_context():
        forms = dict(db.session.execute(select(TranslationEntry.msgid, TranslationEntry.forms)).all())
    assert forms[REPORTED_BY] == ["Adroddwyd gan: %(name)s <%(email)s>"]
