"""The shared Akoma Ntoso transcripts (South African sittings, SayIt's samples and edge cases) import and are searchable."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.record.debates.models import Debate, Speech

from .debate_helpers import import_debates

pytestmark = pytest.mark.shared_data


def _files(shared_data):
    return sorted((shared_data / "record" / "akn-debate-transcripts").rglob("*.xml"))


def test_every_shared_file_imports_and_a_second_run_changes_nothing(app, shared_data):
    files = _files(shared_data)
    assert len(files) == 8
    result = import_debates(app, *files)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Debate.id))) == 8
    speeches = db.session.scalar(select(func.count(Speech.id)))
    assert speeches == 95  # speeches, questions, answers and stage text of the eight files
    result = import_debates(app, *files)
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Speech.id))) == speeches


def test_a_phrase_from_a_south_african_sitting_is_found_with_its_speaker(app, client, shared_data):
    import_debates(app, shared_data / "record" / "akn-debate-transcripts" / "za-national-assembly" / "502914_1.xml")
    html = client.get("/en/record/search?q=moment+of+silence").get_data(as_text=True)
    assert "<mark>moment</mark> <mark>of</mark> <mark>silence</mark>" in html
    html = client.get("/en/record/search?q=Joint+Sitting+called").get_data(as_text=True)
    assert "The SPEAKER" in html and "<mark>called</mark>" in html


def test_long_sittings_are_paged_and_every_page_stays_light(app, client, shared_data):
    import gzip
    import re

    import_debates(app, shared_data / "record" / "akn-debate-transcripts" / "za-national-assembly" / "NA290307.xml")
    debate = db.session.scalar(select(Debate))
    first = client.get(f"/en/record/debates/{debate.id}")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert 'rel="next"' in html
    page, sizes, seen = 1, [], set()
    while True:
        resp = client.get(f"/en/record/debates/{debate.id}?page={page}")
        body = resp.get_data(as_text=True)
        sizes.append(len(gzip.compress(resp.get_data())))
        seen |= set(re.findall(r'<article id="s(\d+)"', body))
        if 'rel="next"' not in body:
            break
        page += 1
    assert page > 2 and len(seen) == db.session.scalar(select(func.count(Speech.id)))
    assert max(sizes) < 14 * 1024, sizes
    speech = db.session.scalar(select(Speech).order_by(Speech.position.desc()).limit(1))
    assert client.get(f"/en/record/speeches/{speech.id}").headers["Location"].endswith(f"?page={page}#s{speech.id}")
