"""Admin forms (CSRF via Flask-WTF)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])


class BanForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(message=_l("Please give a reason.")), Length(max=2000)]
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class TranslatorForm(FlaskForm):
    locales = SelectMultipleField(
        _l("May translate"),
        choices=[],
        validate_choice=True,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class RedeliverForm(FlaskForm):
    address = EmailField(_l("Deliver as if sent to"), validators=[Optional(), Length(max=320)])


class StaffForm(FlaskForm):
    """One organisation (a directory body id) to add to or remove from a user's staff memberships."""

    body_id = IntegerField(
        _l("Public body"),
        validators=[
            DataRequired(message=_l("Choose a public body.")),
            NumberRange(min=1, max=2**63 - 1, message=_l("Choose a public body.")),
        ],
    )
