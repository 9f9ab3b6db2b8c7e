"""A contact may name the body's own Open311 service_code (CSV import or admin form), sent instead of Plaza's category code."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.reports.models import Contact
from app.reports.sending import process_sends

from .conftest import make_user, sign_in
from .test_routing_follow import Open311Sink, new_report


@pytest.fixture
def sink():
    s = Open311Sink()
    yield s
    s.stop()


def south_contact(world):
    return db.session.scalar(select(Contact).where(Contact.body_id == world["south"]))


def test_imported_service_code_is_what_the_body_receives(app, world, runner, sink):
    csv_file = world["tmp"] / "codes.csv"
    csv_file.write_text(
        f"body,category,send_method,endpoint,service_code\nSouth Council,Potholes,open311,{sink.url},RD-HOLE-7\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["reports", "import-contacts", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert south_contact(world).service_code == "RD-HOLE-7"
    new_report(category="potholes", lat=49.5, user=make_user())
    assert process_sends() == (1, 0)
    path, params = sink.posts[-1]
    assert path == "/open311/v2/requests.json" and params["service_code"] == ["RD-HOLE-7"]
    # A file without the column keeps the saved code; an empty cell clears it.
    csv_file.write_text(
        f"body,category,send_method,endpoint\nSouth Council,Potholes,open311,{sink.url}\n", encoding="utf-8"
    )
    assert runner.invoke(args=["reports", "import-contacts", str(csv_file)]).exit_code == 0
    assert south_contact(world).service_code == "RD-HOLE-7"
    csv_file.write_text(
        f"body,category,send_method,endpoint,service_code\nSouth Council,Potholes,open311,{sink.url},\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["reports", "import-contacts", str(csv_file)]).exit_code == 0
    assert south_contact(world).service_code is None


def test_import_refuses_an_overlong_service_code(app, world, runner):
    csv_file = world["tmp"] / "long.csv"
    csv_file.write_text(
        "body,category,send_method,endpoint,service_code\n"
        f"South Council,Potholes,open311,http://x.example/o,{'x' * 201}\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["reports", "import-contacts", str(csv_file)])
    assert result.exit_code != 0 and "service_code is longer" in result.output
    assert south_contact(world).service_code is None


def test_without_a_service_code_the_category_code_is_sent(app, world, sink):
    contact = south_contact(world)
    contact.send_method, contact.endpoint = "open311", sink.url
    db.session.commit()
    new_report(category="potholes", lat=49.5, user=make_user())
    assert process_sends() == (1, 0)
    assert sink.posts[-1][1]["service_code"] == ["potholes"]


def test_admin_contact_form_edits_the_service_code(client, world, sink):
    sign_in(client, make_user(email="admin@example.org", role="admin"))
    contact = south_contact(world)
    resp = client.post(
        f"/en/admin/reports/contacts/{contact.id}",
        data={
            "category": "potholes",
            "send_method": "open311",
            "endpoint": sink.url,
            "service_code": " 4711 ",
            "active": "y",
        },
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)
    db.session.refresh(contact)
    assert contact.service_code == "4711"
    page = client.get(f"/en/admin/reports/contacts/{contact.id}").get_data(as_text=True)
    assert 'name="service_code"' in page and 'value="4711"' in page
    new_report(category="potholes", lat=49.5, user=make_user(email="r2@example.org"))
    assert process_sends() == (1, 0)
    assert sink.posts[-1][1]["service_code"] == ["4711"]
