"""Fixtures for reports: a tiny world (two councils, their bodies and contacts) made through the
other components' CLI commands, the most stable interface between components."""

from __future__ import annotations

import json

import pytest
from helpers import cli, make_user, sign_in

from app.extensions import db
from app.reports import operations

__all__ = ["cli", "make_user", "sign_in", "deliver"]


def square(min_lon, min_lat, max_lon, max_lat):
    return {
        "type": "Polygon",
        "coordinates": [
            [[min_lon, min_lat], [max_lon, min_lat], [max_lon, max_lat], [min_lon, max_lat], [min_lon, min_lat]]
        ],
    }


@pytest.fixture
def world(app, runner, tmp_path):
    """Northtown (lat 50-51) and Southtown (lat 49-50), lon 0-1; one council body each.

    Northtown receives Potholes (email, with a Welsh name) and Street lights; Southtown receives
    Potholes only. Returns a dict of useful ids.
    """
    geo = tmp_path / "councils.geojson"
    geo.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Northtown", "code": "X01"},
                        "geometry": square(0, 50, 1, 51),
                    },
                    {
                        "type": "Feature",
                        "properties": {"name": "Southtown", "code": "X02"},
                        "geometry": square(0, 49, 1, 50),
                    },
                ],
            }
        )
    )
    cli(
        runner,
        "areas",
        "import-geojson",
        str(geo),
        "--type",
        "CTY",
        "--name-field",
        "name",
        "--code-field",
        "code",
        "--code-scheme",
        "gss",
        "--type-name",
        "Council",
        "--level",
        "1",
    )
    bodies = tmp_path / "bodies.csv"
    bodies.write_text(
        "id,name,name:cy,classification,tags,area_codes,email,foi_email,website\n"
        ",North Council,Cyngor y Gogledd,council,council,gss:X01,info@north.example,,\n"
        ",South Council,,council,council,gss:X02,info@south.example,,\n",
        encoding="utf-8",
    )
    cli(runner, "directory", "import-bodies", str(bodies))
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "body,category,category:cy,email,send_method,endpoint,jurisdiction_id,api_key\n"
        "North Council,Potholes,Tyllau yn y ffordd,potholes@north.example,email,,,\n"
        "North Council,Street lights,Goleuadau stryd,lights@north.example,,,,\n"
        "South Council,Potholes,,roads@south.example,email,,,\n",
        encoding="utf-8",
    )
    cli(runner, "reports", "import-contacts", str(contacts))
    from app.directory import services as directory

    found, _ = directory.search_bodies(limit=10)
    ids = {b.name: b.id for b in found}
    return {"north": ids["North Council"], "south": ids["South Council"], "tmp": tmp_path}


def deliver(app, smtp):
    """Run the outbox through the real SMTP sink, then the send job that records deliveries."""
    from app.core.mail import send_pending
    from app.reports.sending import process_sends

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    sent = send_pending()
    process_sends()
    return sent


@pytest.fixture
def admin(client):
    """An admin, signed in on `client`."""
    user = make_user(email="admin@example.org", name="Ada Admin", role="admin")
    sign_in(client, user)
    return user


@pytest.fixture
def keys(app, world):
    """A reporting app's key, and back-end keys of North and South councils."""
    made = {}
    for name, body in (("app", None), ("north", world["north"]), ("south", world["south"])):
        row, key = operations.create_api_key(f"{name} client")
        row.body_id = body
        made[name] = key
    db.session.commit()
    return made
