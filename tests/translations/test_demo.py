"""`flask demo load` writes short about, privacy and help pages in the profile's default language."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.translations.models import ContentText


def test_demo_fills_the_static_pages(app, runner, client):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "translations: 3 demo pages" in result.output
    rows = db.session.execute(select(ContentText.key, ContentText.lang)).all()
    assert sorted(rows) == [("page:about:body", "en"), ("page:help:body", "en"), ("page:privacy:body", "en")]

    about = client.get("/en/pages/about").get_data(as_text=True)
    assert "is a demonstration of Plaza" in about and "This page has not been written yet." not in about
    assert "your email address never is" in client.get("/en/pages/privacy").get_data(as_text=True)
    spanish = client.get("/es/pages/help").get_data(as_text=True)
    assert '<div lang="en" dir="auto">' in spanish and "To report a problem" in spanish  # falls back
