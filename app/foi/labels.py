"""Translated labels for codes shown on FOI pages: authority tags and redaction scopes.

Tags are free data, so only the common ones have a translation; any other tag is shown as it is.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

TAG_NAMES = {
    # Translators: an authority tag (a kind of public body)
    "council": _l("council"),
    "region": _l("region"),
    "regional": _l("regional"),
    "district": _l("district"),
    "national": _l("national"),
    "local": _l("local"),
    "ministry": _l("ministry"),
    "roads": _l("roads"),
    "transport": _l("transport"),
    "health": _l("health"),
    "education": _l("education"),
    "police": _l("police"),
    "environment": _l("environment"),
    "housing": _l("housing"),
    "defunct": _l("defunct"),
}


def tag_label(tag: str) -> str:
    return str(TAG_NAMES.get(tag, tag))


def scope_label(scope: str, scope_id: int | None) -> str:
    """How a redaction rule's reach reads on the admin page."""
    if scope == "request":
        return _("request %(num)s", num=scope_id)
    if scope == "user":
        return _("user %(num)s", num=scope_id)
    if scope == "authority":
        return _("authority %(num)s", num=scope_id)
    return _("everything")


# Translators: entries of the admin audit log ("what happened")
AUDIT_ACTIONS = {
    "foi.redaction.create": _l("Redaction rule added"),
    "foi.redaction.update": _l("Redaction rule changed"),
    "foi.redaction.delete": _l("Redaction rule deleted"),
    "foi.prominence": _l("Visibility of a request, message or attachment changed"),
    "foi.holiday.create": _l("Non-working day added"),
    "foi.holiday.delete": _l("Non-working day removed"),
}

# Holding-pen notes stored by FOI (app/foi/mail/receiving.py), with the codes and English text
# older rows hold; registered with core's registry, which admin's holding pen reads.
INBOX_NOTES = {
    "foi:bad_hash": _l("The address looks like a request's, but its code does not match any request."),
    "foi_hash_mismatch": _l("The address looks like a request's, but its code does not match any request."),
    "The address looks like a request's, but its code does not match any request.": _l(
        "The address looks like a request's, but its code does not match any request."
    ),
    "foi:unknown_sender": _l(
        "The request is old and now takes replies only from the authority's addresses; this sender is not one of them."
    ),
    "foi:closed": _l("The request is closed to new replies because nothing has happened on it for a long time."),
}
