"""`flask demo load` gives reports categories, contacts and a living set of reports."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.reports import queries as svc
from app.reports.models import Category, Contact, Report, Send, Update


def test_demo_load_makes_categories_contacts_and_reports(client, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "reports: 4 categories" in result.output
    cats = {c.code: c for c in db.session.scalars(select(Category))}
    assert set(cats) == {"pothole", "street-light", "rubbish", "graffiti"}
    for c in cats.values():
        assert set(c.names) == {"es", "fr", "ar"} and all(c.names.values())
    assert cats["rubbish"].label("ar") == "نفايات" and cats["pothole"].text("hints", "fr")
    assert db.session.scalar(select(func.count()).select_from(Contact)) >= 4
    reports = list(db.session.scalars(select(Report)))
    assert len(reports) >= 6
    states = {r.state for r in reports}
    assert {"confirmed", "fixed - council", "in progress"} <= states
    assert all(r.is_public and r.body_ids and r.sent_at for r in reports)
    assert db.session.scalar(select(func.count()).select_from(Send).where(Send.status == "sent")) >= len(reports)
    assert db.session.scalar(select(func.count()).select_from(Update).where(Update.kind == "staff")) >= 3
    assert {r.language for r in reports} >= {"en", "es", "fr", "ar"}
    # Every demo report sits where its category is received.
    for r in reports:
        assert r.category_id in {c.id for c in svc.categories_at(r.lat, r.lon)}
    html = client.get("/en/reports/").get_data(as_text=True)
    assert "Deep pothole outside the school" in html and "Load more" not in html
    fixed = next(r for r in reports if r.state == "fixed - council")
    page = client.get(f"/es/reports/{fixed.id}").get_data(as_text=True)
    assert "The road has been patched." in page and "Bache" in page
    # A new report can be made at a demo point: the place offers the demo categories.
    where = client.get(f"/en/reports/new?lat={fixed.lat}&lon={fixed.lon}").get_data(as_text=True)
    assert "Pothole" in where
