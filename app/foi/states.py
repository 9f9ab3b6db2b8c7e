"""The states of a request: stored ones, calculated ones, names and one-line explanations."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

STORED = (
    "waiting_response",
    "waiting_clarification",
    "gone_postal",
    "not_held",
    "rejected",
    "successful",
    "partially_successful",
    "internal_review",
    "error_message",
    "requires_admin",
    "user_withdrawn",
    "attention_requested",
    "vexatious",
    "not_foi",
)
# Addresses a follow-up is never sent to.
NO_REPLY = re.compile(r"^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)([+.-].*)?@", re.I)
# The authority owes an answer by a due date in these.
OPEN_STATES = ("waiting_response", "internal_review")
CALCULATED = ("waiting_classification", "waiting_response_overdue", "waiting_response_very_overdue")
ADMIN_ONLY = ("vexatious", "not_foi")
# What the requester may choose after a reply (admins may set any stored state).
REQUESTER_CHOICES = (
    "waiting_response",
    "waiting_clarification",
    "gone_postal",
    "not_held",
    "rejected",
    "successful",
    "partially_successful",
    "internal_review",
    "error_message",
    "requires_admin",
    "user_withdrawn",
)
# Not promoted: kept and reachable by link, but never listed, searched or in feeds.
UNLISTED = ("vexatious", "not_foi")
# States that ask for the site's team: shown on the admin page; chosen by a requester, they are mailed.
NEEDS_ADMIN = ("requires_admin", "attention_requested")
ATTENTION = ("attention_requested", "requires_admin", "error_message")
ANSWERED = ("not_held", "rejected", "successful", "partially_successful")

NAMES = {
    "waiting_response": _l("Awaiting response"),
    "waiting_clarification": _l("Clarification needed"),
    "gone_postal": _l("Handled by post"),
    "not_held": _l("Information not held"),
    "rejected": _l("Refused"),
    "successful": _l("Successful"),
    "partially_successful": _l("Partially successful"),
    "internal_review": _l("Awaiting internal review"),
    "error_message": _l("Delivery error"),
    "requires_admin": _l("Unusual response"),
    "user_withdrawn": _l("Withdrawn by the requester"),
    "attention_requested": _l("Reported for administrator attention"),
    "vexatious": _l("Considered vexatious"),
    "not_foi": _l("Not a valid request"),
    "waiting_classification": _l("Awaiting classification"),
    "waiting_response_overdue": _l("Response overdue"),
    "waiting_response_very_overdue": _l("Response very overdue"),
}

EXPLANATIONS = {
    "waiting_response": _l("The authority has not answered yet, and the time it has to answer has not run out."),
    "waiting_clarification": _l("The authority asked the requester for more details before it can answer."),
    "gone_postal": _l("The authority is answering by post rather than by email."),
    "not_held": _l("The authority says it does not hold the information asked for."),
    "rejected": _l("The authority refused to give the information."),
    "successful": _l("The requester received all the information asked for."),
    "partially_successful": _l("The requester received some of the information asked for."),
    "internal_review": _l("The requester asked the authority to review how it handled the request."),
    "error_message": _l("The request could not be delivered: the authority's address returned an error."),
    "requires_admin": _l("The reply was unusual and needs a look from the site's team."),
    "user_withdrawn": _l("The requester no longer wants an answer."),
    "attention_requested": _l("Someone reported this request; the site's team will look at it."),
    "vexatious": _l("The site's team found the request vexatious; it is kept but not promoted."),
    "not_foi": _l("The site's team found this is not a valid request for information under the law."),
    "waiting_classification": _l("A reply arrived; the requester has not yet said what it contained."),
    "waiting_response_overdue": _l("The authority should have answered by now under the law."),
    "waiting_response_very_overdue": _l("The authority is long past the time the law gives it to answer."),
}


# Where the law does not bind authorities to answer, lateness is worded as such.
NOT_BINDING = {
    "waiting_response": _l(
        "The authority has not answered yet; the law suggests a time to answer but does not oblige it to."
    ),
    "waiting_response_overdue": _l(
        "The authority has not answered in the time the law suggests, though the law does not oblige it to answer."
    ),
    "waiting_response_very_overdue": _l(
        "The authority is long past the time the law suggests for an answer, "
        "though the law does not oblige it to answer."
    ),
}

# What the requester can do next, for the states where there is something to do.
ADVICE = {
    "waiting_clarification": _l(
        "The authority needs more details. Write a follow-up that explains what you are asking for."
    ),
    "gone_postal": _l(
        "The authority is answering by post. When the letter arrives, please update the status "
        "so that others know what it said."
    ),
    "not_held": _l(
        "The authority says it does not hold the information. Another authority may hold it: you "
        "can make a new request to it."
    ),
    "error_message": _l(
        "The request could not be delivered. Please check the authority's address and report "
        "the request so that the site's team can correct it."
    ),
    "rejected": _l("If you think the refusal is wrong, you can challenge it."),
    "partially_successful": _l("If you think the authority should have given more, you can challenge its answer."),
    "waiting_response_overdue": _l("The authority is late. You can send it a reminder with a follow-up."),
    "waiting_response_very_overdue": _l(
        "The authority is long overdue. You can send it a reminder with a follow-up or challenge the delay."
    ),
}
# States after which a review of the authority's handling may be asked for (or a complaint made).
REVIEWABLE = (
    "rejected",
    "partially_successful",
    "not_held",
    "waiting_response_overdue",
    "waiting_response_very_overdue",
)


def name(state: str) -> str:
    return str(NAMES.get(state, state))


def explanation(state: str, law=None) -> str:
    if law is not None and not getattr(law, "binding", True) and state in NOT_BINDING:
        return str(NOT_BINDING[state])
    return str(EXPLANATIONS.get(state, ""))


def advice(state: str) -> str:
    return str(ADVICE.get(state, ""))
