"""Changes the site's team makes: redaction rules, prominence, holidays. Each is in the audit log;
they flush, never commit."""

from __future__ import annotations

import datetime as dt

from ..core import audit
from ..extensions import db
from .models import FoiHoliday, FoiRedaction, FoiRequest
from .operations import recompute_due_dates
from .search import PENDING


def _rule_detail(rule: FoiRedaction) -> dict:
    return {
        "pattern": rule.pattern,
        "regex": rule.is_regex,
        "scope": rule.scope,
        "scope_id": rule.scope_id,
        "replacement": rule.replacement,
    }


def save_rule(user, rule: FoiRedaction | None, values: dict) -> FoiRedaction:
    """Create (rule None) or change a redaction rule. The requests the old scope reached are
    reindexed too (search.py notes the new one)."""
    if rule is None:
        rule = FoiRedaction(created_by=user.id)
        db.session.add(rule)
        action = "foi.redaction.create"
    else:
        action = "foi.redaction.update"
    old_scope = (rule.scope, rule.scope_id)
    for key, value in values.items():
        setattr(rule, key, value)
    db.session.flush()
    if old_scope[0]:
        db.session.info.setdefault(PENDING, set()).add(old_scope)
    audit.record(user.id, action, "foi_redaction", rule.id, _rule_detail(rule), reason=values["note"])
    return rule


def delete_rule(user, rule: FoiRedaction) -> None:
    audit.record(user.id, "foi.redaction.delete", "foi_redaction", rule.id, _rule_detail(rule))
    db.session.delete(rule)


def set_prominence(user, kind: str, item, value: str, reason: str | None) -> FoiRequest:
    """Set who may see a request, message or attachment; returns the request it belongs to."""
    item.prominence = value
    item.prominence_reason = reason or None
    audit.record(
        user.id, "foi.prominence", f"foi_{kind}", item.id, {"prominence": value}, reason=item.prominence_reason
    )
    return item if kind == "request" else (item.request if kind == "message" else item.message.request)


def add_holiday(user, day: dt.date, name: str) -> int:
    """Add a non-working day; returns how many open requests' due dates moved."""
    holiday = FoiHoliday(day=day, name=name[:200])
    db.session.add(holiday)
    db.session.flush()
    audit.record(
        user.id, "foi.holiday.create", "foi_holiday", holiday.id, {"day": day.isoformat(), "name": holiday.name}
    )
    return recompute_due_dates(day)


def delete_holiday(user, holiday: FoiHoliday) -> None:
    audit.record(user.id, "foi.holiday.delete", "foi_holiday", holiday.id, {"day": holiday.day.isoformat()})
    db.session.delete(holiday)
    db.session.flush()
    recompute_due_dates(holiday.day)
