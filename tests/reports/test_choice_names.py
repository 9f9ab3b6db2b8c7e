"""Extra-question choices carry a name per language, entered by admins, shown on the form, the report page and in Open311 (?locale=)."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.reports import operations as svc

DEPTH = {
    "code": "depth",
    "datatype": "singlevaluelist",
    "required": "y",
    "values": "shallow = Less than 5 cm\ndeep = Deeper than 5 cm",
    "values_es": "deep = Más de 5 cm\n\nshallow = Menos de 5 cm",
    "values_ar": "deep = أعمق من 5 سم",
    "description_en": "How deep is it?",
    "description_es": "¿Qué profundidad tiene?",
}


def test_admin_enters_choice_names_per_language(client, world, admin):
    cat = svc.find_category("potholes")
    form = client.get(f"/en/admin/reports/categories/{cat.id}/questions/new").get_data(as_text=True)
    assert 'name="values_es"' in form and 'name="values_ar"' in form and 'name="values_en"' not in form
    resp = client.post(f"/en/admin/reports/categories/{cat.id}/questions/new", data=DEPTH)
    assert resp.status_code == 303, resp.get_data(as_text=True)
    db.session.refresh(cat)
    assert cat.attributes[0]["values"] == [
        {"key": "shallow", "name": "Less than 5 cm", "names": {"es": "Menos de 5 cm"}},
        {"key": "deep", "name": "Deeper than 5 cm", "names": {"es": "Más de 5 cm", "ar": "أعمق من 5 سم"}},
    ]
    form = client.get(f"/en/admin/reports/categories/{cat.id}/questions/depth").get_data(as_text=True)
    assert "shallow = Menos de 5 cm\ndeep = Más de 5 cm" in form and "deep = أعمق من 5 سم" in form


@pytest.mark.parametrize(
    "change, message",
    [
        ({"values_es": "bottomless = Sin fondo"}, "“bottomless” is not one of the choices above."),
        ({"values_fr": "deep ="}, "Each line needs a choice&#39;s key"),
    ],
)
def test_bad_choice_names_are_refused_with_nothing_stored(client, world, admin, change, message):
    cat = svc.find_category("potholes")
    resp = client.post(f"/en/admin/reports/categories/{cat.id}/questions/new", data=dict(DEPTH, **change))
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert message in page and "Deeper than 5 cm" in page
    db.session.refresh(cat)
    assert cat.attributes == []


def store_depth():
    cat = svc.find_category("potholes")
    cat.attributes = [
        {
            "code": "depth",
            "datatype": "singlevaluelist",
            "description": "How deep is it?",
            "values": [
                {"key": "shallow", "name": "Less than 5 cm"},  # stored before names existed
                {"key": "deep", "name": "Deeper than 5 cm", "names": {"es": "Más de 5 cm", "ar": "أعمق من 5 سم"}},
            ],
        }
    ]
    db.session.commit()
    return cat


def test_web_form_shows_choices_in_the_page_language(client, world):
    store_depth()
    url = "/{}/reports/new?lat=50.5&lon=0.5&category=potholes&new=1"
    es = client.get(url.format("es")).get_data(as_text=True)
    assert '<option value="deep">Más de 5 cm</option>' in es
    assert '<option value="shallow">Less than 5 cm</option>' in es  # no Spanish name: the default one
    en = client.get(url.format("en")).get_data(as_text=True)
    assert '<option value="deep">Deeper than 5 cm</option>' in en


def test_report_page_and_open311_show_choice_names_per_language(client, world):
    cat = store_depth()
    report = svc.create_report(
        category=cat,
        title="Deep pothole",
        detail="",
        lat=50.5,
        lon=0.5,
        name="Ana",
        email="ana@example.org",
        show_name=False,
        language="en",
        attributes={"depth": "deep"},
    )
    report.state = "confirmed"
    db.session.commit()
    assert '<dd dir="auto">أعمق من 5 سم</dd>' in client.get(f"/ar/reports/{report.id}").get_data(as_text=True)
    assert '<dd dir="auto">Deeper than 5 cm</dd>' in client.get(f"/fr/reports/{report.id}").get_data(as_text=True)
    es = client.get("/open311/v2/services/potholes.json?locale=es").get_json()
    assert es["attributes"][0]["values"] == [
        {"key": "shallow", "name": "Less than 5 cm"},
        {"key": "deep", "name": "Más de 5 cm"},
    ]
    plain = client.get("/open311/v2/services/potholes.json").get_json()
    assert plain["attributes"][0]["values"][1] == {"key": "deep", "name": "Deeper than 5 cm"}
    xml = client.get("/open311/v2/services/potholes.xml?locale=ar").get_data(as_text=True)
    assert "<name>أعمق من 5 سم</name>" in xml
