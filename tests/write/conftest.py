"""Fixtures for writing to representatives: a tiny world made through the other components'
CLI commands (an area from GeoJSON, people and memberships from a Popolo file), an app whose
outbox sends to the real in-process SMTP server, and helpers to drive the no-JS flow."""

from __future__ import annotations

import json
import re

import pytest
from helpers import cli, make_user, sign_in

__all__ = ["cli", "make_user", "sign_in"]

ALYS, BRYN, GONE = "alys@senedd.example", "bryn@senedd.example", "gone@senedd.example"


def square(min_lon, min_lat, max_lon, max_lat):
    return {
        "type": "Polygon",
        "coordinates": [
            [[min_lon, min_lat], [max_lon, min_lat], [max_lon, max_lat], [min_lon, max_lat], [min_lon, min_lat]]
        ],
    }


POPOLO = {
    "persons": [
        {"id": "p-alys", "name": "Alys Jones", "email": ALYS},
        {"id": "p-bryn", "name": "Bryn Davies", "email": BRYN},
        {"id": "p-gone", "name": "Gwen Former", "email": GONE},
        {"id": "p-nomail", "name": "Nia Nomail"},
    ],
    "organizations": [
        {"id": "leg", "name": "Northtown Assembly", "classification": "legislature"},
        {"id": "green", "name": "Green Party", "classification": "party"},
    ],
    "areas": [{"id": "area-north", "name": "Northtown", "identifiers": [{"scheme": "gss", "identifier": "X01"}]}],
    "events": [
        {
            "id": "term",
            "classification": "legislative period",
            "name": "Current term",
            "start_date": "2020-01-01",
            "organization_id": "leg",
        }
    ],
    "memberships": [
        {
            "person_id": "p-alys",
            "organization_id": "leg",
            "area_id": "area-north",
            "legislative_period_id": "term",
            "on_behalf_of_id": "green",
            "start_date": "2020-01-01",
        },
        {
            "person_id": "p-bryn",
            "organization_id": "leg",
            "area_id": "area-north",
            "legislative_period_id": "term",
            "start_date": "2020-01-01",
        },
        {
            "person_id": "p-gone",
            "organization_id": "leg",
            "area_id": "area-north",
            "legislative_period_id": "term",
            "start_date": "2020-01-01",
            "end_date": "2021-06-30",
        },
        {
            "person_id": "p-nomail",
            "organization_id": "leg",
            "area_id": "area-north",
            "legislative_period_id": "term",
            "start_date": "2020-01-01",
        },
    ],
}


def build_world(app, tmp_path) -> dict:
    geo = tmp_path / "north.geojson"
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
                ],
            }
        )
    )
    cli(
        app,
        "areas",
        "import-geojson",
        str(geo),
        "--type",
        "CON",
        "--name-field",
        "name",
        "--code-field",
        "code",
        "--code-scheme",
        "gss",
        "--type-name",
        "Constituency",
        "--level",
        "1",
    )
    pop = tmp_path / "popolo.json"
    pop.write_text(json.dumps(POPOLO))
    out = cli(app, "directory", "import-popolo", str(pop)).output
    assert "areas linked: 1" in out, out
    from app.directory.models import Person
    from app.extensions import db

    ids = {p.email or p.name: p.id for p in db.session.query(Person)}
    return {"alys": ids[ALYS], "bryn": ids[BRYN], "gone": ids[GONE], "nomail": ids["Nia Nomail"]}


@pytest.fixture(params=["en", "cy"])
def lang(request):
    return request.param


@pytest.fixture
def wapp(app_factory, smtp, tmp_path):
    """The Welsh profile (English and Welsh), mail to the real SMTP server, the tiny world."""
    app = app_factory(PLAZA_PROFILE="gb-wls", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    with app.app_context():
        app.config["WORLD"] = build_world(app, tmp_path)
        yield app


@pytest.fixture
def world(wapp):
    return wapp.config["WORLD"]


@pytest.fixture
def wclient(wapp):
    return wapp.test_client()


def form_data(persons, **extra):
    data = {
        "person": [str(p) for p in persons],
        "subject": "Potholes on Heol y Parc",
        "body": "Dear member,\n\nThe road is broken.\nPlease help.",
        "name": "Siân Writer",
        "email": "sian@example.org",
    }
    data.update(extra)
    return data


def write_message(client, lang, persons, **extra):
    """Preview, then send, as a browser without JavaScript would. Returns the send response."""
    resp = client.post(f"/{lang}/write/new", data=form_data(persons, action="preview", **extra))
    assert resp.status_code == 200, resp.get_data(as_text=True)[:2000]
    return client.post(f"/{lang}/write/new", data=form_data(persons, action="send", checked=checked_in(resp), **extra))


def checked_in(preview) -> str:
    """The preview's signature, which the send button posts back."""
    m = re.search(r'name="checked" value="([0-9a-f]+)"', preview.get_data(as_text=True))
    assert m, preview.get_data(as_text=True)[:2000]
    return m.group(1)


def confirm_by_link(client, path):
    """Follow the emailed link (a page with a button, which changes nothing), then press the button."""
    page = client.get(path)
    assert page.status_code == 200 and f'action="{path}"' in page.get_data(as_text=True), page.status_code
    return client.post(path)


def link_in(text: str, part: str) -> str:
    m = re.search(r"http://plaza\.test(/\S*" + re.escape(part) + r"\S*)", text)
    assert m, text
    return m.group(1)


def tr(app, lang, text, **values):
    """`text` as the app shows it in `lang` (catalogs are being translated while we work)."""
    from flask_babel import gettext

    from app.core.i18n import force_language

    with app.test_request_context(f"/{lang}/"), force_language(lang):
        return gettext(text, **values)


def page_text(resp) -> str:
    """A page's HTML with entities decoded, to compare with translated sentences."""
    import html

    return html.unescape(resp.get_data(as_text=True))


def tr_n(app, lang, singular, plural, num, **values):
    from flask_babel import ngettext

    from app.core.i18n import force_language

    with app.test_request_context(f"/{lang}/"), force_language(lang):
        return ngettext(singular, plural, num, **values)
