"""Email alerts: only on public reports and real places, with checked points (bad old rows skipped); body and area alerts."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.reports import operations as svc
from app.reports.models import Alert

from .conftest import make_user
from .test_routing_follow import new_report, outbox_to


def test_nearby_alert_with_bad_numbers_is_refused_and_old_bad_rows_are_skipped(client, world):
    for target in ("nan,10,500", "inf,10,5", "1000,10,500", "10,-inf,500", "10,10,nan", "x,y,z", "1,2"):
        resp = client.post("/en/reports/alerts", data={"kind": "nearby", "target": target, "email": "a@example.org"})
        assert resp.status_code == 400, target
    assert db.session.scalar(select(Alert)) is None
    # A row saved before points were checked must not stop every later report.
    db.session.add(
        Alert(
            kind="nearby",
            email="old@example.org",
            language="en",
            lat=None,
            lon=10.0,
            radius_m=500,
            confirmed_at=svc.utcnow(),
        )
    )
    db.session.add(
        Alert(
            kind="nearby",
            email="inf@example.org",
            language="en",
            lat=float("inf"),
            lon=10.0,
            radius_m=500,
            confirmed_at=svc.utcnow(),
        )
    )
    db.session.add(
        Alert(
            kind="nearby",
            email="near@example.org",
            language="en",
            lat=50.5,
            lon=0.5,
            radius_m=1000,
            confirmed_at=svc.utcnow(),
        )
    )
    db.session.commit()
    report = new_report(user=make_user())
    assert report.state == "confirmed"
    [mail] = outbox_to("near@example.org")
    assert "Broken lamp" in mail.body_text
    assert outbox_to("old@example.org") == [] and outbox_to("inf@example.org") == []


def test_a_good_nearby_alert_is_still_accepted(client, world):
    resp = client.post(
        "/en/reports/alerts", data={"kind": "nearby", "target": "50.5,0.5,30000", "email": "a@example.org"}
    )
    assert resp.status_code == 303
    alert = db.session.scalar(select(Alert))
    assert (alert.lat, alert.lon, alert.radius_m) == (50.5, 0.5, 20000)


def test_alert_on_unconfirmed_hidden_or_unknown_report_mails_nothing(client, world):
    secret = new_report(title="SECRET UNCONFIRMED TITLE")  # signed out: unconfirmed
    hidden = new_report(title="HIDDEN TITLE", user=make_user())
    hidden.state = "hidden"
    db.session.commit()
    for target in (secret.id, hidden.id, 999999, 99999999999999, "3000000000", "abc"):
        resp = client.post(
            "/en/reports/alerts", data={"kind": "report", "target": str(target), "email": "attacker@example.org"}
        )
        assert resp.status_code == 404, target
    for kind in ("area", "body"):
        for target in ("99999999999999999999", "3000000000", "999999"):
            resp = client.post(
                "/en/reports/alerts", data={"kind": kind, "target": target, "email": "attacker@example.org"}
            )
            assert resp.status_code == 404, (kind, target)
    assert outbox_to("attacker@example.org") == []
    assert db.session.scalar(select(Alert)) is None
    # A moderator hides a report after someone subscribed: its title is not shown again.
    public = new_report(title="Public then hidden", user=make_user(email="two@example.org"))
    resp = client.post(
        "/en/reports/alerts", data={"kind": "report", "target": str(public.id), "email": "fan@example.org"}
    )
    assert resp.status_code == 303
    [mail] = outbox_to("fan@example.org")
    assert "Public then hidden" in mail.body_text
    public.state = "hidden"
    db.session.commit()
    alert = db.session.scalar(select(Alert).where(Alert.email == "fan@example.org"))
    page = client.get(f"/en/reports/alerts/confirm/{alert.token}").get_data(as_text=True)
    assert "Public then hidden" not in page and "updates on a report" in page


def test_body_and_area_alerts_still_work(client, world):
    resp = client.post(
        "/en/reports/alerts", data={"kind": "body", "target": str(world["north"]), "email": "b@example.org"}
    )
    assert resp.status_code == 303
    [mail] = outbox_to("b@example.org")
    assert "North Council" in mail.body_text
