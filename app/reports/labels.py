"""Readable names for the codes reports store elsewhere: its entries in the shared audit log and
its notes on mail held in the holding pen (registered with the core registry in init_app)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Translators: entries of the admin audit log ("what happened")
AUDIT_ACTIONS = {
    "reports.category.create": _l("Report category created"),
    "reports.category.update": _l("Report category changed"),
    "reports.contact.create": _l("Body contact for reports added"),
    "reports.contact.update": _l("Body contact for reports changed"),
    "reports.contact.delete": _l("Body contact for reports deleted"),
    "reports.template.create": _l("Response template created"),
    "reports.template.update": _l("Response template changed"),
    "reports.template.delete": _l("Response template deleted"),
    "reports.open311_key.create": _l("Open311 API key created"),
    "reports.open311_key.revoke": _l("Open311 API key revoked"),
    "reports.open311_key.suspend": _l("Open311 API key suspended"),
    "reports.open311_key.restore": _l("Open311 API key restored"),
    "reports.question.create": _l("Category question added"),
    "reports.question.update": _l("Category question saved"),
    "reports.question.delete": _l("Category question deleted"),
    "reports.send.retry": _l("Report sent again"),
    "reports.state_names": _l("Report state names changed"),
}
_MISMATCH = _l("A reply to a report's address, but its code is wrong.")
_UNKNOWN = _l("A reply to a report that does not exist.")
# The codes, and the English text older rows carry instead.
INBOX_NOTES = {
    "reports_hash_mismatch": _MISMATCH,
    "reply to a report address with a wrong code": _MISMATCH,
    "reports_unknown_report": _UNKNOWN,
    "reply to an unknown report": _UNKNOWN,
}
