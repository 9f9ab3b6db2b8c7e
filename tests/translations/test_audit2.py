"""Audit 2 fixes in translations: literal angle brackets, unchanged saves, .po upload details."""

from __future__ import annotations

import io

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from sqlalchemy import func, select

from app.extensions import db
from app.translations.catalog import entry_key
from app.translations.models import TranslationEntry, TranslationLog, TranslationState

from .conftest import HELLO, LINK, SKIP, TEMPLATE, add_user, read_po_bytes, sign_in, write_catalog, write_template

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
    for msgid, text in ((REPORTED_BY, "Adroddwyd gan: %(name)s <%(email)s>"),
                        (TAG_NOT_ALLOWED, "Ni chaniateir y tag <%(tag)s> mewn cyfieithiadau."),
                        (CLOSING, "Nid yw’r tag cau </%(tag)s> yn cyfateb i dag agor.")):
        resp = client.post(_url("cy", msgid), data={"form-0": text})
        assert resp.status_code == 303, resp.get_data(as_text=True)
    # Real markup is still refused where the source has none.
    for bad in ("Adroddwyd gan: %(name)s <%(email)s> <script>x()</script>",
                "Adroddwyd gan: %(name)s <b>%(email)s</b>",
                "Adroddwyd gan: %(name)s <%(email)s> <%(email)s>"):
        resp = client.post(_url("cy", REPORTED_BY), data={"form-0": bad})
        assert resp.status_code == 422 and "has no HTML markup" in resp.get_data(as_text=True), bad
    with bracket_app.app_context():
        forms = dict(db.session.execute(select(TranslationEntry.msgid, TranslationEntry.forms)).all())
    assert forms[REPORTED_BY] == ["Adroddwyd gan: %(name)s <%(email)s>"]


def test_saving_an_unchanged_translation_logs_nothing(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    assert client.post(_url("cy", HELLO), data={"form-0": "Helo %(name)s"}).status_code == 303
    with app.app_context():
        version = db.session.get(TranslationState, 1).version
        logged = db.session.scalar(select(func.count()).select_from(TranslationLog))
    resp = client.post(_url("cy", HELLO), data={"form-0": "Helo %(name)s"})
    assert resp.status_code == 303
    assert "Nothing changed." in client.get(resp.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(TranslationState, 1).version == version
        assert db.session.scalar(select(func.count()).select_from(TranslationLog)) == logged
    # The shipped text, saved as it is, is no change either ("Home" is "Hafan" in the shipped cy).
    client.post(_url("cy", "Home"), data={"form-0": "Hafan"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TranslationLog)) == logged


def _po(entries: dict, locale="cy") -> bytes:
    catalog = Catalog(locale=locale, fuzzy=False)
    for msgid, text in entries.items():
        catalog.add(msgid, text)
    buf = io.BytesIO()
    write_po(buf, catalog)
    return buf.getvalue()


def _upload(client, data: bytes):
    return client.post("/en/admin/translations/cy/upload", data={"po": (io.BytesIO(data), "messages.po")},
                       content_type="multipart/form-data")


def test_upload_with_a_bom_and_without_plaza_version(make):
    app = make()
    cy = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    other = sign_in(app.test_client(), add_user(app, "other@example.org", locales=["cy"]))
    # A file from Weblate/Transifex (no X-Plaza-Version), saved by a Windows editor (BOM).
    resp = _upload(cy, b"\xef\xbb\xbf" + _po({SKIP: "Neidio"}))
    assert resp.status_code == 200 and "1 translation saved." in resp.get_data(as_text=True)
    # The same person changes it again from their tool: their own earlier upload is no conflict.
    html = _upload(cy, _po({SKIP: "Neidio i’r cynnwys"})).get_data(as_text=True)
    assert "1 translation saved." in html and "Conflicts" not in html
    # Someone else's save is protected: a conflict to compare.
    other.post(_url("cy", SKIP), data={"form-0": "Neidio i’r prif gynnwys"})
    html = _upload(cy, _po({SKIP: "Neidio eto"})).get_data(as_text=True)
    assert "Conflicts" in html and "Neidio eto" in html
    # A broken text is refused at once, never offered under "Compare and choose".
    html = _upload(cy, _po({SKIP: "Neidio <script>alert(1)</script>"})).get_data(as_text=True)
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
