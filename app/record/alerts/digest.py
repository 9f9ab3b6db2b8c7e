"""The daily digest: one email per subscriber with what is new for all their alerts since the
last digest (votes and speeches of followed persons, of whoever represents a followed place now,
and speeches that mention followed words). Registered as a job; `flask record send-digests` runs
it by hand. It commits its own work: the mail is queued in the outbox in the same transaction as
the alerts' new watermark, so a failed run sends nothing and repeats nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from sqlalchemy import select

from ...core.mail import external_url, list_unsubscribe, queue_email
from ...core.models import utcnow
from ...directory import services as directory
from ...extensions import db
from .. import services as record
from ..debates import queries as debates
from ..debates import search
from .models import Alert
from .operations import mail_language, unsubscribe_url

log = logging.getLogger(__name__)
MAX_ITEMS = 50  # per alert and kind in one digest; the mail links to the rest


def _people_of_place(alert: Alert, cache: dict) -> tuple[int, ...]:
    """Who represents the alert's place today (looked up once per place and run)."""
    key = (alert.area_id, alert.lat, alert.lon)
    if key not in cache:
        if alert.area_id is not None:
            found = directory.representatives_for(area_id=alert.area_id)
        elif alert.lat is not None and alert.lon is not None:
            found = directory.representatives_for(lat=alert.lat, lon=alert.lon)
        else:
            found = None
        cache[key] = tuple(dict.fromkeys(r.person_id for r in found.representatives)) if found else ()
    return cache[key]


def _since(alert: Alert) -> dt.datetime:
    return alert.last_digest_at or alert.confirmed_at or alert.created_at


def _sections(alerts: list[Alert], people: dict[int, tuple[int, ...]], votes, speeches, names) -> list[dict]:
    """For each alert of one subscriber, what is new for it (alerts with nothing new are left out)."""
    out = []
    for alert in alerts:
        since = _since(alert)
        if alert.kind == "keyword":
            hits, _total = search.search(alert.keyword or "", created_after=since, limit=MAX_ITEMS)
            new_speeches, new_votes = debates.speeches([h.speech_id for h in hits]), []
        else:
            ids = set(people.get(alert.id, ()))
            new_votes = [v for v in votes if v.person_id in ids and v.created_at > since][:MAX_ITEMS]
            new_speeches = [s for s in speeches if s.person_id in ids and s.created_at > since][:MAX_ITEMS]
        if new_votes or new_speeches:
            # The sentence is made by the mail template, in the subscriber's language.
            out.append(
                {
                    "kind": alert.kind,
                    "name": names.get(alert.person_id, ""),
                    "keyword": alert.keyword or "",
                    "place": alert.place_label or "",
                    "votes": new_votes,
                    "speeches": new_speeches,
                }
            )
    return out


def send_digests(now: dt.datetime | None = None) -> int:
    """Queue one digest per subscriber with news; returns how many were queued. Commits."""
    now = now or utcnow()
    alerts = list(
        db.session.scalars(
            select(Alert)
            .where(Alert.confirmed_at.is_not(None), Alert.unsubscribed_at.is_(None))
            .order_by(Alert.email, Alert.id)
        )
    )
    if not alerts:
        return 0
    places: dict = {}
    people = {
        a.id: (a.person_id,) if a.kind == "person" else _people_of_place(a, places)
        for a in alerts
        if a.kind in ("person", "place")
    }
    everyone = {pid for ids in people.values() for pid in ids if pid}
    oldest = min(_since(a) for a in alerts)
    # One query each for every follower's persons; each alert then keeps what is newer than its own watermark.
    votes = record.new_votes(oldest, now, everyone, limit=5000) if everyone else []
    speeches = debates.new_speeches(oldest, now, everyone, limit=5000) if everyone else []
    names = {p.id: p.name for p in directory.persons(everyone)}
    by_email: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_email[alert.email].append(alert)
    sent = 0
    for email, own in by_email.items():
        sections = _sections(own, people, votes, speeches, names)
        language = own[-1].language
        if sections:
            _queue(email, language, sections)
            sent += 1
        for alert in own:
            alert.last_digest_at = now
    db.session.commit()
    log.info("record digests queued: %s", sent)
    return sent


def _queue(email: str, language: str, sections: list[dict]) -> None:
    lang = mail_language(language)
    unsubscribe = unsubscribe_url(email, language)
    for section in sections:
        section["votes"] = [
            (v, external_url("record.division", event_id=v.vote_event_id, lang=lang)) for v in section["votes"]
        ]
        section["speeches"] = [
            (s, external_url("record.speech", speech_id=s.id, lang=lang)) for s in section["speeches"]
        ]
    queue_email(
        email,
        "record/email/alert_digest.txt",
        {"sections": sections, "unsubscribe": unsubscribe},
        language=language,
        headers=list_unsubscribe(unsubscribe),
    )
