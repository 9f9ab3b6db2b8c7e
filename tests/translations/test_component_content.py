"""Content translations in the components (area types, organisations, categories, state names) fall back to the default language; the status page counts gaps."""

from __future__ import annotations

import re

import pytest
from reports.conftest import make_user, world  # noqa: F401 - the reports' tiny world fixture
from reports.conftest import sign_in as sign_in_user
from sqlalchemy import select

from app.extensions import db


@pytest.fixture
def admin_client(app, client, world):  # noqa: F811
    sign_in_user(client, make_user("root@example.org", role="admin"))
    return client


def _status_row(html, lang_tag, label):
    """The count the status page shows for `label` in the section of one language."""
    section = html.split(f'<h2 lang="{lang_tag}">', 1)[1].split("</section>", 1)[0]
    match = re.search(re.escape(label) + r"</a></td><td>(.*?)</td>", section)
    assert match, section
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# -- area types -----------------------------------------------------------------------------
def test_area_type_names_edited_per_language_with_fallback(app, admin_client):
    from app.areas.models import AreaType

    assert "Council" in admin_client.get("/fr/areas/").get_data(as_text=True)  # fallback, not empty
    page = admin_client.get("/en/admin/areas/types").get_data(as_text=True)
    assert 'name="name-CTY-fr"' in page and 'value="Council"' in page  # default language prefilled

    # the default language cannot be emptied: 422, nothing stored, what was typed comes back
    bad = admin_client.post("/en/admin/areas/types", data={"name-CTY-en": "", "name-CTY-fr": "Conseil"})
    assert bad.status_code == 422
    assert 'value="Conseil"' in bad.get_data(as_text=True)
    assert db.session.get(AreaType, "CTY").names.get("fr") is None

    resp = admin_client.post(
        "/en/admin/areas/types", data={"name-CTY-en": "Council", "name-CTY-fr": "Conseil", "name-CTY-ar": "  "}
    )
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(AreaType, "CTY").names == {"": "Council", "en": "Council", "fr": "Conseil"}
    assert "Conseil" in admin_client.get("/fr/areas/").get_data(as_text=True)
    arabic = admin_client.get("/ar/areas/").get_data(as_text=True)
    assert "Council" in arabic and "Conseil" not in arabic  # Arabic falls back to English

    status = admin_client.get("/en/admin/translations/status").get_data(as_text=True)
    assert _status_row(status, "fr", "Area type names") == "none"
    assert _status_row(status, "ar", "Area type names") == "1"


def test_area_types_page_is_for_admins(client, world):  # noqa: F811
    sign_in_user(client, make_user("mod@example.org", role="moderator"))
    assert client.get("/en/admin/areas/types").status_code == 403
    assert client.post("/en/admin/areas/types", data={}).status_code == 403


# -- organisations ------------------------------------------------------------------------------
def test_organisation_names_per_language_fall_back_to_the_main_name(app, admin_client, world):  # noqa: F811
    from app.directory import services as directory

    status = admin_client.get("/en/admin/translations/status").get_data(as_text=True)
    assert _status_row(status, "fr", "Organisation and body names") == "2"
    assert _status_row(status, "en", "Organisation and body names") == "none"
    listing = admin_client.get("/en/admin/directory/organisations/untranslated/fr").get_data(as_text=True)
    assert "North Council" in listing and "South Council" in listing

    org = admin_client.get(f"/en/admin/directory/organisations/{world['north']}")
    assert "Names in other languages" in org.get_data(as_text=True)
    page = org.get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    data = {
        "name": "North Council",
        "names": "cy = Cyngor y Gogledd\nfr = Conseil du Nord",
        "classification": "council",
        "tags": "council",
        "area_codes": "gss:X01",
        "parent_id": "0",
    }
    if csrf:
        data["csrf_token"] = csrf.group(1) or csrf.group(2)
    resp = admin_client.post(f"/en/admin/directory/organisations/{world['north']}", data=data)
    assert resp.status_code == 303, resp.get_data(as_text=True)

    from app.core.i18n import force_language

    with force_language("fr"):
        assert directory.get_body(world["north"]).name == "Conseil du Nord"
        assert directory.get_body(world["south"]).name == "South Council"  # fallback, never empty
    status = admin_client.get("/en/admin/translations/status").get_data(as_text=True)
    assert _status_row(status, "fr", "Organisation and body names") == "1"
    listing = admin_client.get("/en/admin/directory/organisations/untranslated/fr").get_data(as_text=True)
    assert "North Council" not in listing and "South Council" in listing


# -- categories ------------------------------------------------------------------------------------
def test_category_names_and_hints_fall_back_to_the_default_language(app, admin_client):
    from app.core.i18n import force_language
    from app.reports.models import Category

    cat = db.session.scalars(select(Category).where(Category.name == "Potholes")).one()
    cat.hints = {"en": "Holes in the road surface", "fr": "Trous dans la chaussée"}
    lights = db.session.scalars(select(Category).where(Category.name == "Street lights")).one()
    lights.hints = {"en": "A lamp that does not light"}
    cat.names = {"fr": "Nids-de-poule"}
    db.session.commit()

    with force_language("fr"):
        assert cat.label("fr") == "Nids-de-poule" and cat.text("hints", "fr") == "Trous dans la chaussée"
    assert lights.label("fr") == "Street lights"  # no French name: the default-language name
    assert lights.text("hints", "fr") == "A lamp that does not light"  # no French hint: English one
    assert lights.text("hints", "ar") == "A lamp that does not light"
    assert "Street lights" in admin_client.get("/fr/reports/").get_data(as_text=True)

    status = admin_client.get("/en/admin/translations/status").get_data(as_text=True)
    assert _status_row(status, "fr", "Category names") == "1"
    assert _status_row(status, "fr", "Category hints") == "1"
    assert _status_row(status, "ar", "Category names") == "2"
    assert _status_row(status, "en", "Category names") == "none"


# -- report states --------------------------------------------------------------------------------
def _report(world):  # noqa: F811
    from app.core.models import utcnow
    from app.reports.models import Category, Report

    cat = db.session.scalars(select(Category).where(Category.name == "Potholes")).one()
    r = Report(
        category_id=cat.id,
        title="Hole in Main Street",
        detail="Deep.",
        lat=50.5,
        lon=0.5,
        state="confirmed",
        email="r@example.org",
        language="en",
        confirmed_at=utcnow(),
    )
    db.session.add(r)
    db.session.commit()
    return r.id


def test_report_state_names_per_language(app, admin_client, world):  # noqa: F811
    from app.reports.models import StateName

    rid = _report(world)
    assert ">Open<" in admin_client.get(f"/en/reports/{rid}").get_data(as_text=True)
    page = admin_client.get("/en/admin/reports/states").get_data(as_text=True)
    assert 'name="name-confirmed-fr"' in page and 'placeholder="Open"' in page

    too_long = admin_client.post(
        "/en/admin/reports/states", data={"name-confirmed-en": "x" * 101, "name-fixed-fr": "Réparé !"}
    )
    assert too_long.status_code == 422 and 'value="Réparé !"' in too_long.get_data(as_text=True)
    assert db.session.scalars(select(StateName)).all() == []

    resp = admin_client.post("/en/admin/reports/states", data={"name-confirmed-en": "Reported"})
    assert resp.status_code == 303
    assert ">Reported<" in admin_client.get(f"/en/reports/{rid}").get_data(as_text=True)
    french = admin_client.get(f"/fr/reports/{rid}").get_data(as_text=True)
    assert "Reported" not in french  # French shows the built-in (translated) name, never empty
    status = admin_client.get("/en/admin/translations/status").get_data(as_text=True)
    assert _status_row(status, "fr", "Report state names") == "1"

    admin_client.post(
        "/en/admin/reports/states", data={"name-confirmed-en": "Reported", "name-confirmed-fr": "Signalé"}
    )
    assert ">Signalé<" in admin_client.get(f"/fr/reports/{rid}").get_data(as_text=True)
    status = admin_client.get("/en/admin/translations/status").get_data(as_text=True)
    assert _status_row(status, "fr", "Report state names") == "none"
    # emptying a field goes back to the built-in name
    admin_client.post("/en/admin/reports/states", data={"name-confirmed-fr": "Signalé"})
    assert ">Open<" in admin_client.get(f"/en/reports/{rid}").get_data(as_text=True)


def test_status_page_survives_a_broken_component(app, admin_client):
    from app.core import registry

    def broken(tag):
        raise RuntimeError("boom")

    registry.add_content_status(app, broken, order=99)
    resp = admin_client.get("/en/admin/translations/status")
    assert resp.status_code == 200 and "Area type names" in resp.get_data(as_text=True)
