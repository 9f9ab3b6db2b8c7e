"""FOI's forms (Flask-WTF: CSRF on every one). The field names are those the pages post; the rules
a request's letter must meet live in letters.py, shared with sending, so the form only reads it."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from ..accounts import services as accounts
from ..directory import services as directory
from . import queries
from .labels import scope_label
from .redaction import compile_rule

SCOPES = ("global", "request", "user", "authority")


def typed(form: FlaskForm) -> dict:
    """{field name: what was typed} to show a form again as it was posted."""
    return {f.name: f.raw_data[0] if f.raw_data else "" for f in form if f.raw_data}


class RequestForm(FlaskForm):
    title = StringField()
    letter = TextAreaField()
    action = HiddenField()  # "preview" or "send" (the two buttons)
    previewed = HiddenField()  # the signed digest of what the preview showed


class ClassifyForm(FlaskForm):
    state = StringField(default="")


class FollowupForm(FlaskForm):
    text = TextAreaField(default="")
    target = StringField(default="authority")


class FollowForm(FlaskForm):
    stop = HiddenField()


class ReportForm(FlaskForm):
    reason = TextAreaField(default="")

    @property
    def clean_reason(self) -> str:
        return (self.reason.data or "").strip()[:2000]


class ProminenceForm(FlaskForm):
    prominence = StringField()
    reason = TextAreaField()


def _scope_exists(scope: str, scope_id: int) -> bool:
    if scope == "request":
        return queries.get_request(scope_id) is not None
    if scope == "user":
        return accounts.get_info(scope_id) is not None
    if scope == "authority":
        return directory.get_body(scope_id) is not None
    return True


class RedactionRuleForm(FlaskForm):
    pattern = StringField(default="")
    is_regex = BooleanField(false_values=("", "0", "false"))
    scope = StringField(default="global")
    scope_id = StringField(default="")
    replacement = StringField(default="")
    note = TextAreaField(default="")
    delete = HiddenField()  # the "Delete" button of a listed rule

    def check(self) -> tuple[dict, dict]:
        """(values to store, {field: message})."""
        errors = {}
        pattern = (self.pattern.data or "").strip()
        is_regex = bool(self.is_regex.data)
        scope = self.scope.data if self.scope.data is not None else "global"
        scope_id = (self.scope_id.data or "").strip()
        if not pattern:
            errors["pattern"] = _("Please give the text or pattern to hide.")
        else:
            try:
                compile_rule(pattern, is_regex)
            except re.error as exc:
                errors["pattern"] = _("This regular expression is not valid: %(error)s", error=str(exc))
        number = int(scope_id) if scope_id.isdigit() and len(scope_id) < 10 else None
        if scope not in SCOPES:
            errors["scope"] = _("Please choose a scope.")
        elif scope != "global" and number is None:
            errors["scope_id"] = _("Please give the number of the request, user or authority.")
        elif scope != "global" and not _scope_exists(scope, number):
            errors["scope_id"] = _("There is no %(thing)s.", thing=scope_label(scope, number))
        note = (self.note.data or "").strip()
        if not note:
            errors["note"] = _("Please say why (kept for the audit trail).")
        values = {
            "pattern": pattern,
            "is_regex": is_regex,
            "scope": scope,
            "scope_id": number if scope != "global" else None,
            "replacement": (self.replacement.data or "").strip()[:200] or "[REDACTED]",
            "note": note,
        }
        return values, errors


class HolidayForm(FlaskForm):
    day = StringField(default="")
    name = StringField(default="")
    delete = HiddenField()  # the id of a listed day to remove

    def check(self) -> tuple[dt.date | None, dict]:
        """(the day, {field: message}): a date like 2025-03-31 not already in the list."""
        try:
            day = dt.date.fromisoformat((self.day.data or "").strip())
        except ValueError:
            return None, {"day": _("Please give a date like 2025-03-31.")}
        if queries.holiday_on(day) is not None:
            return day, {"day": _("This day is already in the list.")}
        return day, {}
