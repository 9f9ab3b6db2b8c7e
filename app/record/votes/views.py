"""Page contexts for the votes pages: stored rows, joined to the directory's names in bulk."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from ...directory import services as directory
from ..debates.queries import debates_on, speeches_by_person
from . import options, queries


@dataclass(frozen=True)
class Member:
    person_id: int | None
    name: str
    url: str | None
    party: str
    party_key: str
    option: str | None = None
    rebel: bool = False
    band: str | None = None
    distance: float | None = None
    votes: int = 0
    option_word: str = ""  # the option in the current language
    band_word: str = ""  # the position's short label in the current language


def _party_key(pid, source) -> str:
    return str(pid) if pid is not None else f"src:{source or ''}"


def _links(person_ids) -> dict:
    ids = [i for i in set(person_ids) if i is not None]
    return directory.person_links(ids, directory.lang_tag()) if ids else {}


def agreement(distance: float | None) -> float | None:
    """The share shown beside a position (1 = always agreed with the policy)."""
    return None if distance is None else 1 - distance


def policy_page(policy, page: int, party: str, sort: str, person: int | None) -> dict:
    divisions = queries.policy_divisions(policy.id)
    scores = queries.policy_scores(policy.id)
    names = queries.party_names({(s.party_id, s.party_source) for s in scores})
    rows = [(s, names.get((s.party_id, s.party_source), ""), _party_key(s.party_id, s.party_source)) for s in scores]
    party_choices = sorted({(k, n) for _, n, k in rows if n}, key=lambda x: x[1].casefold())
    if party:
        rows = [r for r in rows if r[2] == party]
    # Names come from the directory: for the members shown, or for all when sorting by name.
    links = _links(s.person_id for s, _, _ in rows) if sort == "name" else {}
    if sort == "name":
        rows.sort(
            key=lambda r: (links[r[0].person_id].name.casefold() if r[0].person_id in links else "", r[0].person_id)
        )
    elif sort == "votes":
        rows.sort(key=lambda r: (-r[0].votes, r[0].person_id))
    else:
        rows.sort(key=lambda r: (r[0].distance is None, r[0].distance or 0, -r[0].votes, r[0].person_id))
    per = queries.page_size()
    shown = rows[(page - 1) * per : page * per]
    if sort != "name":
        links = _links(s.person_id for s, _, _ in shown)
    words = {band: str(options.SHORT.get(band, band or "")) for band in {s.band for s, _, _ in shown}}
    members = []
    for s, party_name, key in shown:
        link = links.get(s.person_id)
        members.append(
            Member(
                s.person_id,
                link.name if link else str(s.person_id),
                link.url if link else None,
                party_name,
                key,
                band=s.band,
                distance=s.distance,
                votes=s.votes,
                band_word=words[s.band],
            )
        )
    evidence, evidence_name = None, None
    if person:
        mine = queries.person_options(person, [d.id for d in divisions])
        link = _links([person]).get(person)
        if link:
            evidence_name = link.name
            evidence = [(d, mine.get(d.id)) for d in divisions]
    return {
        "policy": policy,
        "divisions": divisions,
        "members": members,
        "total": len(rows),
        "page": page,
        "has_next": page * per < len(rows),
        "party": party,
        "sort": sort,
        "party_choices": party_choices,
        "evidence": evidence,
        "evidence_name": evidence_name,
        "person": person,
        "args": {k: v for k, v in (("party", party), ("sort", sort if sort != "position" else "")) if v},
    }


def division_page(event_id: int) -> dict | None:
    found = queries.division(event_id)
    if found is None:
        return None
    event, motion = found
    votes = queries.division_votes(event_id)
    links = _links(v.person_id for v in votes)
    names = queries.party_names({(v.party_id, v.party_source) for v in votes})
    # One pass over the votes: members, options in order of use, per-party counts and rebels.
    words = {}  # option -> its word, looked up once per option, not per member
    used: Counter = Counter()
    per_party: dict = defaultdict(Counter)
    rebels: Counter = Counter()
    members = []
    for person_id, voter_source, voter_name, party_id, party_source, option, rebel in votes:
        party = (party_id, party_source)
        link = links.get(person_id)
        if option not in words:
            words[option] = options.option_label(option)
        used[option] += 1
        per_party[party][option] += 1
        if rebel:
            rebels[party] += 1
        members.append(
            Member(
                person_id,
                link.name if link else (voter_name or voter_source),
                link.url if link else None,
                names[party],
                _party_key(party_id, party_source),
                option=option,
                rebel=rebel,
                option_word=words[option],
            )
        )
    members.sort(key=lambda m: (m.party.casefold(), m.name.casefold()))
    breakdown = [
        (names[key], counts, rebels[key])
        for key, counts in sorted(per_party.items(), key=lambda kv: -sum(kv[1].values()))
    ]
    opts = [o for o, _ in used.most_common()]
    counts = queries.count_rows(event)
    debates = debates_on(event.date) if event.date else []
    return {
        "event": event,
        "motion": motion,
        "members": members,
        "options": opts,
        "breakdown": breakdown,
        "counts": counts,
        "counts_differ": any(p is not None and c is not None and p != c for _, p, c in counts),
        "rebels": sum(rebels.values()),
        "policies": queries.division_policies(motion.source_id),
        "debates": debates,
    }


def person_votes_page(person_id: int, page: int) -> dict | None:
    person = directory.get_person(person_id)
    if person is None:
        return None
    rows, has_next = queries.person_votes(person_id, page, queries.page_size())
    return {
        "person": person,
        "person_url": directory.person_url(person_id),
        "rows": rows,
        "page": page,
        "has_next": has_next,
        "stat": queries.person_stat(person_id),
    }


def person_links_hook(person_ids) -> dict[int, list[tuple[str, str]]]:
    """Links beside representatives in directory lists: their voting record, where one exists."""
    return {
        pid: [(_("Voting record"), url_for("record.person_votes", person_id=pid))]
        for pid in queries.persons_with_votes(person_ids)
    }


def person_feed_entries(person_id: int, limit: int = 50) -> list[dict]:
    rows, _more = queries.person_votes(person_id, 1, limit)
    entries = [{"kind": "vote", "row": r, "date": r.date} for r in rows]
    entries += [{"kind": "speech", "row": s, "date": s.date} for s in speeches_by_person(person_id, limit)]
    entries.sort(key=lambda e: (e["date"] is not None, e["date"]), reverse=True)
    return entries[:limit]
