"""Compute and store every score from the stored votes: run after each import of votes or
policies (never on a page view). Three queries read everything; results are written in bulk.

- Policy distance per person: Public Whip's "classic" rule or TheyWorkForYou's "simplified" one
  (docs/record.md has both formulas).
- Rebellions (OpenParliament.ca): a ballot against the most common ballot of the voter's own
  party, unless 15 % or more of that party's ballots differ from it (a free vote).
- Party alignment: for each ballot, the share of the voter's party colleagues (others who cast a
  ballot) who chose the same option; averaged.
- Attendance: divisions in which the person is listed (absent included) = held while a member;
  attended = those with a ballot or an abstention.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, insert, select, update

from ...extensions import db
from ..models import Motion, PersonStat, Policy, PolicyDivision, PolicyScore, Vote, VoteEvent
from . import options

FREE_VOTE_SPLIT = 0.15
DEFAULT_NO_PARTY = ("ind", "independent", "independents", "non-affiliated", "none")


@dataclass(frozen=True)
class ScoringSummary:
    policies: int
    scores: int
    persons: int
    rebels: int


def classic(t: Counter) -> float | None:
    points = (
        10 * t["against_weak"]
        + 50 * t["against_strong"]
        + (t["absent_weak"] + t["abstain_weak"])
        + 25 * (t["absent_strong"] + t["abstain_strong"])
    )
    available = (
        10 * (t["agree_weak"] + t["against_weak"])
        + 50 * (t["agree_strong"] + t["against_strong"])
        + 2 * (t["absent_weak"] + t["abstain_weak"])
        + 50 * (t["absent_strong"] + t["abstain_strong"])
    )
    return points / available if available else None


def simplified(t: Counter) -> float | None:
    available = 10 * (t["agree_strong"] + t["against_strong"] + t["abstain_strong"])
    if not available:
        return None
    score = (10 * t["against_strong"] + 5 * t["abstain_strong"]) / available
    absent = t["absent_strong"]
    decisions = absent + t["agree_strong"] + t["against_strong"] + t["abstain_strong"]
    if absent > 1:  # often absent: never "consistently"
        score = 0.06 if score <= 0.05 else 0.94 if score >= 0.95 else score
    if decisions and absent * 3 >= decisions:  # absent from a third or more: not even "almost always"
        score = 0.16 if score <= 0.15 else 0.84 if score >= 0.85 else score
    return score


def ballots(t: Counter, rule: str) -> int:
    """The number of ballots the distance rests on (absences are not ballots)."""
    if rule == "simplified":
        return t["agree_strong"] + t["against_strong"] + t["abstain_strong"]
    return sum(t[f"{c}_{s}"] for c in ("agree", "against", "abstain") for s in ("strong", "weak"))


def _no_party() -> set[str]:
    configured = current_app.config.get("RECORD_NO_PARTY_IDS") or DEFAULT_NO_PARTY
    return {str(x).casefold() for x in configured}


def recompute() -> ScoringSummary:
    no_party = _no_party()
    events = {r.id: r for r in db.session.execute(select(VoteEvent.id, VoteEvent.motion_id, VoteEvent.date))}
    rows = db.session.execute(
        select(Vote.id, Vote.vote_event_id, Vote.person_id, Vote.party_id, Vote.party_source, Vote.option, Vote.rebel)
    ).all()
    by_event = defaultdict(list)
    for r in rows:
        party = r.party_id if r.party_id is not None else r.party_source
        if party is None or (r.party_source or "").casefold() in no_party:
            party = None
        by_event[r.vote_event_id].append((r, party, options.kind(r.option), options.key(r.option)))

    stats = defaultdict(
        lambda: {
            "divisions": 0,
            "attended": 0,
            "rebellions": 0,
            "whipped_votes": 0,
            "align_sum": 0.0,
            "alignment_votes": 0,
            "first_date": None,
            "last_date": None,
        }
    )
    flips = []
    for ve_id, votes in by_event.items():
        day = events[ve_id].date if ve_id in events else None
        party_counts = defaultdict(Counter)
        for _r, party, k, key in votes:
            if party is not None and k == "cast":
                party_counts[party][key] += 1
        lines = {}
        for party, counts in party_counts.items():
            line, top = counts.most_common(1)[0]
            total = sum(counts.values())
            free = (1 - top / total) >= FREE_VOTE_SPLIT or list(counts.values()).count(top) > 1
            lines[party] = None if free else line
        for r, party, k, key in votes:
            rebel = bool(party is not None and k == "cast" and lines.get(party) not in (None, key))
            if rebel != bool(r.rebel):
                flips.append({"id": r.id, "rebel": rebel})
            if r.person_id is None:
                continue
            s = stats[r.person_id]
            s["divisions"] += 1
            if day:
                s["first_date"] = min(s["first_date"] or day, day)
                s["last_date"] = max(s["last_date"] or day, day)
            if k == "absent":
                continue
            s["attended"] += 1
            if party is None or k != "cast":
                continue
            if lines.get(party) is not None:
                s["whipped_votes"] += 1
                s["rebellions"] += rebel
            others = party_counts[party]
            total = sum(others.values()) - 1
            if total > 0:
                s["align_sum"] += (others[key] - 1) / total
                s["alignment_votes"] += 1

    db.session.execute(delete(PersonStat))
    if stats:
        db.session.execute(
            insert(PersonStat),
            [
                {
                    "person_id": pid,
                    "divisions": s["divisions"],
                    "attended": s["attended"],
                    "rebellions": s["rebellions"],
                    "whipped_votes": s["whipped_votes"],
                    "alignment_votes": s["alignment_votes"],
                    "alignment": s["align_sum"] / s["alignment_votes"] if s["alignment_votes"] else None,
                    "first_date": s["first_date"],
                    "last_date": s["last_date"],
                }
                for pid, s in stats.items()
            ],
        )
    if flips:
        db.session.execute(update(Vote), flips)
    scores = _policy_scores(events, by_event)
    return ScoringSummary(
        policies=scores[0], scores=scores[1], persons=len(stats), rebels=sum(1 for f in flips if f["rebel"])
    )


def _policy_scores(events, by_event) -> tuple[int, int]:
    motion_ids = dict(db.session.execute(select(Motion.source_id, Motion.id)).all())
    events_of = defaultdict(list)
    for ve in events.values():
        events_of[ve.motion_id].append(ve.id)
    policies = db.session.execute(select(Policy.id, Policy.rule)).all()
    links = defaultdict(list)
    for d in db.session.execute(
        select(
            PolicyDivision.policy_id, PolicyDivision.motion_source, PolicyDivision.agree_option, PolicyDivision.strong
        )
    ):
        links[d.policy_id].append(d)
    out = []
    for policy_id, rule in policies:
        tallies = defaultdict(Counter)
        dates, parties = {}, {}
        for d in links[policy_id]:
            strength = "strong" if d.strong else "weak"
            agree = options.key(d.agree_option)
            for ve_id in events_of.get(motion_ids.get(d.motion_source), ()):
                day = events[ve_id].date
                for r, _party, k, key in by_event.get(ve_id, ()):
                    if r.person_id is None:
                        continue
                    cls = k if k != "cast" else ("agree" if key == agree else "against")
                    tallies[r.person_id][f"{cls}_{strength}"] += 1
                    if day:
                        lo, hi = dates.get(r.person_id, (day, day))
                        dates[r.person_id] = (min(lo, day), max(hi, day))
                    seen = parties.get(r.person_id)
                    if seen is None or (day or dt.date.min, ve_id) >= seen[0]:
                        parties[r.person_id] = ((day or dt.date.min, ve_id), r.party_id, r.party_source)
        for person_id, t in tallies.items():
            distance = simplified(t) if rule == "simplified" else classic(t)
            n = ballots(t, rule)
            lo, hi = dates.get(person_id, (None, None))
            _, party_id, party_source = parties[person_id]
            out.append(
                {
                    "policy_id": policy_id,
                    "person_id": person_id,
                    "distance": distance,
                    "band": options.band(distance, n),
                    "votes": n,
                    "tally": dict(t),
                    "first_date": lo,
                    "last_date": hi,
                    "party_id": party_id,
                    "party_source": party_source,
                }
            )
    db.session.execute(delete(PolicyScore))
    if out:
        db.session.execute(insert(PolicyScore), out)
    return len(policies), len(out)
