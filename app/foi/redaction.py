"""Redaction rules and automatic masking, applied to every displayed and indexed text."""

from __future__ import annotations

import re

from flask import has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ..extensions import db
from .models import FoiRedaction

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.U)
PHONE_RE = re.compile(r"(?<![\w/.-])(?:\+|00)?\d[\d ().-]{7,}\d(?![\w/])")


def mask_personal(text: str, keep: tuple[str, ...] = ()) -> str:
    """Mask email addresses and phone numbers (not dates or reference numbers with few digits)."""
    if not text:
        return text or ""

    def email(m):
        return m.group(0) if m.group(0).lower() in keep else _("[email address]")

    def phone(m):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) < 9 or len(digits) > 15 or re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}", m.group(0)):
            return m.group(0)
        return _("[phone number]")

    return PHONE_RE.sub(phone, EMAIL_RE.sub(email, text))


def rules_for(request_id: int, user_id: int, authority_id: int) -> list[FoiRedaction]:
    # Cached for one web request only (rules change between requests).
    cache = request.environ.setdefault("plaza.foi_rules", {}) if has_request_context() else {}
    key = (request_id, user_id, authority_id)
    if key not in cache:
        stmt = select(FoiRedaction).where(or_(
            FoiRedaction.scope == "global",
            and_(FoiRedaction.scope == "request", FoiRedaction.scope_id == request_id),
            and_(FoiRedaction.scope == "user", FoiRedaction.scope_id == user_id),
            and_(FoiRedaction.scope == "authority", FoiRedaction.scope_id == authority_id),
        )).order_by(FoiRedaction.id)
        cache[key] = list(db.session.scalars(stmt))
    return cache[key]


def forget_rules() -> None:
    if has_request_context():
        request.environ.pop("plaza.foi_rules", None)


def compile_rule(pattern: str, is_regex: bool) -> re.Pattern:
    """Raises re.error for a bad regular expression (forms show it next to the field)."""
    return re.compile(pattern if is_regex else re.escape(pattern), re.I)


def apply_rules(text: str, rules) -> str:
    for rule in rules:
        try:
            text = compile_rule(rule.pattern, rule.is_regex).sub(lambda _m, r=rule: r.replacement, text)
        except re.error:
            continue
    return text


def redact(text: str | None, req, *, personal: bool = False) -> str:
    """The text as the public may see it: redaction rules, and for replies masked emails/phones."""
    text = text or ""
    if personal:
        text = mask_personal(text)
    return apply_rules(text, rules_for(req.id, req.user_id, req.authority_id))
