"""Extra questions of a category (Open311 "attributes"), stored in Category.attributes as a list
in display order: {"code", "datatype", "required", "description" (default language),
"descriptions": {lang: text}, "values": [{"key", "name" (default language), "names": {lang: name}}]}.
Checking a citizen's answers."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation

import flask_babel
from flask_babel import lazy_gettext as _l

from ..core.formatting import format_datetime, format_number

# Translators: kinds of answer an admin can choose for a category's extra question
DATATYPES = {
    "string": _l("Short text"),
    "text": _l("Long text"),
    "number": _l("Number"),
    "datetime": _l("Date and time"),
    "singlevaluelist": _l("One choice from a list"),
    "multivaluelist": _l("Several choices from a list"),
}
LIST_TYPES = ("singlevaluelist", "multivaluelist")


def description(question: dict, tag: str | None, empty: str | None = None) -> str:
    """The question's text in this language, its base language, else the default text (else
    `empty`, by default the question's code)."""
    texts = question.get("descriptions") or {}
    tag = tag or ""
    found = texts.get(tag) or texts.get(tag.split("-")[0]) or question.get("description")
    return found or (question["code"] if empty is None else empty)


def choice_name(choice: dict, tag: str | None) -> str:
    """A list choice's name in this language, its base language, else the default name (else its key).
    Choices stored before names per language existed have only "name"."""
    names = choice.get("names") or {}
    tag = tag or ""
    return names.get(tag) or names.get(tag.split("-")[0]) or choice.get("name") or str(choice.get("key", ""))


def _shown(question: dict, value, tag: str | None) -> str:
    """One stored answer as text: a choice's name, a number or date in the locale, else as given."""
    text = str(value)
    kind = question.get("datatype", "string")
    if kind in LIST_TYPES:
        names = {str(v.get("key")): choice_name(v, tag) for v in question.get("values", [])}
        return names.get(text) or text
    try:
        if kind == "number":
            return format_number(Decimal(text))
        if kind == "datetime":
            when = dt.datetime.fromisoformat(text)
            if when.tzinfo is None:  # a citizen's wall-clock time: in the profile's time zone, unshifted
                zone = flask_babel.get_timezone()
                when = zone.localize(when) if hasattr(zone, "localize") else when.replace(tzinfo=zone)
            return format_datetime(when)
    except (ValueError, InvalidOperation):
        pass
    return text


def answer_rows(questions, answers, tag: str | None) -> list[tuple[str, list[str]]]:
    """A report's answers to show, in question order: [(question text, [answer texts])].
    Answers to questions the category no longer asks are left out."""
    rows = []
    answers = answers if isinstance(answers, dict) else {}
    for q in questions or []:
        given = answers.get(q.get("code"))
        given = [v for v in (given if isinstance(given, list) else [given]) if v not in (None, "")]
        if given:
            rows.append((description(q, tag), [_shown(q, v, tag) for v in given]))
    return rows


def check_answers(questions, getlist):
    """Answers from a form (getlist("attribute[CODE]")): (answers, {code: message})."""
    answers, problems = {}, {}
    for q in questions or []:
        code, kind = q["code"], q.get("datatype", "string")
        values = [v.strip() for v in getlist(f"attribute[{code}]") if v.strip()]
        if not values:
            if q.get("required"):
                problems[code] = _l("Please answer this question.")
            continue
        if kind in LIST_TYPES:
            keys = {str(v.get("key")) for v in q.get("values", [])}
            if any(v not in keys for v in values) or (kind == "singlevaluelist" and len(values) > 1):
                problems[code] = _l("Please choose from the list.")
                continue
            answers[code] = values if kind == "multivaluelist" else values[0]
            continue
        value = values[0][:2000]
        if kind == "number":
            try:
                if not math.isfinite(float(value)):
                    raise ValueError
            except ValueError:
                problems[code] = _l("Please give a number.")
                continue
        if kind == "datetime":
            try:
                dt.datetime.fromisoformat(value)
            except ValueError:
                problems[code] = _l("Please give a date and time like 2024-05-31 14:30.")
                continue
        answers[code] = value
    return answers, problems
