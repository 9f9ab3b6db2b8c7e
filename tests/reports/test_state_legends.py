"""The admin page of report state names labels each state in the admin's page language, not the default language's name."""

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


def test_a_language_without_a_translation_falls_back_to_the_default_languages_own_name(app_factory, tmp_path):
    """Issue 7: content falls back to the default language. With no catalog for French, its
    built-in name is the default language's, so the admins' default-language name is shown."""
    from app.core.i18n import force_language
    from app.reports.states import state_label

    app = app_factory(PLAZA_TRANSLATIONS_DIR=str(tmp_path))  # no catalogs at all
    with app.test_request_context("/"):
        db.session.add(StateName(state="confirmed", lang="en", name="Reported"))
        db.session.commit()
        with force_language("fr"):
            assert state_label("confirmed") == "Reported"
        with force_language("en"):
            assert state_label("confirmed") == "Reported"
    app2 = app_factory()  # the shipped catalogs: Spanish translates "Open", so that name stays
    with app2.test_request_context("/"):
        with force_language("es"):
            assert state_label("confirmed") == "Abierta"


def test_median_time_to_fixed_takes_the_plural_of_each_language(app):
    from flask import render_template

    from app.core.i18n import force_language
    from app.reports import states as S

    def render(lang, days):
        with app.test_request_context(f"/{lang}/admin/"), force_language(lang):
            return render_template(
                "reports/_dashboard.html",
                by_state={},
                median_days=days,
                unsent=0,
                failed=0,
                removals=0,
                by_body=[],
                by_category=[],
                S=S,
            )

    assert "Median time to fixed: 1 day<" in render("en", 1.2)
    assert "Median time to fixed: 16 days<" in render("en", 16.4)
    assert "الوقت الوسيط حتى الإصلاح: يومان" in render("ar", 2)
    assert "يومًا" in render("ar", 11) and "يومًا" not in render("ar", 3)
