"""FOI fixtures: authorities imported with `flask directory import-bodies`, users, signing in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.extensions import db

MAIL = Path(os.environ.get("PLAZA_SHARED_DATA") or Path(__file__).resolve().parents[2] / ".." / "shared" / "data") \
    / "mail" / "alaveteli"
CSV = """id,name,name:es,classification,tags,area_codes,email,foi_email,website
,Ministry of Roads,Ministerio de Caminos,ministry,transport,,info@roads.example,foi@roads.example,
,Old Board,Junta Antigua,board,defunct,,,old@board.example,
,Quiet Council,Concejo Callado,council,,,hello@quiet.example,,
"""


@pytest.fixture
def authorities(app, runner, tmp_path):
    path = tmp_path / "bodies.csv"
    path.write_text(CSV, encoding="utf-8")
    result = runner.invoke(args=["directory", "import-bodies", str(path)])
    assert result.exit_code == 0, result.output
    from app.directory import services as directory

    found, _ = directory.search_bodies(limit=10)
    return {b.name: b for b in found}


def make_user(email="ana@example.org", name="Ana Pérez", role="citizen", language="es"):
    from app.accounts.models import User

    user = User(email=email, name=name, role=role, language=language)
    db.session.add(user)
    db.session.commit()
    return user


def sign_in(client, user_id):
    with client.session_transaction() as sess:
        sess["_user_id"] = _session_id(client.application, user_id)
        sess["_fresh"] = True


def _session_id(app, user_id) -> str:
    """What Flask-Login keeps in the session for this user (id plus password stamp)."""
    from app.accounts.models import User

    with app.app_context():
        return db.session.get(User, int(user_id)).get_id()
