"""Alert subscriptions: follow a person, a keyword in speeches, or whoever represents a place."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ...core.models import UTCDateTime, utcnow
from ...extensions import db

KINDS = ("person", "keyword", "place")


class Alert(db.Model):
    """One subscription of one email address. A place alert stores the place, not the people:
    its representatives are looked up when each digest is made, so it follows a change of seat."""

    __tablename__ = "record_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)  # private: for sending only
    language: Mapped[str] = mapped_column(String(35))
    user_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(Integer, index=True)  # directory person
    keyword: Mapped[str | None] = mapped_column(String(200))
    area_id: Mapped[int | None] = mapped_column(Integer)  # the place: an area ...
    lat: Mapped[float | None] = mapped_column(Float)  # ... or a point
    lon: Mapped[float | None] = mapped_column(Float)
    place_label: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # What was stored after this moment is news for the next digest (set on confirmation).
    last_digest_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
