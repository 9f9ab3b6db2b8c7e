"""FOI fixtures: authorities imported with `flask directory import-bodies`, users, signing in."""

from __future__ import annotations

import helpers
import pytest
from helpers import sign_in

__all__ = ["make_user", "sign_in"]

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
    """FOI's usual requester: a Spanish speaker who signed up by email (not confirmed)."""
    return helpers.make_user(email, name, role, confirmed=False, language=language)
