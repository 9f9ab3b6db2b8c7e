"""Areas: types, generations, areas with per-language names and codes, postcodes.

Geometry is stored as WKB (WGS84, lon/lat) in a plain binary column with its bounding box in
four float columns, so SQLite and PostgreSQL behave the same; lookups use an in-memory shapely
STRtree (see services.py), not database spatial functions.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.models import UTCDateTime, utcnow
from ..extensions import db


def fold(text: str | None) -> str:
    """Lower-case, accents removed, spaces collapsed: 'Ynys Môn' -> 'ynys mon'."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace("’", "'").split())


class AreaType(db.Model):
    __tablename__ = "areas_type"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    names: Mapped[dict] = mapped_column(JSON, default=dict)  # language tag -> name; "" = default
    level: Mapped[int] = mapped_column(Integer, default=0)  # bigger = more detailed

    def name_in(self, tag: str | None, default_tag: str | None = None) -> str:
        names = self.names or {}
        for key in (tag, (tag or "").split("-")[0], default_tag, ""):
            if key is not None and names.get(key):
                return names[key]
        return next((v for v in names.values() if v), self.code)


class Generation(db.Model):
    __tablename__ = "areas_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    description: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Area(db.Model):
    __tablename__ = "areas_area"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))  # the default name
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    type_code: Mapped[str] = mapped_column(ForeignKey("areas_type.code"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas_area.id", ondelete="SET NULL"), index=True)
    generation_low: Mapped[int | None] = mapped_column(Integer)
    generation_high: Mapped[int | None] = mapped_column(Integer)
    geom_wkb: Mapped[bytes | None] = mapped_column(LargeBinary)
    min_lon: Mapped[float | None] = mapped_column(Float)
    min_lat: Mapped[float | None] = mapped_column(Float)
    max_lon: Mapped[float | None] = mapped_column(Float)
    max_lat: Mapped[float | None] = mapped_column(Float)
    centre_lat: Mapped[float | None] = mapped_column(Float)
    centre_lon: Mapped[float | None] = mapped_column(Float)

    type: Mapped[AreaType] = relationship(lazy="joined")
    names: Mapped[list[AreaName]] = relationship(back_populates="area", cascade="all, delete-orphan", lazy="selectin")
    codes: Mapped[list[AreaCode]] = relationship(back_populates="area", cascade="all, delete-orphan", lazy="selectin")

    def names_dict(self) -> dict[str, str]:
        return {n.lang: n.name for n in self.names}

    def codes_dict(self) -> dict[str, str]:
        return {c.scheme: c.value for c in self.codes}


class AreaName(db.Model):
    __tablename__ = "areas_name"
    __table_args__ = (UniqueConstraint("area_id", "lang", name="uq_areas_name_area_lang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas_area.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(String(35))
    name: Mapped[str] = mapped_column(String(300))
    folded: Mapped[str] = mapped_column(String(300), index=True)

    area: Mapped[Area] = relationship(back_populates="names")


class AreaCode(db.Model):
    __tablename__ = "areas_code"
    # One code per scheme and area; the same code may belong to several versions of an area
    # (rows for different generation ranges: see importer.py), so (scheme, value) is not unique.
    __table_args__ = (
        UniqueConstraint("area_id", "scheme", name="uq_areas_code_area_scheme"),
        Index("ix_areas_code_scheme_value", "scheme", "value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas_area.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(100))

    area: Mapped[Area] = relationship(back_populates="codes")


class Postcode(db.Model):
    __tablename__ = "areas_postcode"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # normalised: no spaces, upper case
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class AreaSetting(db.Model):
    """Small key/value state; 'index_version' changes on every import so all workers rebuild."""

    __tablename__ = "areas_setting"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
