"""Redaction rules and automatic masking, applied to every displayed and indexed text."""

from __future__ import annotations

import re

from flask import has_request_context, request
from sqlalchemy import and_, or_, select

# Masking lives in core (write masks its answers the same way); FOI's modules import it from here.
from ..core.privacy import EMAIL_RE, PHONE_RE, mask_personal, min_phone_digits  # noqa: E402,F401
from ..extensions import db
from .models import FoiRedaction


def rules_for(request_id: int, user_id: int, authority_id: int) -> list[FoiRedaction]:
    # Cached for one web request only (rules change between requests).
    cache = request.environ.setdefault("plaza.foi_rules", {}) if has_request_context() else {}
    key = (request_id, user_id, authority_id)
    if key not in cache:
        stmt = (
            select(FoiRedaction)
            .where(
                or_(
                    FoiRedaction.scope == "global",
                    and_(FoiRedaction.scope == "request", FoiRedaction.scope_id == request_id),
                    and_(FoiRedaction.scope == "user", FoiRedaction.scope_id == user_id),
                    and_(FoiRedaction.scope == "authority", FoiRedaction.scope_id == authority_id),
                )
            )
            .order_by(FoiRedaction.id)
        )
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


def rules_touch(text: str | None, req) -> bool:
    """Whether any redaction rule for this request matches the text (e.g. an attachment's)."""
    return bool(text) and apply_rules(text, rules_for(req.id, req.user_id, req.authority_id)) != text


_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def filename(att, req) -> str:
    """An attachment's name as the public may see it (rules and masking, like its text), without
    the direction controls that can disguise one ("informe\u202etxt.exe" shown as "informeexe.txt")."""
    return _BIDI.sub("", redact(att.filename, req, personal=True)) or "attachment"
