"""Report models and commands: `flask reports import-contacts` and `flask reports open311-key create`."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.reports import operations
from app.reports import queries as svc
from app.reports.models import ApiKey, Category, Contact


def test_import_contacts_creates_categories_with_names_per_language(app, world):
    cats = {c.name: c for c in db.session.scalars(select(Category))}
    assert set(cats) == {"Potholes", "Street lights"}
    assert cats["Potholes"].names == {"cy": "Tyllau yn y ffordd"}
    assert cats["Potholes"].label("cy") == "Tyllau yn y ffordd"
    assert cats["Potholes"].label("en") == "Potholes"
    assert cats["Potholes"].code == "potholes"
    north = db.session.scalars(select(Contact).where(Contact.body_id == world["north"])).all()
    assert {c.email for c in north} == {"potholes@north.example", "lights@north.example"}
    assert all(c.send_method == "email" for c in north)


def test_categories_at_a_point_are_those_of_the_covering_bodies(app, world):
    assert [c.name for c in svc.categories_at(50.5, 0.5)] == ["Potholes", "Street lights"]
    assert [c.name for c in svc.categories_at(49.5, 0.5)] == ["Potholes"]
    assert svc.categories_at(10.0, 10.0) == []


def test_import_contacts_bad_rows_change_nothing(app, world, runner):
    bad = world["tmp"] / "bad.csv"
    bad.write_text(
        "body,category,email,send_method,endpoint\n"
        "North Council,Graffiti,graffiti@north.example,email,\n"
        "Nobody Council,Graffiti,x@example.org,email,\n"
        "South Council,Graffiti,,open311,ftp://nope\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["reports", "import-contacts", str(bad)])
    assert result.exit_code != 0
    assert "unknown body" in result.output and "line 3" in result.output
    assert "open311 needs an http(s) endpoint" in result.output
    assert db.session.scalar(select(func.count()).select_from(Category).where(Category.name == "Graffiti")) == 0


def test_import_contacts_is_idempotent_and_updates(app, world, runner):
    again = world["tmp"] / "again.csv"
    again.write_text(
        "body,category,email,send_method,endpoint,jurisdiction_id,api_key\n"
        f"{world['south']},potholes,,open311,http://127.0.0.1:9/open311,south,k1\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["reports", "import-contacts", str(again)])
    assert result.exit_code == 0, result.output
    assert "0 contact(s) created, 1 updated" in result.output
    contact = db.session.scalar(select(Contact).where(Contact.body_id == world["south"]))
    assert contact.send_method == "open311" and contact.endpoint.endswith("/open311")
    assert contact.jurisdiction_id == "south"


def test_open311_key_create_shows_the_key_once_and_stores_a_hash(app, runner):
    result = runner.invoke(args=["reports", "open311-key", "create", "City app"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().rsplit(" ", 1)[-1]
    row = db.session.scalar(select(ApiKey))
    assert row.name == "City app" and key not in (row.key_hash, row.prefix) and len(key) > 20
    assert svc.check_api_key(key).id == row.id
    assert svc.check_api_key("wrong") is None
    assert runner.invoke(args=["reports", "open311-key", "create", "  "]).exit_code != 0
    revoked = runner.invoke(args=["reports", "open311-key", "revoke", row.prefix])
    assert revoked.exit_code == 0 and svc.check_api_key(key) is None
    from app.core.audit import AuditEntry

    actions = [a.action for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["reports.open311_key.create", "reports.open311_key.revoke"]


def test_open311_keys_never_start_like_a_command_line_option(app):
    keys = [operations.create_api_key(f"client {n}")[1] for n in range(200)]
    assert all(k[0].isalnum() and k.isalnum() and len(k) >= 32 for k in keys)
