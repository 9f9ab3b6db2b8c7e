"""Redaction rules and automatic masking, applied to every displayed and indexed text."""

from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app, has_app_context, has_request_context, request
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ..extensions import db
from .models import FoiRedaction

EMAIL_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.U)
# Not followed by ":" so that a date and time ("16.6.2016 20:22:39") is not read as one number.
PHONE_RE = re.compile(r"(?<![\w/.-])(?:\+|00)?\d[\d ().-]{6,}\d(?![\w/:])")
DEFAULT_MIN_DIGITS = 9


@lru_cache(maxsize=32)
def _region_min_digits(region: str) -> int:
    """Fewest digits a phone number has in the profile's region (8 in Bolivia or Jordan), at most 9."""
    try:
        import phonenumbers

        kinds = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)
        lengths = [len(str(n.national_number)) for n in
                   (phonenumbers.example_number_for_type(region, k) for k in kinds) if n is not None]
    except Exception:  # noqa: BLE001 - an unknown region keeps the default
        lengths = []
    return min([DEFAULT_MIN_DIGITS, *lengths])


def min_phone_digits() -> int:
    if not has_app_context():
        return DEFAULT_MIN_DIGITS
    return _region_min_digits(current_app.extensions["plaza_profile"].phone_region)


def mask_personal(text: str, keep: tuple[str, ...] = ()) -> str:
    """Mask email addresses and phone numbers (not dates or reference numbers with few digits)."""
    if not text:
        return text or ""

    def email(m):
        return m.group(0) if m.group(0).lower() in keep else _("[email address]")

    least = min_phone_digits()

    def phone(m):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) < least or len(digits) > 15 or re.fullmatch(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}", m.group(0)):
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


def rules_touch(text: str | None, req) -> bool:
    """Whether any redaction rule for this request matches the text (e.g. an attachment's)."""
    return bool(text) and apply_rules(text, rules_for(req.id, req.user_id, req.authority_id)) != text


def filename(att, req) -> str:
    """An attachment's name as the public may see it (rules and masking, like its text)."""
    return redact(att.filename, req, personal=True) or "attachment"
