"""Readable, translated names for codes stored in the database (audit actions, holding-pen notes).

The codes stay in the database (they are identifiers, searchable in any language); pages show
these labels, or the raw code when a component added one that is not listed here.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core.mail.inbox import UNCLAIMED_NOTE

# Translators: entries of the admin audit log ("what happened")
AUDIT_ACTIONS = {
    "user.role": _l("Role changed"),
    "user.ban": _l("Account suspended"),
    "user.unban": _l("Suspension lifted"),
    "user.translator": _l("Translation rights changed"),
    "user.staff_add": _l("Made staff of a public body"),
    "user.staff_remove": _l("No longer staff of a public body"),
    "outbox.retry": _l("Outgoing mail queued again"),
    "inbox.redeliver": _l("Incoming mail delivered again"),
    "inbox.dismiss": _l("Incoming mail dismissed"),
    "directory.person.save": _l("Person saved"),
    "directory.organisation.save": _l("Organisation saved"),
    "directory.membership.save": _l("Membership saved"),
    "directory.membership.delete": _l("Membership deleted"),
    "directory.contact.add": _l("Contact detail added"),
    "directory.contact.delete": _l("Contact detail deleted"),
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
    "reports.question.update": _l("Category question saved"),
    "reports.question.delete": _l("Category question deleted"),
    "reports.send.retry": _l("Report sent again"),
    "reports.state_names": _l("Report state names changed"),
    "write.approve": _l("Message approved"),
    "write.reject": _l("Message rejected"),
    "write.hide": _l("Message hidden"),
    "write.hide_answer": _l("Answer hidden"),
}

# Holding-pen notes stored by core (the code, and the English text rows from before it).
INBOX_NOTES = {
    UNCLAIMED_NOTE: _l("No component claimed this message."),
    "No component claimed this message.": _l("No component claimed this message."),
}


def audit_label(action: str) -> str:
    label = AUDIT_ACTIONS.get(action or "")
    return str(label) if label is not None else (action or "")


def inbox_note(note: str | None) -> str:
    label = INBOX_NOTES.get(note or "")
    return str(label) if label is not None else (note or "")
