"""The translation log page (who, when, old → new, filters) and taking a file's version after a conflict."""

from __future__ import annotations

import io
import re

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from sqlalchemy import func, select

from app.extensions import db
from app.translations.catalog import entry_key
from app.translations.models import TranslationEntry, TranslationLog, TranslationState

from .conftest import HELLO, SKIP, add_user, sign_in

LOG = "/en/admin/translations/log"


def _entry(tag, msgid):
    return f"/en/admin/translations/{tag}/entry/{entry_key('', msgid)}"


def test_log_page_shows_who_changed_what_with_filters(make):
    app = make()
    admin_id = add_user(app, "boss@example.org", role="admin")
    cy_id = add_user(app, "<b>gwen@example.org", locales=["cy"])
    ar_id = add_user(app, "layla@example.org", locales=["ar"])
    admin, cy, ar = (sign_in(app.test_client(), i) for i in (admin_id, cy_id, ar_id))
    assert cy.post(_entry("cy", SKIP), data={"form-0": "Neidio"}).status_code == 303
    assert ar.post(_entry("ar", SKIP), data={"form-0": "تخطَّ"}).status_code == 303
    admin.post("/en/admin/translations/content/site_name", data={"text-en": "Plaza Test", "text-cy": "Plaza Prawf"})
    admin.post("/en/admin/translations/layer", data={"enabled": "0"})

    html = admin.get(LOG).get_data(as_text=True)
    assert "4 changes" in html
    assert "&lt;b&gt;gwen" in html and "<b>gwen" not in html and "layla" in html and "boss" in html
    assert f'href="/en/admin/translations/cy/entry/{entry_key("", SKIP)}"' in html
    assert f'href="/en/admin/translations/ar/entry/{entry_key("", SKIP)}"' in html
    assert "Switched off" in html and 'href="/en/admin/translations/content/site_name"' in html
    assert ">Neidio</ins>" in html and "Plaza Prawf" in html

    only_cy = admin.get(LOG + "?locale=cy").get_data(as_text=True)
    assert "2 changes" in only_cy and "تخطَّ" not in only_cy and "Plaza Prawf" in only_cy
    by_layla = admin.get(f"{LOG}?user={ar_id}").get_data(as_text=True)
    assert "1 change" in by_layla and "تخطَّ" in by_layla and "Neidio" not in by_layla
    content = admin.get(LOG + "?source=content").get_data(as_text=True)
    assert "1 change" in content and "Plaza Prawf" in content and "Neidio" not in content

    # a translator sees the editor and upload changes of their own languages only
    mine = cy.get(LOG + "?locale=ar").get_data(as_text=True)
    assert "1 change" in mine and "Neidio" in mine and "تخطَّ" not in mine
    assert "Plaza Prawf" not in mine and "Switched off" not in mine
    assert "translations/log" in cy.get("/en/admin/translations/").get_data(as_text=True)

    citizen = sign_in(app.test_client(), add_user(app, "someone@example.org"))
    assert citizen.get(LOG).status_code == 403
    assert app.test_client().get(LOG).status_code == 302

    # the entry's own history says who, and from where
    entry = cy.get(_entry("cy", SKIP)).get_data(as_text=True)
    assert re.search(r"by <bdi>&lt;b&gt;gwen</bdi> \(Editor\):", entry)


def _version_header(downloaded: bytes) -> bytes:
    return next(line for line in downloaded.decode().splitlines() if "X-Plaza-Version" in line).encode()


def _upload(client, data):
    return client.post(
        "/en/admin/translations/cy/upload", data={"po": (io.BytesIO(data), "cy.po")}, content_type="multipart/form-data"
    )


def test_upload_conflict_offers_the_files_version_in_one_click(make):
    app = make()
    uid = add_user(app, "cy@example.org", locales=["cy"])
    client = sign_in(app.test_client(), uid)
    client.post(_entry("cy", SKIP), data={"form-0": "Neidio"})
    downloaded = client.get("/en/admin/translations/cy/messages.po").data
    client.post(_entry("cy", SKIP), data={"form-0": "Neidio i’r cynnwys"})  # changed after the download

    po = Catalog(locale="cy", fuzzy=False)
    po.add(SKIP, "Mynd i’r cynnwys")
    po.add(HELLO, "Helo %(name)s")
    buf = io.BytesIO()
    write_po(buf, po)
    data = buf.getvalue().replace(
        b'"Content-Transfer-Encoding: 8bit\\n"\n',
        b'"Content-Transfer-Encoding: 8bit\\n"\n' + _version_header(downloaded) + b"\n",
    )
    assert "Conflicts" in _upload(client, data).get_data(as_text=True)
    _upload(client, data)  # the same file twice is one conflict

    page = client.get(_entry("cy", SKIP)).get_data(as_text=True)
    assert "A file brought another version" in page and "Mynd i’r cynnwys" in page
    conflict_id = re.search(r'name="conflict" value="(\d+)"', page).group(1)
    with app.app_context():
        assert db.session.scalar(select(TranslationEntry.forms).where(TranslationEntry.msgid == SKIP)) == [
            "Neidio i’r cynnwys"
        ]
        kept = (
            db.session.execute(select(TranslationLog).where(TranslationLog.source == "upload-conflict")).scalars().all()
        )
        assert [(k.old, k.new) for k in kept] == [(["Neidio i’r cynnwys"], ["Mynd i’r cynnwys"])]

    assert client.post(_entry("cy", SKIP) + "/use-file", data={"conflict": "0"}).status_code == 303  # stale
    resp = client.post(_entry("cy", SKIP) + "/use-file", data={"conflict": conflict_id})
    assert resp.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(TranslationEntry.forms).where(TranslationEntry.msgid == SKIP)) == [
            "Mynd i’r cynnwys"
        ]
        last = db.session.execute(select(TranslationLog).order_by(TranslationLog.id.desc()).limit(1)).scalar_one()
        assert (last.source, last.old, last.new, last.user_id) == (
            "upload",
            ["Neidio i’r cynnwys"],
            ["Mynd i’r cynnwys"],
            uid,
        )
    after = client.get(_entry("cy", SKIP)).get_data(as_text=True)
    assert "A file brought another version" not in after and "Use the file’s version" not in after
    assert "Mynd i’r cynnwys" in app.test_client().get("/cy/").get_data(as_text=True)

    # a later save in the editor also settles a conflict
    again = data.replace("Mynd i’r cynnwys".encode(), "Ewch i’r cynnwys".encode())
    client.post(_entry("cy", SKIP), data={"form-0": "Neidio eto"})
    _upload(client, again)
    assert "A file brought another version" in client.get(_entry("cy", SKIP)).get_data(as_text=True)
    client.post(_entry("cy", SKIP), data={"form-0": "Neidio eto eto"})
    assert "A file brought another version" not in client.get(_entry("cy", SKIP)).get_data(as_text=True)
    assert "Upload conflict, not saved" in client.get(LOG + "?source=upload-conflict").get_data(as_text=True)


def _url(tag, msgid):
    return f"/en/admin/translations/{tag}/entry/{entry_key('', msgid)}"


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
