"""A category's extra questions (Open311 attributes), edited by admins, shown and checked in the service definition and on the web form."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.audit import AuditEntry
from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Report

from .conftest import make_user, sign_in

DEPTH = {
    "code": "depth",
    "datatype": "singlevaluelist",
    "required": "y",
    "order": "",
    "values": "shallow = Less than 5 cm\ndeep = Deeper than 5 cm",
    "description_en": "How deep is it?",
    "description_es": "¿Qué profundidad tiene?",
}


def last_audit():
    return db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))


def add_depth(client):
    cat = svc.find_category("potholes")
    resp = client.post(f"/en/admin/reports/categories/{cat.id}/questions/new", data=DEPTH)
    assert resp.status_code == 303, resp.get_data(as_text=True)
    db.session.refresh(cat)
    return cat


def test_admin_adds_a_list_question_used_by_open311_and_the_web_form(client, world, admin):
    cat = add_depth(client)
    assert [q["code"] for q in cat.attributes] == ["depth"]
    entry = last_audit()
    assert entry.action == "reports.question.create" and entry.detail["code"] == "depth"
    page = client.get(f"/en/admin/reports/categories/{cat.id}").get_data(as_text=True)
    assert "How deep is it?" in page and "2 choices" in page

    got = client.get("/open311/v2/services/potholes.json").get_json()
    (attr,) = got["attributes"]
    assert attr["code"] == "depth" and attr["datatype"] == "singlevaluelist" and attr["required"] is True
    assert attr["description"] == "How deep is it?" and attr["order"] == 1
    assert attr["values"] == [{"key": "shallow", "name": "Less than 5 cm"}, {"key": "deep", "name": "Deeper than 5 cm"}]
    es = client.get("/open311/v2/services/potholes.json?locale=es").get_json()
    assert es["attributes"][0]["description"] == "¿Qué profundidad tiene?"
    services = client.get("/open311/v2/services.json").get_json()
    assert next(s for s in services if s["service_code"] == "potholes")["metadata"] is True

    html = client.get("/en/reports/new?lat=50.5&lon=0.5&category=potholes&new=1").get_data(as_text=True)
    assert "How deep is it?" in html and 'name="attribute[depth]"' in html
    assert '<option value="deep">Deeper than 5 cm</option>' in html

    _row, key = svc.create_api_key("Test client")
    db.session.commit()
    base = {
        "api_key": key,
        "service_code": "potholes",
        "lat": "50.5",
        "long": "0.5",
        "description": "Hole",
        "email": "c@example.org",
    }
    bad = client.post("/open311/v2/requests.json", data=dict(base, **{"attribute[depth]": "bottomless"}))
    assert bad.status_code == 400 and "attribute[depth]" in bad.get_json()[0]["description"]
    missing = client.post("/open311/v2/requests.json", data=base)
    assert missing.status_code == 400
    good = client.post("/open311/v2/requests.json", data=dict(base, **{"attribute[depth]": "deep"}))
    assert good.status_code == 200
    report = db.session.get(Report, int(good.get_json()[0]["service_request_id"]))
    assert report.attributes == {"depth": "deep"}


def web_details(**extra):
    data = {
        "lat": "50.500000",
        "lon": "0.500000",
        "category": "potholes",
        "title": "Deep pothole",
        "detail": "By the school",
        "name": "Ana",
        "email": "ana@example.org",
    }
    data.update(extra)
    return data


def test_web_form_checks_answers_and_keeps_them(client, world, admin):
    add_depth(client)
    before = db.session.scalar(select(func.count()).select_from(Report))
    resp = client.post("/en/reports/new", data=web_details(**{"attribute[depth]": "bottomless"}))
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Please choose from the list." in page and 'value="Deep pothole"' in page
    resp = client.post("/en/reports/new", data=web_details())
    assert resp.status_code == 422 and "Please answer this question." in resp.get_data(as_text=True)
    resp = client.post("/en/reports/new", data=web_details(title="", **{"attribute[depth]": "deep"}))
    assert resp.status_code == 422 and '<option value="deep" selected>' in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Report)) == before
    resp = client.post("/en/reports/new", data=web_details(**{"attribute[depth]": "deep"}))
    assert resp.status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()).limit(1))
    assert report.attributes == {"depth": "deep"}


def test_edit_reorder_and_remove_questions(client, world, admin):
    cat = add_depth(client)
    resp = client.post(
        f"/en/admin/reports/categories/{cat.id}/questions/new",
        data={"code": "width", "datatype": "number", "order": "1", "description_en": "Width in cm"},
    )
    assert resp.status_code == 303
    db.session.refresh(cat)
    assert [q["code"] for q in cat.attributes] == ["width", "depth"]
    form = client.get(f"/en/admin/reports/categories/{cat.id}/questions/depth").get_data(as_text=True)
    assert "shallow = Less than 5 cm" in form and "¿Qué profundidad tiene?" in form
    resp = client.post(
        f"/en/admin/reports/categories/{cat.id}/questions/depth",
        data=dict(DEPTH, code="hole_depth", datatype="multivaluelist", required="", description_es=""),
    )
    assert resp.status_code == 303
    db.session.refresh(cat)
    q = cat.attributes[1]
    assert q["code"] == "hole_depth" and q["datatype"] == "multivaluelist" and q["required"] is False
    assert q["descriptions"] == {"en": "How deep is it?"}
    assert last_audit().action == "reports.question.update" and last_audit().detail["old_code"] == "depth"
    resp = client.post(f"/en/admin/reports/categories/{cat.id}/questions/width/delete")
    assert resp.status_code == 303
    db.session.refresh(cat)
    assert [q["code"] for q in cat.attributes] == ["hole_depth"]
    assert last_audit().action == "reports.question.delete"
    assert client.get(f"/en/admin/reports/categories/{cat.id}/questions/width").status_code == 404


@pytest.mark.parametrize(
    "change, message",
    [
        ({"values": ""}, "Please give at least one choice."),
        ({"values": "a = One\na = Again"}, "is given twice"),
        ({"datatype": "number"}, "Only questions with a list of choices have choices."),
        ({"code": "two words"}, "Use only letters, digits, dots, hyphens and underscores."),
        ({"description_en": ""}, "Please write the question in this language."),
        ({"datatype": "colour"}, "Not a valid choice"),
        ({"order": "0"}, "Give a whole number from 1 to 999."),
    ],
)
def test_bad_questions_get_422_with_values_kept_and_nothing_stored(client, world, admin, change, message):
    cat = svc.find_category("potholes")
    audits = db.session.scalar(select(func.count()).select_from(AuditEntry))
    resp = client.post(f"/en/admin/reports/categories/{cat.id}/questions/new", data=dict(DEPTH, **change))
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert message in page and "¿Qué profundidad tiene?" in page
    db.session.refresh(cat)
    assert cat.attributes == []
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_duplicate_code_is_refused(client, world, admin):
    cat = add_depth(client)
    resp = client.post(f"/en/admin/reports/categories/{cat.id}/questions/new", data=DEPTH)
    assert resp.status_code == 422
    assert "This category already has a question with this code." in resp.get_data(as_text=True)
    db.session.refresh(cat)
    assert len(cat.attributes) == 1


def test_only_admins(client, world):
    cat = svc.find_category("potholes")
    for role in ("citizen", "moderator"):
        sign_in(client, make_user(email=f"{role}@example.org", role=role))
        assert client.get(f"/en/admin/reports/categories/{cat.id}/questions/new").status_code == 403
        resp = client.post(f"/en/admin/reports/categories/{cat.id}/questions/new", data=DEPTH)
        assert resp.status_code == 403
    cat.attributes = [{"code": "depth", "datatype": "string"}]
    db.session.commit()
    assert client.post(f"/en/admin/reports/categories/{cat.id}/questions/depth/delete").status_code == 403
    db.session.refresh(cat)
    assert cat.attributes == [{"code": "depth", "datatype": "string"}]


def test_report_page_shows_answers_with_choice_names_not_keys(client, world):
    cat = svc.find_category("potholes")
    cat.attributes = [
        {
            "code": "depth",
            "datatype": "multivaluelist",
            "description": "How deep is it?",
            "descriptions": {"en": "How deep is it?", "es": "¿Qué profundidad tiene?"},
            "values": [{"key": "shallow", "name": "Less than 5 cm"}, {"key": "deep", "name": "Deeper than <5> cm"}],
        },
        {"code": "width", "datatype": "number", "description": "Width in cm"},
        {"code": "note", "datatype": "string", "description": "Anything else?"},
        {"code": "seen", "datatype": "datetime", "description": "When did you see it?"},
    ]
    report = svc.create_report(
        category=cat,
        title="Deep pothole",
        detail="By the school",
        lat=50.5,
        lon=0.5,
        name="Ana",
        email="ana@example.org",
        show_name=False,
        language="en",
        attributes={
            "depth": ["deep", "shallow"],
            "width": "1234.5",
            "note": "<b>mind the bus</b>",
            "seen": "2024-05-31T14:30",
            "gone": "kept-but-hidden",
        },
    )
    report.state = "confirmed"
    db.session.commit()
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert '<dt dir="auto">How deep is it?</dt>' in page
    assert '<dd dir="auto">Deeper than &lt;5&gt; cm</dd><dd dir="auto">Less than 5 cm</dd>' in page
    assert ">deep<" not in page and ">shallow<" not in page
    assert '<dd dir="auto">1,234.5</dd>' in page
    assert '<dd dir="auto">&lt;b&gt;mind the bus&lt;/b&gt;</dd>' in page and "<b>mind" not in page
    assert '<dd dir="auto">31 May 2024, 14:30:00</dd>' in page  # the wall-clock time given, unshifted
    assert "kept-but-hidden" not in page
    es = client.get(f"/es/reports/{report.id}").get_data(as_text=True)
    assert "¿Qué profundidad tiene?" in es and "How deep is it?" not in es

    # The question is removed: its answer stays stored but is no longer shown.
    cat.attributes = [q for q in cat.attributes if q["code"] != "depth"]
    db.session.commit()
    page = client.get(f"/en/reports/{report.id}").get_data(as_text=True)
    assert "How deep is it?" not in page and "Deeper than" not in page and "Width in cm" in page
    db.session.refresh(report)
    assert report.attributes["depth"] == ["deep", "shallow"]


def test_report_without_answers_has_no_answer_list(client, world):
    cat = svc.find_category("potholes")
    report = svc.create_report(
        category=cat,
        title="Hole",
        detail="",
        lat=50.5,
        lon=0.5,
        name="Ana",
        email="ana@example.org",
        show_name=False,
        language="en",
    )
    report.state = "confirmed"
    db.session.commit()
    assert "<dl>" not in client.get(f"/en/reports/{report.id}").get_data(as_text=True)
