"""Writing a request: warnings are previewed before sending, generic titles are refused, long drafts are kept on the server across sign-up."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.foi.models import FoiRequest

from .conftest import make_user, sign_in
from .helpers import LETTER

TITLE = "Caminos reparados en 2025"


def _token(html: str) -> str | None:
    found = re.search(r'name="previewed" value="([^"]+)"', html)
    return found.group(1) if found else None


def _count() -> int:
    return db.session.scalar(select(func.count(FoiRequest.id)))


def test_send_with_warnings_shows_the_preview_first(client, authorities):
    body = authorities["Ministry of Roads"]
    sign_in(client, make_user().id)
    letter = LETTER + "\nLlámeme al +44 20 7946 0958 o a ana@example.org"
    url = f"/es/foi/new/{body.id}"
    # "Send" straight away: the preview with its warnings comes back, nothing is sent
    resp = client.post(url, data={"title": TITLE, "letter": letter, "action": "send"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="preview-h"' in html and html.count('class="flash error"') == 2
    assert _count() == 0 and _token(html)
    # A forged token, or a letter changed since the preview, shows the preview again
    for data in ({"previewed": "forged"}, {"previewed": _token(html), "letter": letter + " otra@example.org"}):
        again = client.post(url, data={"title": TITLE, "letter": letter, "action": "send"} | data)
        assert again.status_code == 200 and 'id="preview-h"' in again.get_data(as_text=True) and _count() == 0
    # The previewed letter, unchanged (line endings as a browser posts them), is sent
    resp = client.post(
        url, data={"title": TITLE, "letter": letter.replace("\n", "\r\n"), "action": "send", "previewed": _token(html)}
    )
    assert resp.status_code == 303 and _count() == 1


def test_preview_token_survives_signing_in(client, authorities):
    body = authorities["Ministry of Roads"]
    url = f"/es/foi/new/{body.id}"
    letter = LETTER + "\nEscríbame a ana@example.org"
    first = client.post(url, data={"title": TITLE, "letter": letter, "action": "send"}).get_data(as_text=True)
    resp = client.post(url, data={"title": TITLE, "letter": letter, "action": "send", "previewed": _token(first)})
    assert resp.status_code == 303 and "/accounts/signin" in resp.headers["Location"]
    sign_in(client, make_user().id)
    page = client.get(url).get_data(as_text=True)  # the kept draft comes back as a preview, warnings shown
    assert 'id="preview-h"' in page and "email address" not in page and 'class="flash error"' in page
    resp = client.post(url, data={"title": TITLE, "letter": letter, "action": "send", "previewed": _token(page)})
    assert resp.status_code == 303 and _count() == 1


def test_generic_titles_are_refused_in_the_page_language(client, authorities, monkeypatch):
    from app.foi import letters

    real = letters._
    spanish = {"Information request": "Solicitud de información", "FOI request": "Solicitud de acceso"}
    monkeypatch.setattr(letters, "_", lambda text, **kw: real(spanish.get(text, text), **kw))
    body = authorities["Ministry of Roads"]
    for title in ("Solicitud de información", "SOLICITUD DE INFORMACION", "FOI request"):
        resp = client.post(f"/es/foi/new/{body.id}", data={"title": title, "letter": LETTER, "action": "preview"})
        assert resp.status_code == 422 and 'id="title-error"' in resp.get_data(as_text=True), title
    ok = client.post(f"/es/foi/new/{body.id}", data={"title": TITLE, "letter": LETTER, "action": "preview"})
    assert ok.status_code == 200


def test_long_draft_kept_server_side_and_signup_returns_to_it(app, client, authorities):
    import re

    from app.accounts import services as accounts
    from app.accounts.models import User
    from app.core.mail import OutboxMessage
    from app.foi.models import FoiDraft, FoiRequest

    body = authorities["Ministry of Roads"]
    letter = "Estimado Ministerio:\n\n" + ("Solicito los datos de mantenimiento de cada tramo. " * 380)[:19500]
    resp = client.post(
        f"/es/foi/new/{body.id}", data={"title": "Mantenimiento de tramos en 2025", "letter": letter, "action": "send"}
    )
    assert resp.status_code == 303 and "/accounts/signin" in resp.headers["Location"]
    cookie = resp.headers.get("Set-Cookie", "")
    assert len(cookie) < 4000  # only a token in the cookie
    draft = db.session.scalar(select(FoiDraft))
    assert draft.letter == letter and draft.authority_id == body.id
    # "Create an account" keeps the way back
    signin = client.get(resp.headers["Location"]).get_data(as_text=True)
    signup_url = re.search(r'href="([^"]*/accounts/signup[^"]*)"', signin).group(1).replace("&amp;", "&")
    assert f"foi%2Fnew%2F{body.id}" in signup_url or f"foi/new/{body.id}" in signup_url
    form = client.get(signup_url).get_data(as_text=True)
    next_value = re.search(r'name="next"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="next"', form)
    nxt = next_value.group(1) or next_value.group(2)
    assert nxt.endswith(f"/foi/new/{body.id}")
    resp = client.post(
        "/es/accounts/signup",
        data={"name": "Luz", "email": "luz@example.org", "password": "una clave muy larga 123", "next": nxt},
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    user = db.session.scalar(select(User).where(User.email == "luz@example.org"))
    token = accounts.confirm_token(user)
    resp = client.get(f"/es/accounts/confirm/{token}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"next=/es/foi/new/{body.id}")
    sign_in(client, user.id)
    page = client.get(f"/es/foi/new/{body.id}").get_data(as_text=True)
    assert 'id="preview-h"' in page and "Mantenimiento de tramos en 2025" in page
    resp = client.post(
        f"/es/foi/new/{body.id}", data={"title": "Mantenimiento de tramos en 2025", "letter": letter, "action": "send"}
    )
    assert resp.status_code == 303
    req = db.session.scalar(select(FoiRequest))
    assert req.messages[0].body == letter.strip() and db.session.scalar(select(FoiDraft)) is None
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_addr == "foi@roads.example"))
