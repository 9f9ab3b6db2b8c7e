"""Display names for codes: the directory's audit actions (registered with core's registry, which
admin's pages read), and the codes imported data uses: organisation classifications and membership
roles. Popolo leaves both free; the common ones are translated, anything else is shown as given
(it is data, in the data's language). Matching is on the code, never on translated text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

# Translators: entries of the admin audit log ("what happened")
AUDIT_ACTIONS = {
    "directory.person.save": _l("Person saved"),
    "directory.organisation.save": _l("Organisation saved"),
    "directory.membership.save": _l("Membership saved"),
    "directory.membership.delete": _l("Membership deleted"),
    "directory.contact.add": _l("Contact detail added"),
    "directory.contact.delete": _l("Contact detail deleted"),
}

# Translators: kinds of organisation (Popolo "classification"), shown as a badge
_CLASSIFICATIONS = {
    "legislature": lazy_pgettext("organisation kind", "legislature"),
    "chamber": lazy_pgettext("organisation kind", "chamber"),
    "party": lazy_pgettext("organisation kind", "party"),
    "executive": lazy_pgettext("organisation kind", "executive"),
    "government": lazy_pgettext("organisation kind", "government"),
    "ministry": lazy_pgettext("organisation kind", "ministry"),
    "department": lazy_pgettext("organisation kind", "department"),
    "committee": lazy_pgettext("organisation kind", "committee"),
    "council": lazy_pgettext("organisation kind", "council"),
    "public body": lazy_pgettext("organisation kind", "public body"),
    "agency": lazy_pgettext("organisation kind", "agency"),
    "court": lazy_pgettext("organisation kind", "court"),
}

# Translators: a person's role in an organisation (Popolo membership "role")
_ROLES = {
    "member": lazy_pgettext("membership role", "member"),
    "councillor": lazy_pgettext("membership role", "councillor"),
    "chair": lazy_pgettext("membership role", "chair"),
    "mayor": lazy_pgettext("membership role", "mayor"),
    "minister": lazy_pgettext("membership role", "minister"),
}


def classification_label(code: str | None) -> str:
    if not code:
        return ""
    label = _CLASSIFICATIONS.get(code.strip().lower().replace("_", " "))
    return str(label) if label is not None else code


def role_label(code: str | None) -> str:
    if not code:
        return ""
    label = _ROLES.get(code.strip().lower())
    return str(label) if label is not None else code


def register(app) -> None:
    app.add_template_filter(classification_label, "classification_label")
    app.add_template_filter(role_label, "role_label")
