""".po uploads for another language or plural rule are refused whole, with a clear message."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from app.profiles import Language
from app.translations.models import TranslationCatalog, TranslationEntry, TranslationLog
from app.translations.po_checks import same_language

from .conftest import HOME, REPORTS, SKIP, add_user, sign_in

CY6 = "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);"


def po_text(language: str | None, plural: str | None, entries) -> bytes:
    """A .po file written by hand, as other tools write them."""
    head = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"']
    if language is not None:
        head.append(f'"Language: {language}\\n"')
    if plural is not None:
        head.append(f'"Plural-Forms: {plural}\\n"')
    body = []
    for msgid, value in entries:
        if isinstance(msgid, tuple):
            body += [f'msgid "{msgid[0]}"', f'msgid_plural "{msgid[1]}"']
            body += [f'msgstr[{i}] "{v}"' for i, v in enumerate(value)]
        else:
            body += [f'msgid "{msgid}"', f'msgstr "{value}"']
        body.append("")
    return ("\n".join(head) + "\n\n" + "\n".join(body)).encode("utf-8")


def _upload(client, tag, data):
    return client.post(
        f"/en/admin/translations/{tag}/upload",
        data={"po": (io.BytesIO(data), "messages.po")},
        content_type="multipart/form-data",
    )


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(TranslationEntry)),
            db.session.scalar(select(func.count()).select_from(TranslationLog)),
        )


def test_a_file_for_another_language_is_refused_whole(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    arabic = po_text("ar", "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : 5);", [(SKIP, "انتقل إلى المحتوى")])
    resp = _upload(client, "cy", arabic)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Nothing was saved" in html and "This file is a translation into “ar”, not into Cymraeg (cy)." in html
    assert _counts(app) == (0, 0)
    assert "انتقل" not in app.test_client().get("/cy/").get_data(as_text=True)

    missing = _upload(client, "cy", po_text(None, None, [(SKIP, "Neidio")]))
    assert missing.status_code == 422 and "Add “Language: cy” to the header" in missing.get_data(as_text=True)
    assert _counts(app) == (0, 0)


def test_regional_and_dashed_tags_name_the_same_language(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    for code, msgid in (("cy_GB", SKIP), ("cy-GB", "Home"), ("CY", HOME)):
        resp = _upload(client, "cy", po_text(code, CY6, [(msgid, f"Cymraeg {code}")]))
        assert resp.status_code == 200 and "1 translation saved." in resp.get_data(as_text=True), code
    assert _counts(app) == (3, 3)


def test_same_language_rules():
    pt_br = Language(tag="pt-BR", name="Português", catalog="pt_BR", format_locale="pt_BR")
    sr = Language(tag="sr", name="Српски", catalog="sr", format_locale="sr_RS")
    assert [same_language(c, pt_br) for c in ("pt_BR", "pt-br", "pt_BR.UTF-8", "pt")] == [True] * 4
    assert [same_language(c, pt_br) for c in ("pt_PT", "es", "", "--")] == [False] * 4
    assert same_language("sr_RS", sr) and not same_language("sr_Latn", sr)


def test_a_different_plural_rule_is_refused_when_the_file_has_plurals(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    five = "nplurals=5; plural=(n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 0);"
    forms = ("%(num)s adroddiad", "1 adroddiad", "2 adroddiad", "3 adroddiad", "6 adroddiad")
    resp = _upload(client, "cy", po_text("cy", five, [(SKIP, "Neidio"), (REPORTS, forms)]))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "This file’s plural rule has 5 forms, but Cymraeg needs 6." in html.replace("&#39;", "’").replace("'", "’")
    assert _counts(app) == (0, 0)
    # the same rule without plural entries does no harm (tools disagree about Welsh)
    assert _upload(client, "cy", po_text("cy", five, [(SKIP, "Neidio")])).status_code == 200


def test_adding_a_language_from_a_file_for_another_language_adds_nothing(make):
    app = make()
    admin = sign_in(app.test_client(), add_user(app, "admin@example.org", role="admin"))
    data = po_text("ar", None, [(SKIP, "انتقل إلى المحتوى")])
    resp = admin.post(
        "/en/admin/translations/locales",
        data={"locale": "tum", "po": (io.BytesIO(data), "tum.po")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert "This file is a translation into “ar”, not into chiTumbuka (tum)." in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TranslationCatalog)) == 0
    assert _counts(app) == (0, 0)


def test_a_file_with_an_unknown_charset_is_refused_with_a_message(make):
    app = make()
    client = sign_in(app.test_client(), add_user(app, "cy@example.org", locales=["cy"]))
    data = po_text("cy", CY6, [(SKIP, "Neidio")]).replace(b"charset=UTF-8", b"charset=no-such-charset")
    resp = _upload(client, "cy", data)
    assert resp.status_code == 422
    assert "This file is not a valid .po file in UTF-8." in resp.get_data(as_text=True)
    assert _counts(app) == (0, 0)
