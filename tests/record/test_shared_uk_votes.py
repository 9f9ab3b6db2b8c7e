"""End to end on all the shared UK data: persons, parties, votes, policies; Corbyn's positions by the
formula; the tuition fees division's per-party counts and rebels."""

from __future__ import annotations

import json
import re

import pytest

from .votes_helpers import event_id, invoke, person_id, policy_id

BANDS = (
    (0.05, "Consistently voted for"),
    (0.15, "Almost always voted for"),
    (0.3, "Generally voted for"),
    (0.4, "Tended to vote for"),
    (0.6, "Voted a mixture of for and against"),
    (0.7, "Tended to vote against"),
    (0.85, "Generally voted against"),
    (0.95, "Almost always voted against"),
    (1.0, "Consistently voted against"),
)


def _expected(root, voter: str) -> dict[str, tuple[float, int]]:
    """Policy id -> (distance, ballots) by the README's formula, read straight from the files."""
    motions = {}
    for path in (root / "motions").glob("*.json"):
        for m in json.loads(path.read_text(encoding="utf-8")):
            motions[m["id"]] = m
    out = {}
    for issue in json.loads((root / "issues.json").read_text(encoding="utf-8")):
        points = available = ballots = 0
        for a in issue["aspects"]:
            strong = "(strong)" in a["direction"]
            agree = max(("yes", "no"), key=lambda o: a["weights"].get(o, 0))
            for ve in motions[a["motion_id"]]["vote_events"]:
                for v in ve["votes"]:
                    if v["voter"]["id"] != voter:
                        continue
                    if v["option"] in ("absent", "both"):
                        points, available = points + (25 if strong else 1), available + (50 if strong else 2)
                        ballots += v["option"] == "both"
                    else:
                        points += 0 if v["option"] == agree else (50 if strong else 10)
                        available += 50 if strong else 10
                        ballots += 1
        if available:
            out[issue["id"]] = (points / available, ballots)
    return out


def _words(distance: float, ballots: int) -> str:
    if ballots == 1 and distance in (0.0, 1.0):
        return "Voted for" if distance == 0 else "Voted against"
    return next(words for limit, words in BANDS if distance <= limit + 1e-9)


@pytest.mark.shared_data
def test_all_uk_votes_corbyn_positions_and_a_division(app, client, shared_data):
    root = shared_data / "record" / "uk-commons-policy-votes"
    res = invoke(app, "directory", "import-popolo", root / "people.json", root / "parties.json")
    assert res.exit_code == 0, res.output
    res = invoke(app, "record", "import-votes", *sorted((root / "motions").glob("*.json")))
    assert res.exit_code == 0, res.output
    assert "motions: 16 created" in res.output and "not in the directory" not in res.output
    res = invoke(app, "record", "import-policies", root / "issues.json")
    assert res.exit_code == 0, res.output

    corbyn = person_id("jeremy_corbyn")
    page = client.get(f"/en/people/{corbyn}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    issues = {i["id"]: i for i in json.loads((root / "issues.json").read_text(encoding="utf-8"))}
    expected = _expected(root, "jeremy_corbyn")
    assert set(expected) == set(issues)
    for pid, (distance, ballots) in expected.items():
        phrase = re.sub(r"<[^>]+>", "", issues[pid]["html"]).replace("&rsquo;", "’").replace("&pound;", "£")
        sentence = f"{_words(distance, ballots)} {' '.join(phrase.split())}"
        assert sentence.replace("'", "&#39;") in html, sentence
        assert f"/en/record/policies/{policy_id(pid)}?person={corbyn}" in html

    division = client.get(f"/en/record/divisions/{event_id('pw-2010-12-09-150')}")
    assert division.status_code == 200
    text = division.get_data(as_text=True)
    con = text[text.index("<td><bdi>Conservative Party</bdi></td>") :].split("</tr>")[0]
    assert re.findall(r"<td>([\d,]+)</td>", con)[:2] in (["297", "6"], ["6", "297"])
    assert re.findall(r"<td>([\d,]+)</td>", con)[-1] == "6"  # six Conservative rebels
    ldem = text[text.index("<td><bdi>Liberal Democrats</bdi></td>") :].split("</tr>")[0]
    assert re.findall(r"<td>([\d,]+)</td>", ldem)[-1] == "0"  # 21 of 49 against: a free vote
    assert "6 members voted against the majority of their party" in text
    for rebel in ("David Davis", "Julian Lewis", "Mark Reckless"):
        row = text[text.index(f">{rebel}<") :].split("</tr>")[0]
        assert "✱" in row, rebel
    assert "differs" not in text
