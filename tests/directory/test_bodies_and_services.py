"""Bodies CSV round trip, services across the border, private data, the person-page hook."""

from __future__ import annotations

from flask import g
from sqlalchemy import func, select

from app.directory import services
from app.directory.models import ContactDetail, Membership, Organisation, Person
from app.extensions import db

CSV = (
    "id,name,name:cy,classification,tags,area_codes,email,foi_email,website\n"
    "cardiff,Cardiff Council,Cyngor Caerdydd,council,council;local,gss:W06000015,info@cardiff.example,"
    "foi@cardiff.example,https://cardiff.example/\n"
    ",Welsh Government,Llywodraeth Cymru,ministry,national,gss:W10000007;gss:W10000001,,foi@gov.wales.example,\n"
)


def _run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=["directory", *args], input=input)


def test_bodies_round_trip_is_lossless(welsh_areas_app, tmp_path):
    app = welsh_areas_app
    path = tmp_path / "bodies.csv"
    path.write_text(CSV, encoding="utf-8")
    res = _run(app, "import-bodies", str(path))
    assert res.exit_code == 0, res.output
    assert "2 created, 0 updated" in res.output
    out = _run(app, "export-bodies")
    assert out.exit_code == 0
    rows = sorted(out.output.strip().splitlines()[1:])
    assert out.output.splitlines()[0] == CSV.splitlines()[0]
    assert rows == sorted(CSV.strip().splitlines()[1:])
    # re-import: updated by id, else by name; nothing duplicated
    res = _run(app, "import-bodies", str(path))
    assert "0 created, 2 updated" in res.output
    assert db.session.scalar(select(func.count(Organisation.id))) == 2


def test_bad_bodies_csv_changes_nothing(welsh_areas_app, tmp_path):
    app = welsh_areas_app
    bad = CSV + "x,Broken Body,,council,,gss:W06000015,not-an-email,,\n"
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    res = _run(app, "import-bodies", str(tmp_path / "bad.csv"))
    assert res.exit_code != 0 and "Line 4" in res.output and "not-an-email" in res.output
    assert db.session.scalar(select(func.count(Organisation.id))) == 0
    (tmp_path / "area.csv").write_text("name,area_codes\nNowhere,gss:NOPE\n", encoding="utf-8")
    res = _run(app, "import-bodies", str(tmp_path / "area.csv"))
    assert res.exit_code != 0 and "no area has the code 'gss:NOPE'" in res.output
    (tmp_path / "cols.csv").write_text("name,colour\nX,red\n", encoding="utf-8")
    res = _run(app, "import-bodies", str(tmp_path / "cols.csv"))
    assert res.exit_code != 0 and "colour" in res.output
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_body_services(welsh_areas_app, tmp_path):
    app = welsh_areas_app
    (tmp_path / "b.csv").write_text(CSV, encoding="utf-8")
    assert _run(app, "import-bodies", str(tmp_path / "b.csv")).exit_code == 0
    with app.test_request_context("/cy/"):
        g.lang = "cy"
        at_cardiff = services.bodies_covering_point(51.4816, -3.1791)
        assert {b.name for b in at_cardiff} == {"Cyngor Caerdydd", "Llywodraeth Cymru"}
        council = next(b for b in at_cardiff if b.classification == "council")
        assert council.foi_email == "foi@cardiff.example" and council.tags == ("council", "local")
        found, total = services.search_bodies(q="caerdydd")
        assert total == 1 and found[0].id == council.id
        assert services.search_bodies(tag="national")[1] == 1
        assert services.search_bodies(has_foi_email=True)[1] == 2
        assert services.get_body(council.id).website == "https://cardiff.example/"
        assert services.get_body(999999) is None and services.bodies(["x", council.id])[0].id == council.id


def test_persons_services_and_private_details(app, client):
    org = Organisation(name="Town Council", classification="council")
    p = Person(name="Ana Pérez", email="ana@example.org")
    p.contact_details = [
        ContactDetail(type="voice", value="+44 20 0000 0000", private=True),
        ContactDetail(type="fax", value="+44 20 1111 1111"),
    ]
    db.session.add_all([org, p])
    db.session.flush()
    db.session.add(Membership(person_id=p.id, organisation_id=org.id, area_id=7, role="councillor"))
    db.session.commit()
    with app.test_request_context("/en/"):
        assert services.get_person(p.id).name == "Ana Pérez"
        assert services.person_email(p.id) == "ana@example.org"
        assert services.is_current_representative(p.id)
        services.mark_contact_failing(person_id=p.id, email="ana@example.org", reason="550 no such user")
        assert services.person_email(p.id) is None
    data = client.get(f"/api/persons/{p.id}.json").get_json()
    assert "+44 20 1111 1111" in str(data) and "+44 20 0000 0000" not in str(data) and "ana@" not in str(data)
    page = client.get(f"/en/people/{p.id}").get_data(as_text=True)
    assert "+44 20 0000 0000" not in page and "ana@example.org" not in page


def test_person_sections_hook(app, client):
    p = Person(name="Hook Person")
    db.session.add(p)
    db.session.commit()
    from jinja2 import ChoiceLoader, DictLoader

    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"test/section.html": "<section><h2>messages for {{ pid }}</h2></section>"}), app.jinja_env.loader]
    )
    services.register_person_section(app, lambda pid: ("test/section.html", {"pid": pid}))
    html = client.get(f"/en/people/{p.id}").get_data(as_text=True)
    assert f"messages for {p.id}" in html
