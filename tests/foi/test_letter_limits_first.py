"""An over-long title or letter is refused on its length before any other check or personal-data scan."""

from __future__ import annotations

from app.foi.letters import LETTER_MAX, personal_data_warnings

from .conftest import make_user, sign_in
from .helpers import LETTER

TITLE = "Caminos reparados en 2025"


def test_an_over_long_letter_is_refused_without_scanning_it(client, authorities):
    body = authorities["Ministry of Roads"]
    sign_in(client, make_user().id)
    letter = "Escríbame a ana@example.org o al +44 20 7946 0958. " + "a" * 200_000
    resp = client.post(f"/es/foi/new/{body.id}", data={"title": TITLE, "letter": letter, "action": "preview"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="letter-error"' in html
    assert "ana@example.org" not in html.split('id="letter-error"')[1][:400]
    assert personal_data_warnings(letter) == []
    assert len(personal_data_warnings("ana@example.org " + LETTER)) == 1
    assert len(LETTER) < LETTER_MAX


def test_an_over_long_title_gets_the_length_message(client, authorities):
    body = authorities["Ministry of Roads"]
    resp = client.post(f"/es/foi/new/{body.id}", data={"title": "1" * 5000, "letter": LETTER, "action": "preview"})
    assert resp.status_code == 422
    assert "200" in resp.get_data(as_text=True).split('id="title-error"')[1][:300]
