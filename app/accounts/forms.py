"""Account forms: labels are lazy strings, validation messages translated."""

from __future__ import annotations

from email_validator import EmailNotValidError
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from .services import MAX_PASSWORD, MIN_PASSWORD, clean_name, needs_smtputf8, normalise_email


def valid_email(form, field):
    try:
        normalise_email(field.data or "")
    except EmailNotValidError:
        if needs_smtputf8(field.data or ""):
            raise ValidationError(
                _l(
                    "Our mail cannot reach addresses with accents or other non-Latin letters before the @. "
                    "Please use another address."
                )
            ) from None
        raise ValidationError(_l("Enter a valid email address, like name@example.org.")) from None


def _required():
    return DataRequired(message=_l("This field is required."))


def _new_password():
    return Length(
        min=MIN_PASSWORD,
        max=MAX_PASSWORD,
        message=lazy_ngettext("Use at least %(num)s character.", "Use at least %(num)s characters.", MIN_PASSWORD),
    )


class SignupForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[_required(), Length(max=200)], filters=[clean_name])
    email = EmailField(_l("Email"), validators=[_required(), Length(max=254), valid_email])
    password = PasswordField(_l("Password"), validators=[_required(), _new_password()])
    next = HiddenField()


class SigninForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[_required(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[_required(), Length(max=MAX_PASSWORD)])
    remember = BooleanField(_l("Keep me signed in on this computer"))
    next = HiddenField()


class EmailOnlyForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[_required(), Length(max=254), valid_email])


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[_required(), _new_password()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[_required(), EqualTo("password", message=_l("The two passwords do not match."))],
    )


class SettingsForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[_required(), Length(max=200)], filters=[clean_name])
    language = SelectField(_l("Language"), choices=[], validate_choice=True)


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[_required(), Length(max=MAX_PASSWORD)])
    password = PasswordField(_l("New password"), validators=[_required(), _new_password()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[_required(), EqualTo("password", message=_l("The two passwords do not match."))],
    )
