"""The admin page of report state names labels each state in the admin's page language (with
any name admins gave for that language), not the default language's built-in name."""

from __future__ import annotations

import re

from app.extensions import db
from app.reports.models import StateName

from .conftest import make_user, sign_in


def legends(html):
    return re.findall(r"<legend>(.*?) <code", html)


def test_legends_follow_the_page_language(client):
    sign_in(client, make_user(email="admin@example.org", role="admin"))
    db.session.add(StateName(state="closed", lang="es", name="Archivada"))
    db.session.commit()
    es = legends(client.get("/es/admin/reports/states").get_data(as_text=True))
    assert es[:3] == ["Sin confirmar", "Abierta", "En investigación"]
    assert "Archivada" in es and "Open" not in es and "Unconfirmed" not in es
    en = legends(client.get("/en/admin/reports/states").get_data(as_text=True))
    assert en[:2] == ["Unconfirmed", "Open"] and "Archivada" not in en and "Closed" in en
