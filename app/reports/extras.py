"""What reports add to other pages through the registry: area section, dashboard, demo, inbox."""

from __future__ import annotations

import re
import statistics

from sqlalchemy import func, select

from ..core.mail import OutboxMessage, hashes_match, parse_reply_address, reply_address
from ..core.mail.addresses import address_hash
from ..core.mail.parsing import parse
from ..core.mail.quoting import fold_quoted
from ..core.privacy import EMAIL_RE
from ..directory import services as directory
from ..extensions import db
from . import states as S
from .demo import load
from .geometry import area_bbox, fmt_bbox
from .models import Category, Contact, Report, Send, Update
from .queries import categories_of_body, recent
from .settings import current_language_tag
from .text import xml_safe
from .updates import body_reply


def area_section(area_id):
    reports, more = recent(area_id=area_id, limit=5)
    # "Report a problem" opens the clickable map on this area.
    box = area_bbox(area_id)
    box = fmt_bbox(box) if box is not None else None
    return "reports/_area_section.html", {
        "reports": reports,
        "area_id": area_id,
        "more": more,
        "tag": current_language_tag(),
        "S": S,
        "bbox": box,
    }


def body_section(org_id):
    """On a public body's page: its latest reports, and links to all of them and their alerts.
    Nothing for organisations that receive no reports and have none (parties, legislatures)."""
    reports, more = recent(body_id=org_id, limit=5)
    if not reports and not categories_of_body(org_id):
        return None
    return "reports/_body_section.html", {"reports": reports, "body_id": org_id, "S": S}


def dashboard_panel():
    """Counts for the admin dashboard; each links to the admin list filtered the same way."""
    tag = current_language_tag()
    by_state = dict(db.session.execute(select(Report.state, func.count()).group_by(Report.state)).all())
    cat_counts = db.session.execute(
        select(Report.category_id, func.count(Report.id))
        .group_by(Report.category_id)
        .order_by(func.count(Report.id).desc())
        .limit(10)
    ).all()
    cats = {
        c.id: c
        for c in db.session.scalars(select(Category).where(Category.id.in_([cid for cid, _n in cat_counts] or [-1])))
    }
    by_category = [(cats[cid].code, cats[cid].label(tag), n) for cid, n in cat_counts if cid in cats]
    # By body id (names are shown in the reader's language, whatever language they were sent in).
    body_counts = db.session.execute(
        select(Send.body_id, func.count(func.distinct(Send.report_id)))
        .where(Send.status.in_(("sent", "queued")), Send.update_id.is_(None))
        .group_by(Send.body_id)
    ).all()
    names = {b.id: b.name for b in directory.bodies([bid for bid, _n in body_counts])}
    by_body = sorted(((bid, names.get(bid, str(bid)), n) for bid, n in body_counts), key=lambda x: x[1].casefold())
    durations = [
        (f - c).total_seconds() / 86400
        for c, f in db.session.execute(
            select(Report.created_at, Report.fixed_at).where(Report.fixed_at.is_not(None)).limit(10000)
        )
    ]
    unsent = (
        db.session.scalar(
            select(func.count()).select_from(Report).where(Report.state.in_(S.OPEN_STATES), Report.sent_at.is_(None))
        )
        or 0
    )
    failed = db.session.scalar(select(func.count(func.distinct(Send.report_id))).where(Send.status == "failed")) or 0
    removals = (
        db.session.scalar(
            select(func.count())
            .select_from(Report)
            .where(Report.removal_requested_at.is_not(None), Report.state != "unconfirmed")
        )
        or 0
    )
    return "reports/_dashboard.html", {
        "by_state": by_state,
        "by_category": by_category,
        "by_body": by_body,
        "median_days": statistics.median(durations) if durations else None,
        "unsent": unsent,
        "failed": failed,
        "removals": removals,
        "S": S,
    }


REDACTED = "[…]"


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower() if "@" in (address or "") else ""


def _body_addresses(report) -> dict[str, int]:
    """The addresses the report went to (its contacts' and its bodies' own), with each body id."""
    known: dict[str, int] = {}
    for send in report.sends:
        contact = db.session.get(Contact, send.contact_id) if send.contact_id else None
        if contact is not None and contact.email:
            known.setdefault(contact.email.strip().lower(), send.body_id)
    for body in directory.bodies(list(report.body_ids or [])):
        if body.email:
            known.setdefault(body.email.strip().lower(), body.id)
    return known


def _sender_body(report, sender: str) -> int | None:
    """The body a reply comes from: its address is one the report went to, or shares its domain
    (a council officer answering from their own mailbox). None: not from a body of this report."""
    known = _body_addresses(report)
    sender = (sender or "").strip().lower()
    if sender in known:
        return known[sender]
    domain = _domain(sender)
    return next((body for addr, body in known.items() if domain and _domain(addr) == domain), None)


def _our_lines(report) -> set[str]:
    """Lines of the mails we sent about this report (to its bodies): quoted back without any
    "> " in a reply, they mark where the reply ends."""
    lines = set()
    for text in db.session.scalars(
        select(OutboxMessage.body_text).where(OutboxMessage.reply_to == reply_address("report", report.id)).limit(50)
    ):
        lines.update(x.strip() for x in (text or "").splitlines() if len(x.strip()) >= 12)
    return lines


def reply_text(report, text: str) -> str:
    """What is published of a body's emailed reply: the reply itself, without the quoted original
    (">" lines, Outlook's "-----Original Message-----" or "From: … Sent: …" blocks, our own mail
    pasted back) and without any email address (the reporter's above all) or the reporter's phone."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    main, _folded = fold_quoted(text)
    ours, kept = _our_lines(report), []
    for line in main.split("\n"):
        if line.lstrip().startswith(">") or (kept and line.strip() in ours):
            break
        kept.append(line)
    # The linear finder (a `[chars]+@…` regex takes the square of a long word without "@").
    out = EMAIL_RE.sub(REDACTED, "\n".join(kept))
    if report.email:
        out = re.sub(re.escape(report.email), REDACTED, out, flags=re.I)
    phone = (report.phone or "").strip()
    if len(phone) >= 5:
        out = out.replace(phone, REDACTED)
    return xml_safe(out).strip()[:4000]


def inbox_handler(item):
    """Replies from a body to report-<id>-<hash>@… become body updates on the report. Bounces are
    held for an admin (the body's address may be wrong), auto-replies are taken and dropped, and a
    reply from an address that is not one of the report's bodies is held: nothing is published
    that the body did not write."""
    for addr in item.recipients:
        parsed = parse_reply_address(addr, "report")
        if not parsed:
            continue
        report_id, given = parsed
        if not hashes_match(address_hash(report_id, "report"), given):
            # Looks like ours but the code is wrong (mistyped or forged): an admin decides.
            item.hold("reply to a report address with a wrong code", suggestion=f"report {report_id}")
            return None
        report = db.session.get(Report, report_id)
        if report is None:
            item.hold("reply to an unknown report", suggestion=f"report {report_id}")
            return None  # held, not claimed: dispatch stops at a held message
        ext = f"mail:{item.message_id}"
        if db.session.scalar(select(Update.id).where(Update.external_id == ext)):
            return "reports"
        mail = parse(item.raw)
        if mail.is_bounce:
            item.hold("a report's mail to a body bounced: check the body's address", suggestion=f"report {report_id}")
            return None
        if mail.is_auto_reply:
            return "reports"  # an out-of-office answer: nothing to publish
        body_id = _sender_body(report, mail.from_addr or item.from_addr or "")
        if body_id is None:
            item.hold(
                "reply to a report address from an address that is not the body's", suggestion=f"report {report_id}"
            )
            return None
        text = reply_text(report, mail.text)
        if not text:
            item.hold("reply to a report address with no text of its own", suggestion=f"report {report_id}")
            return None
        body_reply(report, text=text, external_id=ext, body_id=body_id)
        return "reports"
    return None


def demo_loader():
    return load()
