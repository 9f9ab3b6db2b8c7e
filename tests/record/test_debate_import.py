"""`flask record import-debate`: three namespace variants, sections, speeches, times, speakers, re-runs, safety."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.extensions import db
from app.record.debates.models import Debate, Section, SpeakerAlias, Speech

from .debate_helpers import ENTITIES, HARBOUR, MARKET, PLAIN, import_debates, make_person


def _speeches(debate_id):
    return db.session.scalars(select(Speech).where(Speech.debate_id == debate_id).order_by(Speech.position)).all()


def test_imports_the_three_namespace_variants(app):
    result = import_debates(app, HARBOUR, MARKET, PLAIN)
    assert result.exit_code == 0, result.output
    debates = {d.source_key: d for d in db.session.scalars(select(Debate))}
    assert set(debates) == {
        "/xx/debaterecord/2025-03-04/main",
        "/xx/debaterecord/2025-03-05/main",
        "file:plain_no_namespace.xml",
    }
    harbour = debates["/xx/debaterecord/2025-03-04/main"]
    assert harbour.title == "Harbour dredging and lighthouse keepers"
    assert harbour.date == dt.date(2025, 3, 4)
    assert (harbour.start_time, harbour.end_time) == ("14:00", "17:30")
    plain = debates["file:plain_no_namespace.xml"]
    assert plain.title == "" and plain.date is None
    assert [s.text for s in _speeches(plain.id)] == [
        "A bare speech about cobblestones, with no namespace at all.",
        "And one with nobody named.",
    ]


def test_sections_nest_and_speeches_keep_their_kind_order_and_times(app):
    import_debates(app, HARBOUR)
    debate = db.session.scalar(select(Debate))
    sections = db.session.scalars(
        select(Section).where(Section.debate_id == debate.id).order_by(Section.position)
    ).all()
    assert [(s.kind, s.heading, s.depth) for s in sections] == [
        ("prayers", "PRAYERS", 0),
        ("debateSection", "HARBOUR DREDGING BILL", 0),
        ("debateSection", "Amendment on lighthouse keepers", 1),
        ("questions", "QUESTIONS", 0),
        ("adjournment", "", 0),
    ]
    assert sections[1].subheading == "Second reading"
    assert sections[2].parent_id == sections[1].id
    speeches = _speeches(debate.id)
    assert [s.kind for s in speeches] == [
        "scene",
        "speech",
        "speech",
        "narrative",
        "question",
        "answer",
        "speech",
        "narrative",
    ]
    first = speeches[1]
    assert first.attribution == "Ms A QUILL" and first.start_time == "14:05"
    assert first.text == (
        "The silt in the eastern basin has risen by a metre since the last dredging campaign."
        "\n\nFishing boats now wait for the tide before they can unload."
    )
    assert speeches[2].role == "Minister of Harbours" and speeches[2].section_id == sections[2].id
    assert speeches[-1].text == "The Assembly rose at 17:30." and speeches[-1].start_time == "17:30"


def test_a_second_import_updates_in_place(app):
    import_debates(app, HARBOUR, MARKET)
    before = {s.id: (s.debate_id, s.position) for s in db.session.scalars(select(Speech))}
    result = import_debates(app, HARBOUR, MARKET)
    assert result.exit_code == 0 and "updated" in result.output
    assert db.session.scalar(select(func.count(Debate.id))) == 2
    assert {s.id: (s.debate_id, s.position) for s in db.session.scalars(select(Speech))} == before
    assert db.session.scalar(select(func.count(Section.id))) == 6


def test_speakers_match_by_stored_id_then_by_name(app):
    quill = make_person("Alys Quill", source_id="popolo-quill")
    farah = make_person("Layla Farah", other_names=["Dr Layla Farah"])
    import_debates(app, HARBOUR, MARKET)
    by_attr = {}
    for s in db.session.scalars(select(Speech).where(Speech.kind.in_(("speech", "question", "answer")))):
        by_attr.setdefault(s.attribution, set()).add((s.person_id, s.person_via))
    assert by_attr["Ms A QUILL"] == {(quill, "id")}  # the TLCPerson href is her stored Popolo id
    assert by_attr["Dr FARAH"] == {(farah, "alias")}  # showAs "Dr Layla Farah" is one of her names
    assert by_attr["The PRESIDING OFFICER"] == {(None, None)}
    unmatched = set(db.session.scalars(select(SpeakerAlias.name).where(SpeakerAlias.person_id.is_(None))))
    assert unmatched == {"Mr É NÚÑEZ", "The PRESIDING OFFICER"}


def test_blank_and_unnamed_speakers_import(app):
    result = import_debates(app, PLAIN)
    assert result.exit_code == 0, result.output
    rows = db.session.scalars(select(Speech).order_by(Speech.position)).all()
    assert rows[0].alias_id is not None and rows[1].alias_id is None and rows[1].person_id is None


def test_entities_and_dtds_are_refused_and_nothing_is_stored(app):
    result = import_debates(app, HARBOUR, ENTITIES)
    assert result.exit_code == 1
    assert "entity_expansion.xml" in result.output and "nothing was imported" in result.output
    assert db.session.scalar(select(func.count(Debate.id))) == 0


def test_a_file_that_is_not_a_debate_is_reported(app, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<akomaNtoso><act/></akomaNtoso>", encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text("<akomaNtoso><debate>", encoding="utf-8")
    assert "no <debate>" in import_debates(app, bad).output
    assert "not well-formed" in import_debates(app, broken).output
    assert db.session.scalar(select(func.count(Debate.id))) == 0
