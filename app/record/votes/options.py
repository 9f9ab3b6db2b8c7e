"""What vote options and results mean, and the words for a policy distance.

Options are stored exactly as the source gave them; these rules only read them. Synonyms map to
one key so "aye", "tellaye" and "yes" agree with each other; anything else stays its own option
(a chamber with "for", "against" and "abstain" works the same way).
"""

from __future__ import annotations

from flask import g, has_request_context
from flask_babel import lazy_pgettext, pgettext

# Spellings that mean the same ballot (lower-cased, spaces squeezed).
_SYNONYMS = {
    "yes": "yes",
    "aye": "yes",
    "ayes": "yes",
    "tellaye": "yes",
    "yea": "yes",
    "y": "yes",
    "content": "yes",
    "no": "no",
    "noe": "no",
    "noes": "no",
    "tellno": "no",
    "nay": "no",
    "n": "no",
    "not content": "no",
}
# Not there, or not voting: no ballot was cast.
ABSENT = frozenset({"absent", "not voting", "did not vote", "not present", "excused", "paired", "absence"})
# There, but for neither side: Public Whip's "both" (voted in both lobbies) is an active abstention.
ABSTAIN = frozenset({"abstain", "abstention", "both", "present", "neutral", "blank"})

_RESULTS = {
    "passed": "pass",
    "pass": "pass",
    "carried": "pass",
    "agreed": "pass",
    "adopted": "pass",
    "failed": "fail",
    "fail": "fail",
    "rejected": "fail",
    "negatived": "fail",
    "defeated": "fail",
}


def key(option: str | None) -> str:
    """The comparable form of an option: 'Aye' and 'tellaye' -> 'yes'."""
    word = " ".join((option or "").lower().replace("_", " ").split())
    return _SYNONYMS.get(word, word)


def kind(option: str | None) -> str:
    """'absent', 'abstain' or 'cast' (a ballot for one side)."""
    k = key(option)
    if not k or k in ABSENT:
        return "absent"
    if k in ABSTAIN:
        return "abstain"
    return "cast"


def normalise_result(value) -> str | None:
    if value in (None, ""):
        return None
    word = " ".join(str(value).lower().split())
    return _RESULTS.get(word, word[:50])


# Distance bands (TheyWorkForYou's current table): upper bound inclusive -> key.
BAND_LIMITS = (
    (0.05, "consistently_for"),
    (0.15, "almost_always_for"),
    (0.3, "generally_for"),
    (0.4, "tended_for"),
    (0.6, "mixture"),
    (0.7, "tended_against"),
    (0.85, "generally_against"),
    (0.95, "almost_always_against"),
    (1.0, "consistently_against"),
)


def band(distance: float | None, votes: int) -> str:
    """The band key for a stored distance and the number of ballots behind it."""
    if distance is None:
        return "no_data"
    if votes == 0:
        return "never_voted"  # only absences: the classic rule scores 0.5, but no vote was cast
    if votes == 1 and distance in (0.0, 1.0):
        return "voted_for" if distance == 0.0 else "voted_against"
    for limit, name in BAND_LIMITS:
        if distance <= limit + 1e-9:
            return name
    return "consistently_against"


# Whole sentences for the person page, formatted through the safe domain: SENTENCES[band](phrase).
SENTENCES = {
    "consistently_for": lambda p: pgettext("policy position", "Consistently voted for %(policy)s", policy=p),
    "almost_always_for": lambda p: pgettext("policy position", "Almost always voted for %(policy)s", policy=p),
    "generally_for": lambda p: pgettext("policy position", "Generally voted for %(policy)s", policy=p),
    "tended_for": lambda p: pgettext("policy position", "Tended to vote for %(policy)s", policy=p),
    "mixture": lambda p: pgettext("policy position", "Voted a mixture of for and against %(policy)s", policy=p),
    "tended_against": lambda p: pgettext("policy position", "Tended to vote against %(policy)s", policy=p),
    "generally_against": lambda p: pgettext("policy position", "Generally voted against %(policy)s", policy=p),
    "almost_always_against": lambda p: pgettext("policy position", "Almost always voted against %(policy)s", policy=p),
    "consistently_against": lambda p: pgettext("policy position", "Consistently voted against %(policy)s", policy=p),
    "voted_for": lambda p: pgettext("policy position", "Voted for %(policy)s", policy=p),
    "voted_against": lambda p: pgettext("policy position", "Voted against %(policy)s", policy=p),
    "never_voted": lambda p: pgettext("policy position", "Was absent from every vote on %(policy)s", policy=p),
    "no_data": lambda p: pgettext("policy position", "No votes recorded on %(policy)s", policy=p),
}

# Short labels for tables of members on a policy page.
SHORT = {
    "consistently_for": lazy_pgettext("policy position", "Consistently for"),
    "almost_always_for": lazy_pgettext("policy position", "Almost always for"),
    "generally_for": lazy_pgettext("policy position", "Generally for"),
    "tended_for": lazy_pgettext("policy position", "Tended for"),
    "mixture": lazy_pgettext("policy position", "Mixture"),
    "tended_against": lazy_pgettext("policy position", "Tended against"),
    "generally_against": lazy_pgettext("policy position", "Generally against"),
    "almost_always_against": lazy_pgettext("policy position", "Almost always against"),
    "consistently_against": lazy_pgettext("policy position", "Consistently against"),
    "voted_for": lazy_pgettext("policy position", "Voted for"),
    "voted_against": lazy_pgettext("policy position", "Voted against"),
    "never_voted": lazy_pgettext("policy position", "Always absent"),
    "no_data": lazy_pgettext("policy position", "No data"),
}

# Option words shown on pages; an option not listed is shown as the source wrote it.
OPTION_LABELS = {
    "yes": lazy_pgettext("vote option", "Yes"),
    "no": lazy_pgettext("vote option", "No"),
    "abstain": lazy_pgettext("vote option", "Abstained"),
    "absent": lazy_pgettext("vote option", "Absent"),
    "both": lazy_pgettext("vote option", "Voted both ways"),
    "paired": lazy_pgettext("vote option", "Paired"),
    "not voting": lazy_pgettext("vote option", "Did not vote"),
}

RESULT_LABELS = {
    "pass": lazy_pgettext("division result", "Passed"),
    "fail": lazy_pgettext("division result", "Failed"),
}


def option_label(option: str | None) -> str:
    """The option's word in the current language (looked up once per request and option: a
    division page shows hundreds of votes)."""
    memo = g.setdefault("record_option_labels", {}) if has_request_context() else {}
    if option not in memo:
        k = key(option)
        found = OPTION_LABELS.get(k) if k in OPTION_LABELS else OPTION_LABELS.get((option or "").lower())
        memo[option] = str(found) if found is not None else (option or "")
    return memo[option]


def result_label(result: str | None) -> str:
    found = RESULT_LABELS.get(result or "")
    return str(found) if found else (result or "")
