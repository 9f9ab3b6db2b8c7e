"""Record tables for votes: Popolo motions, vote events and votes; policies; stored scores.

Persons, parties and chambers belong to the directory, so their ids are plain integers here (no
foreign key), beside the id the source file gave (`*_source`), kept so that a later directory
import and a re-run of the votes import can link what was unknown the first time.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime, utcnow
from ..extensions import db


class Motion(db.Model):
    """A formal proposal put to a chamber (Popolo Motion)."""

    __tablename__ = "record_motion"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(200), unique=True)
    chamber_source: Mapped[str | None] = mapped_column(String(200))  # Popolo organization_id as given
    chamber_id: Mapped[int | None] = mapped_column(Integer, index=True)  # directory organisation
    text: Mapped[str] = mapped_column(Text, default="")
    identifier: Mapped[str | None] = mapped_column(String(200))
    classification: Mapped[str | None] = mapped_column(String(200))
    requirement: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    result: Mapped[str | None] = mapped_column(String(50))  # "pass", "fail" or the word as given
    creator_source: Mapped[str | None] = mapped_column(String(200))
    session_source: Mapped[str | None] = mapped_column(String(200))
    sources: Mapped[list] = mapped_column(JSON, default=list)  # [{"url", "note"}]
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    vote_events: Mapped[list[VoteEvent]] = relationship(back_populates="motion", cascade="all, delete-orphan")


class VoteEvent(db.Model):
    """One division: a chamber's members vote on a motion (Popolo VoteEvent)."""

    __tablename__ = "record_vote_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(200), unique=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("record_motion.id", ondelete="CASCADE"), index=True)
    chamber_source: Mapped[str | None] = mapped_column(String(200), index=True)
    chamber_id: Mapped[int | None] = mapped_column(Integer, index=True)
    identifier: Mapped[str | None] = mapped_column(String(200))
    classification: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    end_date: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)  # the sitting day, for lists and debates
    result: Mapped[str | None] = mapped_column(String(50))
    # Counts as the source published them: [{"option", "value", "group_id"}]; and as recounted
    # from the stored votes {option: n} (kept apart so that a difference can be shown).
    counts_published: Mapped[list] = mapped_column(JSON, default=list)
    counts_computed: Mapped[dict] = mapped_column(JSON, default=dict)
    group_results: Mapped[list] = mapped_column(JSON, default=list)
    sources: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    motion: Mapped[Motion] = relationship(back_populates="vote_events")


class Vote(db.Model):
    """One voter's option in a vote event, stored as given ("yes", "both", "paired" ...)."""

    __tablename__ = "record_vote"
    __table_args__ = (UniqueConstraint("vote_event_id", "voter_source", name="uq_record_vote_event_voter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_event_id: Mapped[int] = mapped_column(ForeignKey("record_vote_event.id", ondelete="CASCADE"), index=True)
    voter_source: Mapped[str] = mapped_column(String(200))
    voter_name: Mapped[str | None] = mapped_column(String(300))  # as the file named them, for unknown voters
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)  # directory person
    party_source: Mapped[str | None] = mapped_column(String(200))
    party_id: Mapped[int | None] = mapped_column(Integer, index=True)  # directory organisation
    option: Mapped[str] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(String(100))
    weight: Mapped[float | None] = mapped_column(Float)
    pair_source: Mapped[str | None] = mapped_column(String(200))
    rebel: Mapped[bool] = mapped_column(Boolean, default=False)  # set by scoring (OpenParliament's rule)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Policy(db.Model):
    """A stance ("raising the tuition fee cap") judged from linked divisions."""

    __tablename__ = "record_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))  # default language
    titles: Mapped[dict] = mapped_column(JSON, default=dict)  # lang -> title
    text: Mapped[str] = mapped_column(Text, default="")  # the phrase after "voted for …"
    texts: Mapped[dict] = mapped_column(JSON, default=dict)  # lang -> text
    rule: Mapped[str] = mapped_column(String(20), default="classic")  # classic | simplified
    categories: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    divisions: Mapped[list[PolicyDivision]] = relationship(
        back_populates="policy", cascade="all, delete-orphan", order_by="PolicyDivision.id"
    )


class PolicyDivision(db.Model):
    """A motion linked to a policy: which option agrees with it, and whether it weighs strong.
    Linked by the motion's source id, so a policy may arrive before its votes."""

    __tablename__ = "record_policy_division"
    __table_args__ = (UniqueConstraint("policy_id", "motion_source", name="uq_record_policy_motion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("record_policy.id", ondelete="CASCADE"), index=True)
    motion_source: Mapped[str] = mapped_column(String(200), index=True)
    agree_option: Mapped[str] = mapped_column(String(100))
    strong: Mapped[bool] = mapped_column(Boolean, default=False)

    policy: Mapped[Policy] = relationship(back_populates="divisions")


class PolicyScore(db.Model):
    """A person's stored position on a policy (recomputed when votes or policies change)."""

    __tablename__ = "record_policy_score"
    __table_args__ = (UniqueConstraint("policy_id", "person_id", name="uq_record_policy_score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("record_policy.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(Integer, index=True)
    distance: Mapped[float | None] = mapped_column(Float)  # 0 = always agreed, 1 = always against
    band: Mapped[str] = mapped_column(String(40))  # a key of votes.options.BANDS
    votes: Mapped[int] = mapped_column(Integer, default=0)  # divisions in which they voted (not absent)
    # {"agree_strong", "agree_weak", "against_strong", ..., "absent_weak", "abstain_strong", ...}
    tally: Mapped[dict] = mapped_column(JSON, default=dict)
    first_date: Mapped[dt.date | None] = mapped_column(Date)
    last_date: Mapped[dt.date | None] = mapped_column(Date)
    # Their party at the latest of these divisions (directory id, and the id the file gave), so
    # the policy page can filter by party without reading votes.
    party_id: Mapped[int | None] = mapped_column(Integer)
    party_source: Mapped[str | None] = mapped_column(String(200))


class PersonStat(db.Model):
    """Attendance, rebellions and party alignment of one person, over every stored division."""

    __tablename__ = "record_person_stat"

    person_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    divisions: Mapped[int] = mapped_column(Integer, default=0)  # divisions held while a member
    attended: Mapped[int] = mapped_column(Integer, default=0)  # of those, voted in (abstaining counts)
    rebellions: Mapped[int] = mapped_column(Integer, default=0)
    whipped_votes: Mapped[int] = mapped_column(Integer, default=0)  # votes where their party had a line
    alignment: Mapped[float | None] = mapped_column(Float)  # share of party colleagues voting alike
    alignment_votes: Mapped[int] = mapped_column(Integer, default=0)
    first_date: Mapped[dt.date | None] = mapped_column(Date)
    last_date: Mapped[dt.date | None] = mapped_column(Date)
