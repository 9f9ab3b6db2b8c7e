"""The README's Wales worked example (docs/examples/wales/load.sh) loads, and a pothole in Cardiff reaches the council."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from sqlalchemy import select

from app.core.mail import send_pending
from app.extensions import db
from app.reports.models import Report

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "examples" / "wales" / "load.sh"
CARDIFF = (51.4816, -3.1791)


def _steps() -> list[list[str]]:
    """Each `$FLASK …` command of the script, with its variables filled in as a fresh clone has them."""
    text = SCRIPT.read_text(encoding="utf-8").replace("\\\n", " ")
    values = {"$D": str(ROOT / "tests" / "data" / "wales"), "$E": str(ROOT / "docs" / "examples" / "wales")}
    steps = []
    for line in text.splitlines():
        if line.startswith("$FLASK "):
            for name, value in values.items():
                line = line.replace(name, value)
            steps.append(shlex.split(line)[1:])
    return steps


def test_the_script_loads_wales_and_a_pothole_in_cardiff_reaches_the_council(app_factory, smtp):
    app = app_factory(PLAZA_PROFILE="gb-wls", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    runner = app.test_cli_runner()
    steps = _steps()
    assert len(steps) == 11
    with app.app_context():
        for args in steps:
            result = runner.invoke(args=args)
            assert result.exit_code == 0, (args, result.output)
        client = app.test_client()
        lat, lon = CARDIFF
        where = client.get(f"/en/reports/new?q={lat}%2C{lon}")
        assert where.status_code == 303
        page = client.get(where.location).get_data(as_text=True)
        assert "Potholes" in page and "Graffiti" in page
        resp = client.post(
            "/en/reports/new",
            data={
                "lat": f"{lat}",
                "lon": f"{lon}",
                "category": "potholes",
                "title": "Deep pothole on Queen Street",
                "detail": "Outside the station, about a metre wide.",
                "name": "Rhian",
                "email": "rhian@example.org",
            },
        )
        assert resp.status_code == 303
        send_pending()
        confirm = re.search(r"http://plaza\.test(/en/reports/confirm/\S+)", smtp.body()).group(1)
        client.get(confirm)
        assert db.session.scalar(select(Report)).state == "confirmed"
        smtp.clear()
        send_pending()
        sent = {m["to"][0]: m for m in smtp.messages}
        assert "potholes@cardiff.council.example" in sent
        body = sent["potholes@cardiff.council.example"]["message"].get_body(("plain",)).get_content()
        assert "Deep pothole on Queen Street" in body and "Cardiff" in body
        reps = client.get(f"/en/representatives?q={lat}%2C{lon}").get_data(as_text=True)
        assert "Jenny Rathbone" in reps and "South Wales Central" in reps
