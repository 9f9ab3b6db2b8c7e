"""Personal data in published text: email addresses and phone numbers masked, as Alaveteli does.

Shared by every component that publishes mail it received (FOI replies, answers to messages).
Strict about phone numbers on purpose: figures are the content of replies and must survive.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from flask import current_app, has_app_context
from flask_babel import gettext as _

_LOCAL_RUN = re.compile(r"[\w.+'-]*")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*")


class _Found:
    """What a regex match offers the callers of the email finder: span, start, end, group(0)."""

    __slots__ = ("string", "_start", "_end")

    def __init__(self, string: str, start: int, end: int):
        self.string, self._start, self._end = string, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return self._start, self._end

    def group(self, index: int = 0) -> str:
        if index:
            raise IndexError("the email finder has no groups")
        return self.string[self._start : self._end]


class EmailFinder:
    r"""Email addresses in text, found in time linear in the text's length.

    A single regex such as `[\w.+'-]+@[\w-]+…` tries every start position of a long word that has
    no "@" and scans to its end each time: the square of the word's length (40,000 characters took
    25 s). Here each "@" is the anchor: the local part is the run of address characters just before
    it (ending at the previous "@" at the latest) and the domain the labels just after it, so every
    character is looked at a bounded number of times. Offers search/finditer/sub like a compiled
    pattern, so callers need not change."""

    def finditer(self, text: str):
        if not text:
            return
        end_of_last, size = 0, len(text)
        backwards = None  # the text reversed, made once: the local part is matched leftwards in it
        at = text.find("@")
        while at != -1:
            if backwards is None:
                backwards = text[::-1]
            local = _LOCAL_RUN.match(backwards, size - at, size - end_of_last)
            start = at - (local.end() - local.start())
            domain = _DOMAIN.match(text, at + 1)
            if start < at and domain:
                end_of_last = domain.end()
                yield _Found(text, start, end_of_last)
                at = text.find("@", end_of_last)
            else:
                end_of_last = max(end_of_last, at + 1)
                at = text.find("@", at + 1)

    def search(self, text: str):
        return next(self.finditer(text), None)

    def sub(self, repl, text: str) -> str:
        pieces, last = [], 0
        for found in self.finditer(text):
            pieces.append(text[last : found.start()])
            pieces.append(repl(found) if callable(repl) else repl)
            last = found.end()
        if not pieces:
            return text
        pieces.append(text[last:])
        return "".join(pieces)


EMAIL_RE = EmailFinder()
# A candidate: digits with spaces, dots, dashes or brackets between them. Not followed by ":" so that
# a date and time ("16.6.2016 20:22:39") is not read as one number. Whether a candidate is a phone
# number is decided by `_is_phone`, strictly: figures are the content of replies and must survive.
PHONE_RE = re.compile(r"(?<![\w/.,+-])(?:\+|00)?\(?\d[\d ().-]{6,}\d(?![\w/:])")
DEFAULT_MIN_DIGITS = 9
# Words that say a number is a phone number (English, Spanish, French, Welsh, Arabic), "contact"
# among them: "contact my caseworker on 07700 900123".
_PHONE_WORDS = re.compile(
    r"(\b(tel|tlf|tfno|telf|phone|telephone|mobile|cell|fax|call|ring|whatsapp|sms|m[oó]vil|celular|"
    r"tel[eé]fono|llame\w*|ll[aá]me\w*|llamar\w*|t[eé]l[eé]phone|t[eé]l|portable|appel\w*|ff[oô]n|ffoniwch"
    r"|contact|contactar\w*|contacte\w*|contacter|cysylltu|cysylltwch)\b"
    r"|هاتف|الهاتف|جوال|الجوال|موبايل|فاكس|اتصل|هـ)[^\n\d]{0,30}$",
    re.I,
)
_CURRENCY_BEFORE = re.compile(r"([€$£¥₹]|\b(bs|usd|eur|gbp|jod|jd|cad|bob|us\$|s/|eur|rs)\.?)\s*$", re.I)
_UNIT_AFTER = re.compile(
    r"^\s*([€$£%‰]|(euros?|eur|usd|d[oó]lares|dollars?|bolivianos|bs\b|pesos|libras|pounds|dinars?|jod|jd"
    r"|dirhams?|cad|gbp|m2|m²|km|kg|ha|toneladas|tonnes|habitantes|personas|people|residents|unidades|units"
    r"|millones|millions?|mil)\b|دينار|دولار|ريال)",
    re.I,
)
_YEAR = r"(?:1[89]|20)\d\d"
_YEARS = re.compile(rf"{_YEAR}(?:\s*[-–/ ]\s*{_YEAR})+")
_THOUSANDS = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*(?:[.,]\d+)?")
_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+")
_DECIMAL = re.compile(r"\d+[.,]\d+")
_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{2,4}")


@lru_cache(maxsize=32)
def _region_min_digits(region: str) -> int:
    """Fewest digits a phone number has in the profile's region (8 in Bolivia or Jordan), at most 9."""
    try:
        kinds = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE)
        lengths = [
            len(str(n.national_number))
            for n in (phonenumbers.example_number_for_type(region, k) for k in kinds)
            if n is not None
        ]
    except Exception:  # noqa: BLE001 - an unknown region keeps the default
        lengths = []
    return min([DEFAULT_MIN_DIGITS, *lengths])


def _region() -> str:
    return current_app.extensions["plaza_profile"].phone_region if has_app_context() else "ZZ"


def min_phone_digits() -> int:
    if not has_app_context():
        return DEFAULT_MIN_DIGITS
    return _region_min_digits(_region())


@lru_cache(maxsize=4096)
def _valid_in(number: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except Exception:  # noqa: BLE001 - not a number phonenumbers understands
        return False


def _is_phone(candidate: str, before: str, after: str, least: int, region: str) -> bool:
    """Whether a run of digits is a phone number. Strict on purpose: amounts ("340.000.000 euros",
    "Bs 12 500 000"), years and ranges of years ("2020-2025"), decimals and coordinates
    ("40.416775"), dates and tables of figures stay as they are. A number is a phone number when it
    is written in international form (+34 …, 0034 …), when a word like "Tel." or "llame" comes just
    before it, or when it is a valid number of the profile's region written like one."""
    text = candidate.strip()
    digits = re.sub(r"\D", "", text)
    if not least <= len(digits) <= 15:
        return False
    international = text.startswith(("+", "00"))
    if _YEARS.fullmatch(text) or _DATE.fullmatch(text):
        return False
    if not international and (_CURRENCY_BEFORE.search(before[-12:]) or _UNIT_AFTER.match(after[:20])):
        return False
    if international:
        return len(digits) >= 8
    keyword = bool(_PHONE_WORDS.search(before[-45:]))
    figure = bool(_THOUSANDS.fullmatch(text) or _DECIMAL.fullmatch(text))
    if keyword:
        return True
    if figure:
        return False
    groups = [g for g in re.split(r"[^\d]+", text) if g]
    if len(groups) > 5 or sum(len(g) > 4 for g in groups[1:]) > 1:
        return False  # a row of figures, or a range of large numbers
    if not _valid_in(digits, region):
        return False
    # A valid number written as a phone number: all in one, or in short groups, or with an area code.
    return len(groups) == 1 or "(" in text or not _SPACED_THOUSANDS.fullmatch(text) or text.startswith("0")


def mask_personal(text: str, keep: tuple[str, ...] = ()) -> str:
    """Mask email addresses and phone numbers (never figures, dates or reference numbers).
    `keep`: addresses (lower case) left as they are."""
    if not text:
        return text or ""

    def email(m):
        # Translators: shown in published text in place of an email address
        return m.group(0) if m.group(0).lower() in keep else _("[email address]")

    least, region = min_phone_digits(), _region()
    text = EMAIL_RE.sub(email, text)

    def phone(m):
        candidate = m.group(0).rstrip(" .-(")
        trailing = m.group(0)[len(candidate) :]
        if candidate.count("(") != candidate.count(")") and not candidate.startswith("("):
            return m.group(0)
        before, after = text[max(0, m.start() - 60) : m.start()], text[m.end() : m.end() + 30]
        if _is_phone(candidate, before, trailing + after, least, region):
            # Translators: shown in published text in place of a phone number
            return _("[phone number]") + trailing
        return m.group(0)

    return PHONE_RE.sub(phone, text)
