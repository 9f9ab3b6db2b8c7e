"""Admin pages for mail (outbox, holding pen) and the audit log."""

from __future__ import annotations

import json
import re
from email.utils import getaddresses

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..accounts import services as accounts
from ..core import audit
from ..core.auth import admin_required, moderator_required
from ..core.exports import csv_response
from ..core.mail import InboxMessage, inbox, outbox
from ..core.pagination import current_page
from ..extensions import db
from . import labels, queries
from .blueprint import bp
from .forms import ReasonForm, RedeliverForm
from .queries import OUTBOX_FILTERS

CSV_LIMIT = 100_000  # rows in one download (the newest)
# Local addresses (the incoming domain may be "localhost") are fine here: a plain shape check.
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+")


def _outbox_status() -> str:
    status = request.args.get("status", "pending")
    return status if status in OUTBOX_FILTERS else "pending"


def _iso(value) -> str:
    return value.isoformat() if value else ""


@bp.route("/outbox.csv")
@moderator_required
def outbox_csv():
    status = _outbox_status()
    rows, _total = queries.outbox_rows(status, CSV_LIMIT, count=False)
    return csv_response(
        f"outbox-{status}.csv",
        ["id", "created_at", "status", "to", "subject", "language", "attempts", "last_error", "sent_at"],
        (
            (
                m.id,
                _iso(m.created_at),
                m.status,
                m.to_addr,
                m.subject,
                m.language or "",
                m.attempts,
                m.last_error or "",
                _iso(m.sent_at),
            )
            for m in rows
        ),
    )


@bp.route("/outbox/")
@moderator_required
def outbox_list():
    status = _outbox_status()
    page = current_page()
    rows, total = queries.outbox_rows(status, page.limit, page.offset)
    return render_template(
        "admin/outbox.html",
        rows=rows,
        status=status,
        filters=OUTBOX_FILTERS,
        stats=outbox.stats(),
        page=page.number,
        total=total,
        has_next=page.has_next(total),
        args={"status": status},
        form=ReasonForm(formdata=None),
    )


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@admin_required
def outbox_retry(message_id):
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    row = queries.outbox_message(message_id)
    if row is None:
        abort(404)
    old_status = row.status
    if outbox.retry(message_id):
        audit.record(current_user.id, "outbox.retry", "outbox", message_id, {"from": old_status})
        db.session.commit()
        flash(_("The message will be sent again shortly."), "success")
    else:
        flash(_("This message was already sent."), "error")
    return redirect(url_for("admin.outbox_list", status=request.args.get("status", "failed")), 303)


@bp.route("/outbox/retry-all", methods=["POST"])
@admin_required
def outbox_retry_all():
    """Send every failed (or every retrying) message again now: after an outage, one press."""
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    which = "retrying" if request.args.get("status") == "retrying" else "failed"
    count = outbox.retry_all(which)
    if count:
        audit.record(
            current_user.id,
            "outbox.retry_all",
            "outbox",
            None,
            {"status": which, "count": count},
            reason=(form.reason.data or "").strip() or None,
        )
    db.session.commit()
    flash(
        ngettext("%(num)s message will be sent again shortly.", "%(num)s messages will be sent again shortly.", count),
        "success",
    )
    return redirect(url_for("admin.outbox_list", status=which), 303)


def _inbox_status() -> str:
    """holding (default), dismissed, or new: stored but not processed yet (an interrupted delivery
    leaves a message so until the jobs worker or a redelivery processes it)."""
    status = request.args.get("status")
    return status if status in ("dismissed", "new") else "holding"


@bp.route("/inbox/")
@admin_required
def inbox_list():
    """The holding pen; ?status=dismissed lists what admins dismissed (it can be put back)."""
    page = current_page()
    status = _inbox_status()
    rows, total = queries.inbox_rows(status, page.limit, page.offset)
    args = {"status": status} if status != "holding" else {}
    return render_template(
        "admin/inbox.html",
        rows=rows,
        page=page.number,
        total=total,
        status=status,
        has_next=page.has_next(total),
        args=args,
    )


@bp.route("/inbox.csv")
@admin_required
def inbox_csv():
    status = _inbox_status()
    rows, _total = queries.inbox_rows(status, CSV_LIMIT, count=False)
    return csv_response(
        f"inbox-{status}.csv",
        ["id", "received_at", "status", "from", "subject", "message_id", "note", "suggestion", "error"],
        (
            (
                m.id,
                _iso(m.received_at),
                m.status,
                m.from_addr or "",
                m.subject or "",
                m.message_id or "",
                labels.inbox_note(m.note),
                m.suggestion or "",
                m.error or "",
            )
            for m in rows
        ),
    )


def _readable(row: InboxMessage):
    """Headers and a plain-text body of a stored message; HTML is shown as source text only."""
    msg = inbox.parse_bytes(row.raw)
    headers = []
    for name, value in msg.items():
        try:
            headers.append((name, str(value)))
        except Exception:  # noqa: BLE001 - a broken header is shown as best we can
            headers.append((name, repr(value)))
    text, is_html = "", False
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
        if part is not None:
            text = part.get_content()
            is_html = part.get_content_type() == "text/html"
    except Exception:  # noqa: BLE001
        text = row.raw.decode("utf-8", "replace")
    attachments = []
    try:
        attachments = [p.get_filename() or p.get_content_type() for p in msg.iter_attachments()]
    except Exception:  # noqa: BLE001
        pass
    return headers, text, is_html, attachments


@bp.route("/inbox/<int:inbox_id>")
@admin_required
def inbox_item(inbox_id):
    row = queries.inbox_message(inbox_id)
    if row is None:
        abort(404)
    headers, text, is_html, attachments = _readable(row)
    recipients = [a for _, a in getaddresses([v for n, v in headers if n.lower() in ("to", "cc")]) if a]
    # A component's suggested address (e.g. the request a mistyped code most likely meant) comes first,
    # so redelivering really is one click.
    suggested = [row.suggestion] if row.suggestion and _ADDRESS.fullmatch(row.suggestion.strip().lower()) else []
    form = RedeliverForm(formdata=None, address=(suggested or row.envelope_to or recipients or [""])[0])
    return render_template(
        "admin/inbox_item.html",
        row=row,
        headers=headers,
        text=text,
        is_html=is_html,
        attachments=attachments,
        form=form,
        dismiss_form=ReasonForm(formdata=None),
    )


@bp.route("/inbox/<int:inbox_id>/redeliver", methods=["POST"])
@admin_required
def inbox_redeliver(inbox_id):
    row = queries.inbox_message(inbox_id)
    if row is None:
        abort(404)
    form = RedeliverForm()
    address = (form.address.data or "").strip().lower() if form.validate_on_submit() else None
    if form.errors or (address and not _ADDRESS.fullmatch(address)):
        if address:
            form.address.errors = [_("Enter a valid email address, like name@example.org.")]
        headers, text, is_html, attachments = _readable(row)
        return render_template(
            "admin/inbox_item.html",
            row=row,
            headers=headers,
            text=text,
            is_html=is_html,
            attachments=attachments,
            form=form,
            dismiss_form=ReasonForm(formdata=None),
        ), 422
    status = inbox.redeliver(inbox_id, address or None)  # commits the outcome itself
    audit.record(current_user.id, "inbox.redeliver", "inbox", inbox_id, {"address": address or None, "result": status})
    db.session.commit()
    if status == "processed":
        flash(_("The message was delivered."), "success")
    else:
        flash(_("Still nobody claimed the message; it stays in the holding pen."), "error")
    return redirect(url_for("admin.inbox_item", inbox_id=inbox_id), 303)


def _move_held(inbox_id, from_status: str, to_status: str, action: str, done: str):
    """Dismiss a held message, or put a dismissed one back: one audited, reasoned status change."""
    row = queries.inbox_message(inbox_id)
    if row is None:
        abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    if row.status == from_status:
        row.status = to_status
        audit.record(
            current_user.id,
            action,
            "inbox",
            inbox_id,
            {"subject": row.subject},
            reason=(form.reason.data or "").strip() or None,
        )
        db.session.commit()
        flash(done, "success")


@bp.route("/inbox/<int:inbox_id>/dismiss", methods=["POST"])
@admin_required
def inbox_dismiss(inbox_id):
    _move_held(inbox_id, "holding", "dismissed", "inbox.dismiss", _("The message was dismissed."))
    return redirect(url_for("admin.inbox_list"), 303)


@bp.route("/inbox/<int:inbox_id>/restore", methods=["POST"])
@admin_required
def inbox_restore(inbox_id):
    """Put a dismissed message back in the holding pen (dismissed by mistake)."""
    _move_held(inbox_id, "dismissed", "holding", "inbox.restore", _("The message is back in the holding pen."))
    return redirect(url_for("admin.inbox_item", inbox_id=inbox_id), 303)


@bp.route("/audit.csv")
@admin_required
def audit_csv():
    object_type = (request.args.get("type") or "").strip()[:40] or None
    items, _total = audit.entries(object_type=object_type, limit=CSV_LIMIT)
    actors = {u.id: u for u in accounts.users_info({e.actor_id for e in items if e.actor_id})}
    return csv_response(
        "audit.csv",
        ["id", "created_at", "actor_id", "actor", "action", "what", "object_type", "object_id", "detail", "reason"],
        (
            (
                e.id,
                _iso(e.created_at),
                e.actor_id or "",
                actors[e.actor_id].name if e.actor_id in actors else "",
                e.action,
                labels.audit_label(e.action),
                e.object_type or "",
                e.object_id or "",
                json.dumps(e.detail or {}, ensure_ascii=False, sort_keys=True),
                e.reason or "",
            )
            for e in items
        ),
    )


@bp.route("/audit/")
@admin_required
def audit_log():
    page = current_page()
    object_type = (request.args.get("type") or "").strip()[:40] or None
    items, total = audit.entries(object_type=object_type, limit=page.limit, offset=page.offset)
    actors = {u.id: u for u in accounts.users_info({e.actor_id for e in items if e.actor_id})}
    args = {"type": object_type} if object_type else {}
    return render_template(
        "admin/audit.html",
        items=items,
        actors=actors,
        total=total,
        page=page.number,
        has_next=page.has_next(total),
        args=args,
    )
