"""A draft request checked before it is sent: its summary, its letter, personal data in it."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from .laws import letter_template
from .redaction import EMAIL_RE, mask_personal

TITLE_MAX, LETTER_MAX = 200, 20000


def text_key(text: str) -> str:
    """A comparison key: accents, case and punctuation ignored (duplicates, generic titles)."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode() or (text or "")
    return " ".join(re.findall(r"\w+", text.lower()))[:300]


def N_(text: str) -> str:
    """Marks a phrase for the catalog; it is translated where it is used."""
    return text


# Translators: summaries that only say "this is a request", refused as titles (case and accents
# are ignored); give the usual way of saying each in your language.
GENERIC_TITLES = (
    N_("FOI request"),
    N_("Freedom of information request"),
    N_("Request"),
    N_("Information request"),
    N_("Request for information"),
    N_("Access to information request"),
)


def generic_title_keys() -> set[str]:
    """The generic titles in English and in the page's language, as comparison keys."""
    return {text_key(p) for p in GENERIC_TITLES} | {text_key(_(p)) for p in GENERIC_TITLES}


def validate_draft(body, title: str, letter: str, lang: str | None = None) -> dict:
    """{field: message} for a draft; empty when it may be sent."""
    errors = {}
    title = (title or "").strip()
    # Lengths first: nothing else reads a text longer than the limit.
    if len(title) > TITLE_MAX:
        errors["title"] = _("Please keep the summary under 200 characters.")
    elif len(title) < 8 or not re.search(r"[^\W\d_]{3}", title):
        errors["title"] = _("Please give a short summary of what you ask for, at least a few words long.")
    elif text_key(title) in generic_title_keys():
        errors["title"] = _("Please describe what you ask for, not just that it is a request.")
    letter = (letter or "").strip()
    if len(letter) > LETTER_MAX:
        errors["letter"] = _("Please keep your letter under 20,000 characters.")
    elif not letter or text_key(letter) == text_key(letter_template(body, lang)):
        errors["letter"] = _("Please write your request in the letter: say what information you want.")
    return errors


def personal_data_warnings(text: str) -> list[str]:
    """Warnings about addresses and phone numbers; none for a letter over the limit (refused
    anyway: masking is not run on text nobody may send)."""
    out = []
    if len((text or "").strip()) > LETTER_MAX:
        return out
    if EMAIL_RE.search(text or ""):
        out.append(_("Your letter contains an email address. It will be published: remove it unless it must be there."))
    if _("[phone number]") in mask_personal(EMAIL_RE.sub("", text or "")):
        out.append(
            _(
                "Your letter contains what looks like a phone number. It will be published: remove it unless it must be there."
            )
        )
    return out
