"""Importing a Popolo file's memberships: matched by the file's id, else by what they say (a
membership another site exported carries that site's id). A mixin of the importer in
popolo_import, which provides persons, posts, periods, area_links, new_persons, _org_ref,
_org_stub and _count."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from ..extensions import db
from .models import LegislativePeriod, Membership, Person, Post
from .popolo_fields import parse_date, text
from .popolo_layouts import NESTED, PopoloError


class MembershipImport:
    def import_memberships(self):
        db.session.flush()
        claimed: set[Membership] = set()  # what this import already wrote (never matched twice)
        written: dict[str, Membership] = {}  # by source id (not flushed yet: queries do not see them)
        stored: dict[str, Membership] = {}  # the file's persons' stored memberships, by source id
        known = sorted({p.id for p in self.persons.values() if id(p) not in self.new_persons})
        for i in range(0, len(known), 900):
            stored.update(
                (m.source_id, m)
                for m in db.session.scalars(select(Membership).where(Membership.person_id.in_(known[i : i + 900])))
            )
        for n, item in enumerate(self.data.get("memberships") or []):
            where = f"memberships[{n}]"
            pid = str(item.get("person_id") or "")
            person = self.persons.get(pid) or (
                db.session.scalar(select(Person).where(Person.source_id == pid)) if pid else None
            )
            if person is None:
                raise PopoloError(f"{where}: no person with id '{pid}'.")
            org = None
            if item.get("organization_id"):
                ref = str(item["organization_id"])
                org = self._org_stub(ref) if item.get(NESTED) else self._org_ref(ref, where)
            post = None
            if item.get("post_id"):
                post = self.posts.get(str(item["post_id"])) or db.session.scalar(
                    select(Post).where(Post.source_id == str(item["post_id"]))
                )
                if post is None:
                    raise PopoloError(f"{where}: no post with id '{item['post_id']}'.")
                org = org or post.organisation
            if org is None:
                raise PopoloError(f"{where}: needs an organization_id or a post_id.")
            lp = None
            if item.get("legislative_period_id"):
                lp = self.periods.get(str(item["legislative_period_id"])) or db.session.scalar(
                    select(LegislativePeriod).where(LegislativePeriod.source_id == str(item["legislative_period_id"]))
                )
                if lp is None:
                    raise PopoloError(f"{where}: no legislative period with id '{item['legislative_period_id']}'.")
            area_ref = str(item["area_id"]) if item.get("area_id") else None
            if area_ref is not None and area_ref not in self.area_links:
                raise PopoloError(f"{where}: no area with id '{area_ref}'.")
            start = parse_date(item.get("start_date"), where=where)
            sid = text(item, "id", where, limit=200)
            if not sid:  # no id in the file: a key from what identifies this membership
                key = "|".join(
                    str(x)
                    for x in (
                        pid,
                        org.source_id or org.id,
                        item.get("post_id"),
                        area_ref,
                        item.get("legislative_period_id"),
                        item.get("start_date"),
                        item.get("role"),
                    )
                )
                sid = "auto:" + hashlib.sha1(key.encode()).hexdigest()
            area_id = self.area_links.get(area_ref) if area_ref else None
            role = text(item, "role", where, limit=200)
            m = (
                written.get(sid)
                or stored.get(sid)
                or (
                    None
                    if id(person) in self.new_persons and sid.startswith("auto:")
                    else db.session.scalar(select(Membership).where(Membership.source_id == sid))
                )
            )
            if m is None and id(person) not in self.new_persons:  # another site's export carries that site's id
                m = self._same_membership(person, org, post, lp, area_id, start, role, claimed)
            created = m is None
            if created:
                m = Membership(source_id=sid)
                db.session.add(m)
            claimed.add(m)
            written[sid] = m
            m.person, m.organisation, m.post, m.legislative_period = person, org, post, lp
            m.on_behalf_of = self._org_ref(str(item["on_behalf_of_id"]), where) if item.get("on_behalf_of_id") else None
            m.area_source = area_ref
            m.area_id = area_id
            m.role = role
            m.label = text(item, "label", where)
            m.start_date = start
            m.end_date = parse_date(item.get("end_date"), end=True, where=where)
            if m.start_date and m.end_date and m.end_date < m.start_date:
                raise PopoloError(
                    f"{where}: the end date {item.get('end_date')} is before the start date {item.get('start_date')}."
                )
            self._count("memberships", created)

    @staticmethod
    def _same_membership(person, org, post, lp, area_id, start, role, claimed):
        """An existing membership saying the same thing (same person, body, post, area, term,
        start and role) that this import has not written yet."""

        def same(column, value):
            return column.is_(None) if value is None else column == value

        rows = db.session.scalars(
            select(Membership)
            .where(
                Membership.person_id == person.id,
                Membership.organisation_id == org.id,
                same(Membership.post_id, post.id if post else None),
                same(Membership.legislative_period_id, lp.id if lp else None),
                same(Membership.area_id, area_id),
                same(Membership.start_date, start),
                same(Membership.role, role),
            )
            .order_by(Membership.id)
        )
        return next((m for m in rows if m not in claimed), None)
