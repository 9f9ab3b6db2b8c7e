"""Readable, translated names for codes stored in the database (audit actions, holding-pen notes).

The codes stay in the database (they are identifiers, searchable in any language); pages show
these labels, or the raw code when a component added one that is not listed here.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from ..core import registry
from ..core.mail.inbox import UNCLAIMED_NOTE
from ..core.mail.limits import TOO_COMPLEX, TOO_LARGE

# Translators: entries of the admin audit log ("what happened")
AUDIT_ACTIONS = {
    "user.role": _l("Role changed"),
    "user.ban": _l("Account suspended"),
    "user.unban": _l("Suspension lifted"),
    "user.translator": _l("Translation rights changed"),
    "user.staff_add": _l("Made staff of a public body"),
    "user.staff_remove": _l("No longer staff of a public body"),
    "outbox.retry": _l("Outgoing mail queued again"),
    "outbox.retry_all": _l("Outgoing mail queued again, all at once"),
    "inbox.redeliver": _l("Incoming mail delivered again"),
    "inbox.dismiss": _l("Incoming mail dismissed"),
    "inbox.restore": _l("Incoming mail put back in the holding pen"),
}
INBOX_NOTES = {
    UNCLAIMED_NOTE: _l("No component claimed this message."),
    "No component claimed this message.": _l("No component claimed this message."),
    # Translators: why an incoming message is in the holding pen, kept as it came
    TOO_LARGE: _l("This message is too large to be read here."),
    # Translators: why an incoming message is in the holding pen (e.g. thousands of nested parts)
    TOO_COMPLEX: _l("This message has too many nested parts to be read here."),
}

# Translators: the state of an incoming email in the holding pen
INBOX_STATUSES = {
    "new": lazy_pgettext("inbox", "New"),
    "holding": lazy_pgettext("inbox", "Held"),
    "processed": lazy_pgettext("inbox", "Delivered"),
    "dismissed": lazy_pgettext("inbox", "Dismissed"),
}

# Translators: the state of an outgoing email
OUTBOX_STATUSES = {
    "pending": lazy_pgettext("mail", "Waiting"),
    "retrying": lazy_pgettext("mail", "Retrying"),
    "failed": lazy_pgettext("mail", "Failed"),
    "sent": lazy_pgettext("mail", "Sent"),
    # Translators: an outgoing email that will not be sent (e.g. its report was hidden first)
    "cancelled": lazy_pgettext("mail", "Called off"),
}

ROLE_NAMES = {
    "citizen": lazy_pgettext("role", "Citizen"),
    "staff": lazy_pgettext("role", "Staff"),
    "moderator": lazy_pgettext("role", "Moderator"),
    "admin": lazy_pgettext("role", "Administrator"),
}

# Translators: the names of the details of an audit log entry ("Before: Citizen; After: Staff")
AUDIT_DETAIL_KEYS = {
    "from": _l("Before"),
    "to": _l("After"),
    "role": _l("Role"),
    "organisation": _l("Public body"),
    "organisations": _l("Public bodies"),
    "body_id": _l("Public body"),
    "name": _l("Name"),
    "status": _l("Which"),
    "count": _l("How many"),
    "address": _l("Address"),
    "result": _l("Result"),
    "subject": _l("Subject"),
    "report_id": _l("Report"),
    "update_id": _l("Update"),
    "target_user_id": _l("Account"),
    "method": _l("How"),
    "via": _l("Through"),
    "changed": _l("Changed"),
    "category": _l("Category"),
    "code": _l("Code"),
    "old_code": _l("Former code"),
    "datatype": _l("Kind of answer"),
    "required": _l("Required"),
    "prefix": _l("Key starts with"),
}
# Values that are codes: roles and mail states (their codes do not overlap).
_DETAIL_CODES = {**ROLE_NAMES, **OUTBOX_STATUSES, **INBOX_STATUSES}


def register(app) -> None:
    """Admin's own codes go through the registry like every component's."""
    registry.add_labels(app, "audit_action", AUDIT_ACTIONS)
    registry.add_labels(app, "inbox_note", INBOX_NOTES)
    registry.add_labels(app, "audit_detail", AUDIT_DETAIL_KEYS)


def audit_label(action: str) -> str:
    found = registry.label("audit_action", action)
    return found if found is not None else (action or "")


def inbox_note(note: str | None) -> str:
    found = registry.label("inbox_note", note)
    if found is not None:
        return found
    return note or ""


def inbox_status(status: str | None) -> str:
    label = INBOX_STATUSES.get(status or "")
    return str(label) if label is not None else (status or "")


def role_name(role: str | None) -> str:
    label = ROLE_NAMES.get(role or "")
    return str(label) if label is not None else (role or "")


def _detail_value(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, str):
        label = _DETAIL_CODES.get(value)
        return str(label) if label is not None else value
    if isinstance(value, (list, tuple)):
        return ", ".join(_detail_value(v) for v in value)
    if isinstance(value, dict):
        if set(value) <= {"from", "to"}:
            return f"{_detail_value(value.get('from'))} → {_detail_value(value.get('to'))}"
        return "; ".join(f"{detail_key(k)}: {_detail_value(v)}" for k, v in value.items())
    return str(value)


def detail_key(key: str) -> str:
    found = registry.label("audit_detail", key)
    return found if found is not None else key


def audit_details(detail: dict | None) -> list[tuple[str, str]]:
    """An audit entry's details as (label, text) pairs in the reader's language: known keys and
    codes (roles, mail states, yes/no) translated, anything else shown as stored."""
    if not isinstance(detail, dict):
        return [] if detail in (None, "") else [("", str(detail))]
    return [(detail_key(k), _detail_value(v)) for k, v in detail.items()]
