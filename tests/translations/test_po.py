""".po download (format flags kept) and upload (BOM, files from other tools), `make i18n` keeping the database layer, adding a locale."""

from __future__ import annotations

import io

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from sqlalchemy import func, select

from app.extensions import db
from app.translations.catalog import entry_key
from app.translations.models import TranslationCatalog, TranslationEntry

from .conftest import (
    HELLO,
    LINK,
    REPORTS,
    SKIP,
    TEMPLATE,
    add_user,
    read_po_bytes,
    sign_in,
    write_catalog,
    write_template,
)


def _url(tag, msgid):
    return f"/en/admin/translations/{tag}/entry/{entry_key('', msgid)}"


def _po_bytes(catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog)
    return buf.getvalue()


def _upload(client, tag, data: bytes, url=None):
    return client.post(
        url or f"/en/admin/translations/{tag}/upload",
        data={"po": (io.BytesIO(data), "messages.po")},
        content_type="multipart/form-data",
    )


def test_make_i18n_keeps_the_database_work(make, tdir):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    assert client.post(_url("cy", HELLO), data={"form-0": "Helo %(name)s"}).status_code == 303

    # `make i18n` after a code change: a new string in the template, catalogs rewritten from it
    new = ("Your reports", None, [("app/reports/routes.py", 120)], [])
    entries = TEMPLATE + [new]
    write_template(tdir, entries)
    write_catalog(tdir, "cy", {"Home": "Hafan"}, entries=entries)

    page = client.get("/en/admin/translations/cy/?show=all").get_data(as_text=True)
    assert "Helo %(name)s" in page and "Your reports" in page
    assert "2 translated, 0 to check, 6 untranslated (of 8)." in page
    with app.test_request_context("/cy/"):
        from flask import g
        from flask_babel import gettext

        g.lang = "cy"
        assert gettext(HELLO, name="Siân") == "Helo Siân"


def test_po_round_trip_download_edit_upload(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "ar@example.org", locales=["ar"]))
    assert client.post(_url("ar", SKIP), data={"form-0": "انتقل إلى المحتوى"}).status_code == 303

    resp = client.get("/en/admin/translations/ar/messages.po")
    assert resp.status_code == 200 and "attachment" in resp.headers["Content-Disposition"]
    po = read_po_bytes(resp.data)
    assert po.num_plurals == 6
    by_id = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in po if m.id}
    assert by_id[SKIP].string == "انتقل إلى المحتوى"  # the database layer is in the download
    assert by_id["Home"].string == "الرئيسية"  # and so is the shipped catalog
    assert by_id[HELLO].fuzzy
    assert len(by_id[REPORTS[0]].string) == 6

    # a translator edits the file in their own tool
    by_id[REPORTS[0]].string = ("لا بلاغات", "بلاغ واحد", "بلاغان", "%(num)s بلاغات", "%(num)s بلاغًا", "%(num)s بلاغ")
    by_id[HELLO].string = "أهلا %(name)s"
    by_id[HELLO].flags.discard("fuzzy")
    by_id["Main"].string = "رئيسية %(oops)s"  # a bad placeholder: refused, not saved
    data = _po_bytes(po).replace(
        b'"Content-Transfer-Encoding: 8bit\\n"\n', b'"Content-Transfer-Encoding: 8bit\\n"\n"X-Plaza-Version: 1\\n"\n'
    )
    result = _upload(client, "ar", data)
    html = result.get_data(as_text=True)
    assert result.status_code == 200
    assert "2 translations saved." in html and "Refused" in html and "%(oops)s" in html

    again = read_po_bytes(client.get("/en/admin/translations/ar/messages.po").data)
    got = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in again if m.id}
    assert got[HELLO].string == "أهلا %(name)s" and not got[HELLO].fuzzy
    assert got[REPORTS[0]].string[5] == "%(num)s بلاغ"
    assert got[SKIP].string == "انتقل إلى المحتوى"  # never dropped
    assert got["Main"].string == ""


def test_upload_shows_conflicts_and_never_drops_entries(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    client.post(_url("cy", SKIP), data={"form-0": "Neidio"})
    downloaded = client.get("/en/admin/translations/cy/messages.po").data
    # someone changes the entry in the browser after the download
    client.post(_url("cy", SKIP), data={"form-0": "Neidio i’r cynnwys"})

    po = read_po_bytes(downloaded)
    only = Catalog(locale="cy", fuzzy=False)  # a file with two entries only
    for m in po:
        if m.id in (SKIP, HELLO):
            only.add(m.id, "Mynd i’r cynnwys" if m.id == SKIP else "Helo %(name)s")
    header = next(line for line in downloaded.decode().splitlines() if "X-Plaza-Version" in line)
    data = _po_bytes(only).replace(
        b'"Content-Transfer-Encoding: 8bit\\n"\n', b'"Content-Transfer-Encoding: 8bit\\n"\n' + header.encode() + b"\n"
    )
    html = _upload(client, "cy", data).get_data(as_text=True)
    assert "Conflicts" in html and "Neidio i’r cynnwys" in html and "Mynd i’r cynnwys" in html
    assert "1 translation saved." in html
    with app.app_context():
        forms = dict(db.session.execute(select(TranslationEntry.msgid, TranslationEntry.forms)).all())
    assert forms == {SKIP: ["Neidio i’r cynnwys"], HELLO: ["Helo %(name)s"]}

    broken = _upload(client, "cy", b'msgid "x\nmsgstr')
    assert broken.status_code == 422 and "not a valid .po file" in broken.get_data(as_text=True)


def test_admin_adds_tumbuka_from_a_po_file(make):
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    index = admin.get("/en/admin/translations/").get_data(as_text=True)
    assert 'value="tum"' in index and "/admin/translations/tum/" not in index

    po = Catalog(locale="tum", fuzzy=False)
    po.add(SKIP, "Lutani ku vya mukati")
    po.add(REPORTS, ("lipoti %(num)s", "malipoti %(num)s"))
    po.add("Not in the template any more", "Ivyo")
    po.add(HELLO, "Moni %(zina)s")  # a bad placeholder: refused, and the report says so
    no_language = _upload(admin, "tum", _po_bytes(po), url="/en/admin/translations/locales")
    assert no_language.status_code == 422 and "Choose one of the languages" in no_language.get_data(as_text=True)
    resp = admin.post(
        "/en/admin/translations/locales",
        data={"locale": "tum", "po": (io.BytesIO(_po_bytes(po)), "tum.po")},
        content_type="multipart/form-data",
    )
    report = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "The language chiTumbuka was added from your file." in report
    assert "2 translations saved." in report and "1 entry is no longer used by Plaza and was ignored." in report
    assert "Refused: not saved" in report and "Moni %(zina)s" not in report and "%(zina)s" in report
    assert f'href="/en/admin/translations/tum/entry/{entry_key("", HELLO)}"' in report
    with app.app_context():
        assert db.session.execute(select(TranslationCatalog.code)).scalars().all() == ["tum"]
        assert db.session.scalar(select(func.count()).select_from(TranslationEntry)) == 2

    page = admin.get("/en/admin/translations/tum/?show=all").get_data(as_text=True)
    assert "2 translated, 0 to check, 5 untranslated (of 7)." in page
    entry = admin.get(_url("tum", REPORTS[0])).get_data(as_text=True)
    assert 'name="form-1"' in entry and 'name="form-2"' not in entry
    assert "for numbers like 1<" in entry and "for numbers like 0, 2, 3" in entry

    public = app.test_client().get("/tum/").get_data(as_text=True)
    assert "Lutani ku vya mukati" in public and '<html lang="tum"' in public
    with app.test_request_context("/tum/"):
        from flask import g
        from flask_babel import ngettext

        g.lang = "tum"
        assert [ngettext(*REPORTS, n) for n in (1, 4)] == ["lipoti 1", "malipoti 4"]

    assert admin.post("/en/admin/translations/locales", data={"locale": "tum"}).status_code == 422
    assert admin.post("/en/admin/translations/locales", data={"locale": "xx"}).status_code == 422


def _po(entries: dict, locale="cy") -> bytes:
    catalog = Catalog(locale=locale, fuzzy=False)
    for msgid, text in entries.items():
        catalog.add(msgid, text)
    buf = io.BytesIO()
    write_po(buf, catalog)
    return buf.getvalue()


def test_upload_with_a_bom_and_without_plaza_version(make):
    app = make()
    cy = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    other = sign_in(app.test_client(), add_user(app, "other@example.org", locales=["cy"]))
    # A file from Weblate/Transifex (no X-Plaza-Version), saved by a Windows editor (BOM).
    resp = _upload(cy, "cy", b"\xef\xbb\xbf" + _po({SKIP: "Neidio"}))
    assert resp.status_code == 200 and "1 translation saved." in resp.get_data(as_text=True)
    # The same person changes it again from their tool: their own earlier upload is no conflict.
    html = _upload(cy, "cy", _po({SKIP: "Neidio i’r cynnwys"})).get_data(as_text=True)
    assert "1 translation saved." in html and "Conflicts" not in html
    # Someone else's save is protected: a conflict to compare.
    other.post(_url("cy", SKIP), data={"form-0": "Neidio i’r prif gynnwys"})
    html = _upload(cy, "cy", _po({SKIP: "Neidio eto"})).get_data(as_text=True)
    assert "Conflicts" in html and "Neidio eto" in html
    # A broken text is refused at once, never offered under "Compare and choose".
    html = _upload(cy, "cy", _po({SKIP: "Neidio <script>alert(1)</script>"})).get_data(as_text=True)
    assert "Refused" in html and "Conflicts" not in html
    with app.app_context():
        forms = dict(db.session.execute(select(TranslationEntry.msgid, TranslationEntry.forms)).all())
    assert forms[SKIP] == ["Neidio i’r prif gynnwys"]


def test_download_keeps_python_format_flags(make, tdir):
    # The template says which entries are %-formatted, as extraction does.
    catalog = Catalog(project="Plaza", fuzzy=False)
    for msgid, ctx, locs, comments in TEMPLATE:
        flags = ("python-format",) if "%(" in (msgid if isinstance(msgid, str) else msgid[0]) else ()
        catalog.add(msgid, locations=locs, context=ctx, auto_comments=comments, flags=flags)
    with open(tdir / "messages.pot", "wb") as fh:
        write_po(fh, catalog)
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    po = read_po_bytes(client.get("/en/admin/translations/cy/messages.po").data)
    by_id = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in po if m.id}
    assert "python-format" in by_id[HELLO].flags and "python-format" in by_id[LINK].flags
    assert "python-format" not in by_id[SKIP].flags
