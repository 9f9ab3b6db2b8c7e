"""Translated labels for codes write stores: audit actions and holding-pen notes (registered with
core's registry, which admin's pages read)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Translators: entries of the admin audit log ("what happened")
AUDIT_ACTIONS = {
    "write.approve": _l("Message approved"),
    "write.reject": _l("Message rejected"),
    "write.hide": _l("Message hidden"),
    "write.hide_answer": _l("Answer hidden"),
}
# Holding-pen notes carry the message's number (stored as English text by app/write/inbox.py).
NOTE_PATTERNS = (
    (
        r"write: the address for message (\d+) has a wrong check code\.?",
        _l("The address of message %(num)s has a wrong check code."),
    ),
    (r"write: no message (\d+)\.?", _l("There is no message %(num)s.")),
)
