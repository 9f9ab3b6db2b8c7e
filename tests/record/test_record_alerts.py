"""Record alerts: confirmed by email, one daily digest per subscriber with what is new, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import json
import re

from sqlalchemy import select

from app.core.mail import send_pending
from app.extensions import db
from app.record.alerts import operations
from app.record.alerts.digest import send_digests
from app.record.alerts.models import Alert

from .debate_helpers import HARBOUR, MARKET, import_debates, make_person
from .votes_helpers import MOTIONS, PARTIES, PEOPLE, invoke, person_id


def _link(body: str, part: str) -> str:
    url = re.search(r"http://plaza\.test(/\S*" + part + r"\S*)", body)
    assert url, body
    return url.group(1)


def test_a_follower_of_a_person_gets_one_digest_after_a_new_vote(mail_app, smtp):
    client = mail_app.test_client()
    assert invoke(mail_app, "directory", "import-popolo", PEOPLE, PARTIES).exit_code == 0
    naomi = person_id("naomi_long")
    page = client.get(f"/en/record/alerts/new?person={naomi}")
    assert page.status_code == 200 and "Naomi Long" in page.get_data(as_text=True)
    resp = client.post("/en/record/alerts", data={"kind": "person", "person": naomi, "email": "Fan@Example.org"})
    assert resp.status_code == 303
    send_pending()
    assert len(smtp.messages) == 1 and smtp.messages[0]["to"] == ["fan@example.org"]
    confirm = _link(smtp.body(), "/record/alerts/confirm/")
    assert client.get(confirm).status_code == 200
    smtp.clear()
    assert send_digests() == 0  # nothing new yet

    assert invoke(mail_app, "record", "import-votes", MOTIONS).exit_code == 0
    assert invoke(mail_app, "record", "send-digests").output.strip() == "1 digests queued"
    send_pending()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]["message"]
    assert message["To"] == "fan@example.org"
    body = smtp.body()
    assert "Votes and speeches of Naomi Long" in body and "University Tuition Fee Cap" in body
    unsubscribe = _link(body, "/record/alerts/unsubscribe/")
    assert message["List-Unsubscribe"] == f"<http://plaza.test{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    smtp.clear()
    assert send_digests() == 0
    send_pending()
    assert smtp.messages == []

    assert client.get(unsubscribe).status_code == 200  # asks first: link checkers must not unsubscribe
    assert db.session.scalar(select(Alert.unsubscribed_at)) is None
    assert client.post(unsubscribe).status_code == 200  # one click, no form token (RFC 8058)
    db.session.expire_all()
    assert db.session.scalar(select(Alert.unsubscribed_at)) is not None


def test_keyword_and_speaker_alerts_share_one_digest(mail_app, smtp):
    quill = make_person("Alys Quill", source_id="popolo-quill")
    with mail_app.test_request_context("/en/"):
        for kind, target in (("keyword", {"keyword": "ferry timetable"}), ("person", {"person_id": quill})):
            operations.subscribe(kind, "reader@example.org", "en", confirmed=True, **target)
        db.session.commit()
    import_debates(mail_app, HARBOUR, MARKET)
    assert send_digests() == 1
    send_pending()
    assert len(smtp.messages) == 1
    body = smtp.body()
    assert "Speeches that mention “ferry timetable”" in body and "The winter ferry timetable" in body
    assert "Votes and speeches of Alys Quill" in body and "The silt in the eastern basin" in body
    assert send_digests() == 0


def test_an_unconfirmed_alert_sends_nothing_and_a_forged_token_is_404(mail_app, smtp):
    client = mail_app.test_client()
    resp = client.post("/en/record/alerts", data={"kind": "keyword", "keyword": "harbour", "email": "x@example.org"})
    assert resp.status_code == 303
    import_debates(mail_app, HARBOUR)
    assert send_digests() == 0
    assert client.get("/en/record/alerts/confirm/forged").status_code == 404
    assert client.post("/en/record/alerts/unsubscribe/forged").status_code == 404


def test_bad_input_comes_back_with_a_message(app, client):
    resp = client.post("/en/record/alerts", data={"kind": "keyword", "keyword": "harbour", "email": "not-an-email"})
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert "Please give a valid email address." in html and 'value="harbour"' in html
    resp = client.post("/en/record/alerts", data={"kind": "keyword", "keyword": "", "email": "a@example.org"})
    assert resp.status_code == 422 and "Please give the words to look for." in resp.get_data(as_text=True)
    assert client.get("/en/record/alerts/new?person=999999").status_code == 404
    assert db.session.scalar(select(Alert.id)) is None


def _square(tmp_path):
    path = tmp_path / "wards.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Harbourside"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[1, 1], [1, 1.1], [1.1, 1.1], [1.1, 1], [1, 1]]],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_a_place_alert_follows_the_new_representative(mail_app, smtp, tmp_path):
    from app.areas import services as areas_services
    from app.directory.models import Membership, Organisation

    res = invoke(
        mail_app,
        "areas",
        "import-geojson",
        _square(tmp_path),
        "--type",
        "WARD",
        "--name-field",
        "name",
        "--type-name",
        "Ward",
        "--level",
        "3",
    )
    assert res.exit_code == 0, res.output
    area = areas_services.find_areas_by_name("Harbourside")[0]
    quill = make_person("Alys Quill", source_id="popolo-quill")
    farah = make_person("Layla Farah", other_names=["Dr Layla Farah"])
    council = Organisation(name="Harbour Assembly", classification="legislature")
    db.session.add(council)
    db.session.flush()
    seat = Membership(person_id=quill, organisation_id=council.id, area_id=area.id, start_date=dt.date(2020, 1, 1))
    db.session.add(seat)
    db.session.commit()
    with mail_app.test_request_context("/en/"):
        operations.subscribe(
            "place", "local@example.org", "en", confirmed=True, area_id=area.id, place_label="Harbourside"
        )
        db.session.commit()
    # The seat changes hands before anything is said: the digest is about the new member only.
    seat.end_date = dt.date.today() - dt.timedelta(days=1)
    db.session.add(
        Membership(
            person_id=farah,
            organisation_id=council.id,
            area_id=area.id,
            start_date=dt.date.today() - dt.timedelta(days=1),
        )
    )
    db.session.commit()
    client = mail_app.test_client()
    area_page = client.get(f"/en/areas/{area.id}").get_data(as_text=True)
    assert f'href="/en/record/alerts/new?area={area.id}"' in area_page
    assert "Harbourside" in client.get(f"/en/record/alerts/new?area={area.id}").get_data(as_text=True)
    import_debates(mail_app, HARBOUR, MARKET)
    assert send_digests() == 1
    send_pending()
    body = smtp.body()
    assert "whoever represents Harbourside" in body
    assert "The covered market roof leaks" in body and "The silt in the eastern basin" not in body
