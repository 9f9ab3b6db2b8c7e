"""Directory: Popolo persons, organisations, posts, memberships and legislative periods.

Areas belong to the areas component, so area ids are plain integers here (no foreign key).
Names, identifiers, contact details and links are shared small tables owned by either a
person or an organisation. `source_id` keeps the id an entity had in an imported Popolo file
or bodies CSV, so a re-import updates in place.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..core.models import UTCDateTime, utcnow
from ..extensions import db
from .names import name_key

_OWNED = "all, delete-orphan"


def pick_name(default: str, names, tag: str | None) -> str:
    """The name in language `tag` (or its base language), else the default name."""
    if tag:
        base = tag.split("-")[0].lower()
        exact = [n.name for n in names if n.lang and n.lang.lower() == tag.lower()]
        if exact:
            return exact[0]
        loose = [n.name for n in names if n.lang and n.lang.split("-")[0].lower() == base]
        if loose:
            return loose[0]
    return default


class Person(db.Model):
    __tablename__ = "directory_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))  # one field, any script
    name_key: Mapped[str] = mapped_column(String(300), default="", index=True)  # see names.name_key
    sort_name: Mapped[str | None] = mapped_column(String(300))
    given_name: Mapped[str | None] = mapped_column(String(300))
    family_name: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))  # private: for sending only
    image: Mapped[str | None] = mapped_column(String(1000))
    gender: Mapped[str | None] = mapped_column(String(50))
    birth_date: Mapped[str | None] = mapped_column(String(10))  # Popolo: YYYY, YYYY-MM or YYYY-MM-DD
    death_date: Mapped[str | None] = mapped_column(String(10))
    images: Mapped[list | None] = mapped_column(JSON, default=list)  # Popolo images[]: [{"url", "note"?}]
    summary: Mapped[str | None] = mapped_column(Text)
    email_failing: Mapped[str | None] = mapped_column(Text)  # bounce reason, for admins
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Owned lists in the order they were written (the order of the imported file), on every database.
    other_names: Mapped[list[OtherName]] = relationship(
        cascade=_OWNED, lazy="selectin", back_populates="person", order_by="OtherName.id"
    )
    identifiers: Mapped[list[Identifier]] = relationship(
        cascade=_OWNED, back_populates="person", order_by="Identifier.id"
    )
    contact_details: Mapped[list[ContactDetail]] = relationship(
        cascade=_OWNED, back_populates="person", order_by="ContactDetail.id"
    )
    links: Mapped[list[Link]] = relationship(cascade=_OWNED, back_populates="person", order_by="Link.id")
    memberships: Mapped[list[Membership]] = relationship(
        cascade=_OWNED, back_populates="person", foreign_keys="Membership.person_id"
    )

    def name_in(self, tag: str | None) -> str:
        return pick_name(self.name, self.other_names, tag)

    @validates("name")
    def _keep_key(self, _key, value):
        self.name_key = name_key(value)
        return value


class Organisation(db.Model):
    __tablename__ = "directory_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    classification: Mapped[str | None] = mapped_column(String(100), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("directory_organisation.id", ondelete="SET NULL"))
    tags_text: Mapped[str] = mapped_column("tags", Text, default="")  # ";a;b;" so LIKE finds one tag
    email: Mapped[str | None] = mapped_column(String(254))  # general contact
    foi_email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(1000))
    image: Mapped[str | None] = mapped_column(String(1000))
    language: Mapped[str | None] = mapped_column(String(35))  # language for mail; None = default
    email_failing: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent")
    other_names: Mapped[list[OtherName]] = relationship(
        cascade=_OWNED, lazy="selectin", back_populates="organisation", order_by="OtherName.id"
    )
    identifiers: Mapped[list[Identifier]] = relationship(
        cascade=_OWNED, back_populates="organisation", order_by="Identifier.id"
    )
    contact_details: Mapped[list[ContactDetail]] = relationship(
        cascade=_OWNED, back_populates="organisation", order_by="ContactDetail.id"
    )
    links: Mapped[list[Link]] = relationship(cascade=_OWNED, back_populates="organisation", order_by="Link.id")
    areas: Mapped[list[OrganisationArea]] = relationship(cascade=_OWNED, lazy="selectin", back_populates="organisation")
    posts: Mapped[list[Post]] = relationship(cascade=_OWNED, back_populates="organisation")

    def name_in(self, tag: str | None) -> str:
        return pick_name(self.name, self.other_names, tag)

    @property
    def tags(self) -> list[str]:
        return [t for t in (self.tags_text or "").split(";") if t]

    @tags.setter
    def tags(self, values) -> None:
        clean = [t.strip() for t in values if t and t.strip()]
        self.tags_text = (";" + ";".join(dict.fromkeys(clean)) + ";") if clean else ""

    @property
    def area_ids(self) -> tuple[int, ...]:
        return tuple(sorted({a.area_id for a in self.areas}))


class OtherName(db.Model):
    """A name in another language (lang set) or an alternate/former name (lang empty)."""

    __tablename__ = "directory_other_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("directory_person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), default="", index=True)
    lang: Mapped[str | None] = mapped_column(String(35))  # BCP 47
    note: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[str | None] = mapped_column(String(10))
    end_date: Mapped[str | None] = mapped_column(String(10))

    person: Mapped[Person | None] = relationship(back_populates="other_names")
    organisation: Mapped[Organisation | None] = relationship(back_populates="other_names")

    @validates("name")
    def _keep_key(self, _key, value):
        self.name_key = name_key(value)
        return value


class Identifier(db.Model):
    __tablename__ = "directory_identifier"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("directory_person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="CASCADE"), index=True
    )
    scheme: Mapped[str | None] = mapped_column(String(100), index=True)
    identifier: Mapped[str] = mapped_column(String(300), index=True)

    person: Mapped[Person | None] = relationship(back_populates="identifiers")
    organisation: Mapped[Organisation | None] = relationship(back_populates="identifiers")


class ContactDetail(db.Model):
    __tablename__ = "directory_contact_detail"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("directory_person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[str] = mapped_column(String(50))  # email, voice, fax, twitter, address ...
    value: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(200))
    private: Mapped[bool] = mapped_column(Boolean, default=False)  # never shown nor exported
    failing: Mapped[str | None] = mapped_column(Text)  # bounce reason, for admins

    person: Mapped[Person | None] = relationship(back_populates="contact_details")
    organisation: Mapped[Organisation | None] = relationship(back_populates="contact_details")


class Link(db.Model):
    __tablename__ = "directory_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("directory_person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(1000))
    note: Mapped[str | None] = mapped_column(String(200))

    person: Mapped[Person | None] = relationship(back_populates="links")
    organisation: Mapped[Organisation | None] = relationship(back_populates="links")


class OrganisationArea(db.Model):
    """An area an organisation covers or serves (an areas-component id; `code` as imported)."""

    __tablename__ = "directory_organisation_area"
    __table_args__ = (UniqueConstraint("organisation_id", "area_id", name="uq_directory_org_area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int] = mapped_column(Integer, index=True)
    code: Mapped[str | None] = mapped_column(String(150))  # "gss:W06000015" when imported so

    organisation: Mapped[Organisation] = relationship(back_populates="areas")


LEGISLATIVE_PERIOD = "legislative period"


class LegislativePeriod(db.Model):
    """A Popolo event: a legislative period (a term), which memberships may point to, or any
    other classification the file carries (a general election), kept for the export."""

    __tablename__ = "directory_legislative_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    classification: Mapped[str] = mapped_column(
        String(100), default=LEGISLATIVE_PERIOD, server_default=LEGISLATIVE_PERIOD, index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    identifiers: Mapped[list] = mapped_column(JSON, default=list)  # [{"scheme":..., "identifier":...}]


class Post(db.Model):
    __tablename__ = "directory_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    label: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(Integer, index=True)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship(back_populates="posts")


class Membership(db.Model):
    __tablename__ = "directory_membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("directory_person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="CASCADE"), index=True
    )
    post_id: Mapped[int | None] = mapped_column(ForeignKey("directory_post.id", ondelete="SET NULL"), index=True)
    on_behalf_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_organisation.id", ondelete="SET NULL"), index=True
    )
    legislative_period_id: Mapped[int | None] = mapped_column(
        ForeignKey("directory_legislative_period.id", ondelete="SET NULL"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(Integer, index=True)  # areas-component id
    area_source: Mapped[str | None] = mapped_column(String(200))  # the file's area id, kept when unlinked
    role: Mapped[str | None] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship(back_populates="memberships", foreign_keys=[person_id])
    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    on_behalf_of: Mapped[Organisation | None] = relationship(foreign_keys=[on_behalf_of_id])
    post: Mapped[Post | None] = relationship()
    legislative_period: Mapped[LegislativePeriod | None] = relationship()

    @property
    def effective_end(self) -> dt.date | None:
        """The membership's end date, else its legislative period's (the issue's rule)."""
        if self.end_date is not None:
            return self.end_date
        return self.legislative_period.end_date if self.legislative_period else None

    def is_current(self, today: dt.date | None = None) -> bool:
        end = self.effective_end
        return end is None or end >= (today or dt.date.today())

    @property
    def effective_area_id(self) -> int | None:
        return self.area_id if self.area_id is not None else (self.post.area_id if self.post else None)
