"""Policy positions: the classic and simplified rules, their words, policy files in JSON and CSV."""

from __future__ import annotations

import json
from collections import Counter

from sqlalchemy import select

from app.extensions import db
from app.record.models import Policy, PolicyScore
from app.record.votes import options, scoring

from .votes_helpers import DATA, ISSUES, import_subset, invoke, person_id, policy_id


def public_whip_distance(votes: list[tuple[str, str, bool]]) -> float:
    """The shared README's formula, written out again: (option, agreeing option, strong) per vote."""
    points = available = 0
    for option, agree, strong in votes:
        if option in ("absent", "both"):
            points += 25 if strong else 1
            available += 50 if strong else 2
        else:
            points += 0 if option == agree else (50 if strong else 10)
            available += 50 if strong else 10
    return points / available


def _corbyn_votes_by_policy() -> dict[str, list]:
    motions = {m["id"]: m for m in json.loads((DATA / "motions.json").read_text(encoding="utf-8"))}
    out = {}
    for issue in json.loads((DATA / "issues.json").read_text(encoding="utf-8")):
        rows = []
        for a in issue["aspects"]:
            if a["motion_id"] not in motions:
                continue
            agree = max((k for k in a["weights"] if k in ("yes", "no")), key=a["weights"].get)
            for v in motions[a["motion_id"]]["vote_events"][0]["votes"]:
                if v["voter"]["id"] == "jeremy_corbyn":
                    rows.append((v["option"], agree, "(strong)" in a["direction"]))
        out[issue["id"]] = rows
    return out


def test_stored_positions_match_the_formula(app):
    import_subset(app)
    corbyn = person_id("jeremy_corbyn")
    stored = {
        p.source_id: s
        for p, s in db.session.execute(
            select(Policy, PolicyScore)
            .join(PolicyScore, PolicyScore.policy_id == Policy.id)
            .where(PolicyScore.person_id == corbyn)
        )
    }
    expected = _corbyn_votes_by_policy()
    assert set(stored) == {"PW-1132", "PW-6697", "PW-1084"}
    for pid, votes in expected.items():
        assert abs(stored[pid].distance - public_whip_distance(votes)) < 1e-9, pid
    assert stored["PW-1132"].band == "voted_against"  # one strong vote against raising the cap
    assert stored["PW-6697"].band == "consistently_against" and stored["PW-6697"].votes == 2
    assert stored["PW-1084"].band == "voted_for"


def test_the_rules_on_made_up_tallies():
    t = Counter(agree_strong=3, absent_strong=2)
    assert scoring.classic(t) == 50 / 250
    # simplified: absences neither count nor score, but two of five strong votes missed cap it
    assert scoring.simplified(t) == 0.16
    assert scoring.simplified(Counter(agree_weak=4)) is None  # weak votes alone say nothing
    assert scoring.simplified(Counter(against_strong=1, abstain_strong=1)) == 0.75
    assert scoring.classic(Counter(absent_weak=3)) == 0.5
    assert options.band(0.5, 0) == "never_voted"
    assert [options.band(d, 5) for d in (0.05, 0.06, 0.3, 0.4, 0.6, 0.61, 0.95, 0.96)] == [
        "consistently_for",
        "almost_always_for",
        "generally_for",
        "tended_for",
        "mixture",
        "tended_against",
        "almost_always_against",
        "consistently_against",
    ]


def test_csv_policies_with_a_translation_and_the_simplified_rule(app, tmp_path):
    import_subset(app, policies=False)
    csv_path = tmp_path / "policies.csv"
    csv_path.write_text(
        "policy_id,title,motion_id,agree_option,strength,rule,title:ar\n"
        "forests,Selling public forests,pw-2011-02-02-188,no,strong,simplified,بيع الغابات\n"
        "forests,Selling public forests,pw-2011-02-02-189,yes,weak,simplified,بيع الغابات\n",
        encoding="utf-8",
    )
    res = invoke(app, "record", "import-policies", csv_path)
    assert res.exit_code == 0, res.output
    assert "policies: 1 created, 0 updated" in res.output
    policy = db.session.get(Policy, policy_id("forests"))
    assert policy.rule == "simplified" and policy.titles == {"ar": "بيع الغابات"}
    assert sorted((d.motion_source, d.agree_option, d.strong) for d in policy.divisions) == [
        ("pw-2011-02-02-188", "no", True),
        ("pw-2011-02-02-189", "yes", False),
    ]
    corbyn = db.session.scalar(
        select(PolicyScore).where(
            PolicyScore.policy_id == policy.id, PolicyScore.person_id == person_id("jeremy_corbyn")
        )
    )
    assert corbyn.distance == 1.0 and corbyn.votes == 1  # the weak vote does not count

    bad = tmp_path / "bad.csv"
    bad.write_text("policy_id,title,motion_id,agree_option,strength\nx,X,m,yes,very\n", encoding="utf-8")
    res = invoke(app, "record", "import-policies", bad)
    assert res.exit_code == 1 and "strength 'very'" in res.output
    assert policy_id("x") is None


def test_issues_json_rerun_updates_and_relinks(app):
    import_subset(app)
    res = invoke(app, "record", "import-policies", ISSUES)
    assert res.exit_code == 0, res.output
    assert "policies: 0 created, 3 updated" in res.output
    pr = db.session.get(Policy, policy_id("PW-1084"))
    assert len(pr.divisions) == 4 and pr.title.startswith("Proportional Representation")
    assert pr.text == "a more proportional system for electing MPs"
    strong = {d.motion_source: (d.agree_option, d.strong) for d in pr.divisions}
    assert strong["pw-2010-10-12-68"] == ("yes", True) and strong["pw-2010-11-02-109"] == ("no", False)
