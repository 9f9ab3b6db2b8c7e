"""What reports add to other pages through the registry: area section, dashboard, demo, inbox."""

from __future__ import annotations

import statistics

from sqlalchemy import func, select

from ..core.models import utcnow
from ..extensions import db
from . import services as svc
from . import states as S
from .models import Category, Report, Send, Update


def area_section(area_id):
    reports, more = svc.recent(area_id=area_id, limit=5)
    return "reports/_area_section.html", {"reports": reports, "area_id": area_id, "more": more,
                                          "tag": svc.current_language_tag(), "S": S}


def dashboard_panel():
    """Counts for the admin dashboard; each links to the admin list filtered the same way."""
    tag = svc.current_language_tag()
    by_state = dict(db.session.execute(select(Report.state, func.count()).group_by(Report.state)).all())
    cat_counts = db.session.execute(
        select(Report.category_id, func.count(Report.id)).group_by(Report.category_id)
        .order_by(func.count(Report.id).desc()).limit(10)).all()
    cats = {c.id: c for c in db.session.scalars(select(Category).where(
        Category.id.in_([cid for cid, _n in cat_counts] or [-1])))}
    by_category = [(cats[cid].code, cats[cid].label(tag), n) for cid, n in cat_counts if cid in cats]
    # By body id (names are shown in the reader's language, whatever language they were sent in).
    body_counts = db.session.execute(select(Send.body_id, func.count(func.distinct(Send.report_id)))
                                     .where(Send.status.in_(("sent", "queued")), Send.update_id.is_(None))
                                     .group_by(Send.body_id)).all()
    names = {b.id: b.name for b in svc.directory().bodies([bid for bid, _n in body_counts])}
    by_body = sorted(((bid, names.get(bid, str(bid)), n) for bid, n in body_counts), key=lambda x: x[1].casefold())
    durations = [(f - c).total_seconds() / 86400 for c, f in db.session.execute(
        select(Report.created_at, Report.fixed_at).where(Report.fixed_at.is_not(None)).limit(10000))]
    unsent = db.session.scalar(select(func.count()).select_from(Report).where(
        Report.state.in_(S.OPEN_STATES), Report.sent_at.is_(None))) or 0
    failed = db.session.scalar(select(func.count(func.distinct(Send.report_id))).where(Send.status == "failed")) or 0
    removals = db.session.scalar(select(func.count()).select_from(Report).where(
        Report.removal_requested_at.is_not(None), Report.state != "unconfirmed")) or 0
    return "reports/_dashboard.html", {
        "by_state": by_state, "by_category": by_category, "by_body": by_body,
        "median_days": statistics.median(durations) if durations else None, "unsent": unsent,
        "failed": failed, "removals": removals, "S": S,
    }


def inbox_handler(item):
    """Replies from a body to report-<id>-<hash>@… become body updates on the report."""
    from ..core.mail import hashes_match, parse_reply_address
    from ..core.mail.addresses import address_hash

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
        msg = item.message
        part = msg.get_body(preferencelist=("plain",)) if msg.is_multipart() else msg
        try:
            text = part.get_content() if part is not None else ""
        except Exception:  # noqa: BLE001 - odd charsets must not stop delivery
            text = ""
        # Keep the reply itself, not the quoted report below it.
        kept = []
        for line in str(text).splitlines():
            if line.startswith(">"):
                break
            kept.append(line)
        upd = Update(report_id=report.id, kind="body", text="\n".join(kept).strip()[:4000],
                     email=None, name="", external_id=ext, confirmed_at=utcnow(),
                     body_id=report.body_ids[0] if report.body_ids else None)
        db.session.add(upd)
        db.session.flush()
        report.lastupdate_at = utcnow()
        from . import alerts

        alerts.notify_update(report, upd)  # the reporter and the report's followers hear of it
        return "reports"
    return None


def demo_loader():
    from .demo import load

    return load()
