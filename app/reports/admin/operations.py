"""State changes of the admin pages: moderating a report, setting up categories, contacts,
response templates and state names. They flush, never commit; each logs or audits itself."""

from __future__ import annotations

from ...accounts import services as accounts
from ...core import audit
from ...core.models import utcnow
from ...extensions import db
from ..models import ApiKey, Category, Contact, Photo, Report, ResponseTemplate, Send, StateName, Update
from ..operations import cancel_unsent, create_api_key, hide_reports_of, log
from ..queries import email_banned
from ..sending import retry_send, route
from ..text import DETAIL_MAX, TITLE_MAX, xml_safe

ACTIONS = ("hide", "unhide", "redact", "ban", "unban", "hide_update", "redact_update", "hide_photo", "resolve_removal")


class NotFound(Exception):
    """The update or photo named is not one of the report's."""


class NotBanned(Exception):
    """An unban of an email that is not banned (accounts are unbanned in Admin › Users)."""


def moderate(report: Report, user, action: str, reason: str, values) -> None:
    """One moderator action on a report, with its reason, logged (who, when, why). `values` holds
    the action's fields (title, detail, hide_name, text, update_id, photo_id) as strings."""
    update_id = photo_id = target = None
    if action == "hide" and report.state != "hidden":
        report.state_before_hiding, report.state, report.hidden_reason = report.state, "hidden", reason
        cancel_unsent(report)  # a hidden report is never sent
    elif action == "unhide" and report.state == "hidden":
        report.state = report.state_before_hiding or "confirmed"
        if report.confirmed_at is not None and report.is_public:
            route(report, resend=True)  # sends called off when it was hidden are made now
    elif action == "redact":
        report.title = xml_safe(values.get("title") or report.title).strip()[:TITLE_MAX] or report.title
        report.detail = xml_safe(values.get("detail") or "").strip()[:DETAIL_MAX]
        if values.get("hide_name") == "1":
            report.show_name = False
    elif action in ("hide_update", "redact_update"):
        upd = db.session.get(Update, values.get("update_id") or 0)
        if upd is None or upd.report_id != report.id:
            raise NotFound
        update_id = upd.id
        if action == "hide_update":
            upd.hidden_at = utcnow()
        else:
            upd.text = xml_safe(values.get("text") or "").strip()[:DETAIL_MAX]
    elif action == "hide_photo":
        photo = db.session.get(Photo, values.get("photo_id") or 0)
        if photo is None or photo.report_id != report.id:
            raise NotFound
        photo.hidden_at, photo_id = utcnow(), photo.id
    elif action == "resolve_removal":
        report.removal_requested_at = None
    elif action == "ban":
        target = ban_reporter(report, reason)
    elif action == "unban" and not email_banned(report.email):
        raise NotBanned
    if action == "hide":  # hiding answers a removal request too
        report.removal_requested_at = None
    logged = f"{reason} (photo {photo_id})" if photo_id else reason
    log(user, action, logged, report_id=report.id, update_id=update_id, target_user_id=target)


def ban_reporter(report: Report, reason: str) -> int | None:
    """Ban the reporter (through accounts' services, whose signal hides their reports); a reporter
    without an account is banned by the report's email alone: the logged ban without a target
    account is that ban (see queries.email_banned). Returns the banned account's id."""
    user_id = report.user_id
    if user_id is None:
        found = accounts.by_email(report.email)
        user_id = found.id if found is not None else None
    if user_id is not None and not accounts.is_banned(user_id=user_id):
        accounts.ban(user_id, reason)
    hide_reports_of(user_id, report.email, reason)
    return user_id


def record(user, action, object_type, object_id, **detail) -> None:
    audit.record(user.id, f"reports.{action}", object_type, object_id, detail)


def save_state_names(user, values: dict, rows: dict) -> list[str]:
    """Admins' own names of the states per language: `values` {(state, tag): name} ("" = the
    built-in name), `rows` the StateName rows there are. Returns what changed."""
    changed = []
    for (st, t), value in values.items():
        row = rows.get((st, t))
        if row is not None and not value:
            db.session.delete(row)
        elif row is None and value:
            db.session.add(StateName(state=st, lang=t, name=value))
        elif row is not None and row.name != value:
            row.name, row.updated_at = value, utcnow()
        else:
            continue
        changed.append(f"{st}:{t}")
    if changed:
        audit.record(user.id, "reports.state_names", "reports_state", None, {"changed": changed})
    return changed


def save_questions(user, cat: Category, questions: list, new: dict, old: dict | None, values: list) -> None:
    cat.attributes = questions  # a new list: the JSON column sees the change
    audit.record(
        user.id,
        "reports.question.update" if old else "reports.question.create",
        "reports_category",
        cat.id,
        {
            "category": cat.code,
            "code": new["code"],
            "old_code": old["code"] if old else None,
            "datatype": new["datatype"],
            "required": new["required"],
            "values": [v["key"] for v in values],
        },
    )


def delete_question(user, cat: Category, index: int, code: str) -> None:
    cat.attributes = [dict(q) for i, q in enumerate(cat.attributes or []) if i != index]
    audit.record(user.id, "reports.question.delete", "reports_category", cat.id, {"category": cat.code, "code": code})


# -- set-up: categories, contacts, response templates, Open311 keys ----------------------
def save_category(user, cat: Category | None, *, name, code, group, names, hints, notices) -> Category:
    created = cat is None
    if created:
        cat = Category(attributes=[])
        db.session.add(cat)
    cat.name, cat.code, cat.group = name, code, (group or "").strip() or None
    cat.names, cat.hints, cat.notices = names, hints, notices
    db.session.flush()
    record(
        user,
        "category.create" if created else "category.update",
        "reports_category",
        cat.id,
        code=cat.code,
        name=cat.name,
    )
    return cat


def save_contact(user, contact: Contact | None, body_id: int, cat: Category, data: dict) -> Contact:
    """A body's contact for a category, new (`contact` None) or changed; `data` is the form's."""
    created = contact is None
    if created:
        contact = Contact(body_id=body_id)
        db.session.add(contact)
    contact.category_id, contact.category = cat.id, cat
    contact.send_method = data["send_method"]
    contact.email = (data.get("email") or "").strip().lower() or None
    contact.endpoint = (data.get("endpoint") or "").strip() or None
    contact.jurisdiction_id = (data.get("jurisdiction_id") or "").strip() or None
    contact.service_code = (data.get("service_code") or "").strip() or None
    key_changed = bool(data.get("api_key")) or (data.get("clear_api_key") and contact.api_key is not None)
    if data.get("api_key"):
        contact.api_key = data["api_key"].strip()
    elif data.get("clear_api_key"):
        contact.api_key = None
    contact.active = bool(data.get("active"))
    contact.note = (data.get("note") or "").strip() or None
    db.session.flush()
    # Never the key itself: only whether it changed.
    record(
        user,
        "contact.create" if created else "contact.update",
        "reports_contact",
        contact.id,
        body_id=contact.body_id,
        category=contact.category.code,
        send_method=contact.send_method,
        email=contact.email,
        endpoint=contact.endpoint,
        service_code=contact.service_code,
        active=contact.active,
        api_key_changed=key_changed,
    )
    return contact


def delete_contact(user, row: Contact) -> None:
    record(user, "contact.delete", "reports_contact", row.id, body_id=row.body_id, category=row.category.code)
    db.session.delete(row)


def save_template(user, row: ResponseTemplate | None, data: dict) -> ResponseTemplate:
    created = row is None
    if created:
        row = ResponseTemplate()
    row.title, row.text = data["title"].strip(), data["text"].strip()
    row.state = data.get("state") or None
    row.body_id = int(data["body_id"]) if data.get("body_id") else None
    if created:
        db.session.add(row)
        db.session.flush()
        record(
            user, "template.create", "reports_template", row.id, title=row.title, body_id=row.body_id, state=row.state
        )
    else:
        record(
            user, "template.update", "reports_template", row.id, title=row.title, body_id=row.body_id, state=row.state
        )
    return row


def delete_template(user, row: ResponseTemplate) -> None:
    record(user, "template.delete", "reports_template", row.id, title=row.title)
    db.session.delete(row)


def add_api_key(user, name: str, body_id: int | None) -> tuple[ApiKey, str]:
    row, key = create_api_key(name, body_id)
    db.session.flush()
    record(user, "open311_key.create", "reports_api_key", row.id, name=row.name, prefix=row.prefix, body_id=row.body_id)
    return row, key


def revoke_api_key(user, row: ApiKey) -> bool:
    if row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    record(user, "open311_key.revoke", "reports_api_key", row.id, name=row.name, prefix=row.prefix)
    return True


def suspend_api_key(user, row: ApiKey, suspend: bool) -> bool:
    """Suspend a key in use, or restore a suspended one (audited); False when nothing changes."""
    if row.revoked_at is not None or (row.suspended_at is not None) == suspend:
        return False
    row.suspended_at = utcnow() if suspend else None
    action = "open311_key.suspend" if suspend else "open311_key.restore"
    record(user, action, "reports_api_key", row.id, name=row.name, prefix=row.prefix)
    return True


def retry(user, send: Send) -> bool:
    """An admin tries a failed or waiting send again now (audited); False when it cannot be."""
    if not retry_send(send.id):
        return False
    record(
        user, "send.retry", "reports_send", send.id, report_id=send.report_id, body_id=send.body_id, method=send.method
    )
    return True
