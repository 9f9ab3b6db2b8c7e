"""Debate tables: a sitting's record, its (nested) sections, its speeches in order, and the
aliases by which speakers are printed. Persons are directory ids (no foreign key: the directory
is another component, reached only through its services)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from ...core.models import UTCDateTime, utcnow
from ...extensions import db


class Debate(db.Model):
    """One debate record (an Akoma Ntoso `debate`): usually one sitting of one house."""

    __tablename__ = "record_debate"

    id: Mapped[int] = mapped_column(primary_key=True)
    # What makes a second import of the same record an update: the FRBR work URI, else the file name.
    source_key: Mapped[str] = mapped_column(String(500), unique=True)
    title: Mapped[str] = mapped_column(String(500), default="")
    name: Mapped[str] = mapped_column(String(300), default="")  # debate/@name, e.g. a joint sitting
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    language: Mapped[str | None] = mapped_column(String(35))
    number: Mapped[str | None] = mapped_column(String(100))
    legislature: Mapped[str | None] = mapped_column(String(200))
    session: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(1000))
    start_time: Mapped[str | None] = mapped_column(String(8))  # wall-clock HH:MM[:SS] as recorded
    end_time: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Section(db.Model):
    """A heading in the record (debateSection, questions, prayers ...), possibly inside another."""

    __tablename__ = "record_section"
    __table_args__ = (UniqueConstraint("debate_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(ForeignKey("record_debate.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("record_section.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # document order within the debate
    depth: Mapped[int] = mapped_column(Integer, default=0)
    # Where it starts among the speeches: it is shown just before the speech at this position.
    before_speech: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(40), default="debateSection")
    num: Mapped[str | None] = mapped_column(String(50))
    heading: Mapped[str] = mapped_column(Text, default="")
    subheading: Mapped[str] = mapped_column(Text, default="")


class SpeakerAlias(db.Model):
    """A speaker as printed ("Mr M J ELLIS", "The SPEAKER"), matched to a person or waiting for
    an admin. One row per spelling key, whatever debate it appears in."""

    __tablename__ = "record_speaker_alias"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)  # accent-, case- and punctuation-blind
    name: Mapped[str] = mapped_column(String(300))  # the first spelling seen
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)
    matched_by: Mapped[str | None] = mapped_column(String(20))  # "id" or "name" (automatic), or "admin"
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Speech(db.Model):
    """One contribution (speech, question, answer) or stage text (narrative, scene, summary, other)."""

    __tablename__ = "record_speech"
    __table_args__ = (
        UniqueConstraint("debate_id", "position"),
        Index("ix_record_speech_person_date", "person_id", "date"),
        # PostgreSQL's full-text index (SQLite's FTS5 table is made by search.py).
        Index(
            "ix_record_speech_tsv",
            func.to_tsvector(literal_column("'simple'"), literal_column("search_text")),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    debate_id: Mapped[int] = mapped_column(ForeignKey("record_debate.id", ondelete="CASCADE"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("record_section.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # document order within the debate
    kind: Mapped[str] = mapped_column(String(20), default="speech")
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)  # the sitting's, for filters and order
    start_time: Mapped[str | None] = mapped_column(String(8))
    end_time: Mapped[str | None] = mapped_column(String(8))
    speaker_ref: Mapped[str | None] = mapped_column(String(300))  # the `by` reference, without '#'
    speaker_href: Mapped[str | None] = mapped_column(String(1000))  # its TLCPerson href
    attribution: Mapped[str] = mapped_column(String(500), default="")  # the printed `from`
    role: Mapped[str | None] = mapped_column(String(300))  # the `as` role's showAs
    alias_id: Mapped[int | None] = mapped_column(ForeignKey("record_speaker_alias.id", ondelete="SET NULL"), index=True)
    person_id: Mapped[int | None] = mapped_column(Integer)
    person_via: Mapped[str | None] = mapped_column(String(10))  # "id" (stored id) or "alias"
    text: Mapped[str] = mapped_column(Text, default="")  # paragraphs separated by blank lines
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded: lower case, no accents
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
