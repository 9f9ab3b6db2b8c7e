"""Admin forms for persons, organisations, memberships and contact details."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp, ValidationError

from . import langtags, phones

_PARTIAL_DATE = r"^\d{4}(-\d{2}){0,2}$"


def parse_names(text: str) -> dict[str, str]:
    """'cy = Cyngor Caerdydd' lines -> {'cy': 'Cyngor Caerdydd'}; raises ValueError on a bad line."""
    out = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        tag, sep, name = line.partition("=")
        if not sep or not name.strip():
            raise ValueError(line)
        out[langtags.normalise(tag.strip())] = name.strip()
    return out


def _names_check(form, field):
    try:
        parse_names(field.data)
    except ValueError as exc:
        raise ValidationError(_l("Write one name per line as language = name, e.g. “cy = Caerdydd”.")) from exc


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    sort_name = StringField(_l("Name for sorting"), validators=[Optional(), Length(max=300)])
    names = TextAreaField(_l("Names in other languages"), validators=[_names_check])
    email = StringField(
        _l("Email (private: used only to send messages)"),
        validators=[Optional(), Email(message=_l("Enter a valid email address.")), Length(max=254)],
    )
    image = StringField(
        _l("Photo URL"), validators=[Optional(), URL(message=_l("Enter a web address.")), Length(max=1000)]
    )
    gender = StringField(_l("Gender"), validators=[Optional(), Length(max=50)])
    birth_date = StringField(
        _l("Birth date"),
        validators=[Optional(), Regexp(_PARTIAL_DATE, message=_l("Use the form YYYY-MM-DD (or YYYY, YYYY-MM)."))],
    )
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    names = TextAreaField(_l("Names in other languages"), validators=[_names_check])
    classification = StringField(_l("Classification"), validators=[Optional(), Length(max=100)])
    parent_id = SelectField(_l("Part of"), coerce=int, default=0)
    tags = StringField(_l("Tags (separated by ;)"), validators=[Optional(), Length(max=1000)])
    area_codes = StringField(
        _l("Areas served (codes separated by ;, e.g. gss:W06000015)"), validators=[Optional(), Length(max=5000)]
    )
    email = StringField(_l("Contact email"), validators=[Optional(), Email(message=_l("Enter a valid email address."))])
    foi_email = StringField(
        _l("Email for information requests"), validators=[Optional(), Email(message=_l("Enter a valid email address."))]
    )
    website = StringField(
        _l("Website"), validators=[Optional(), URL(message=_l("Enter a web address.")), Length(max=1000)]
    )
    language = StringField(_l("Language for mail (e.g. cy)"), validators=[Optional(), Length(max=35)])

    def validate_language(self, field):
        try:
            field.data = langtags.normalise(field.data)
        except ValueError as exc:
            raise ValidationError(_l("This is not a language tag.")) from exc


class MembershipForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[DataRequired()])
    # Translators: a person's position in an organisation (e.g. "Minister"), not a user's site role.
    role = StringField(lazy_pgettext("position", "Role"), validators=[Optional(), Length(max=200)])
    on_behalf_of_id = SelectField(_l("On behalf of (party)"), coerce=int, default=0)
    area_code = StringField(_l("Area represented (code, e.g. gss:W09000043)"), validators=[Optional(), Length(max=150)])
    legislative_period_id = SelectField(_l("Term"), coerce=int, default=0)
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(_l("End date"), validators=[Optional()])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date is before the start date."))


class ContactForm(FlaskForm):
    type = SelectField(
        _l("Type"),
        choices=[
            ("email", _l("Email")),
            ("voice", _l("Phone")),
            ("fax", _l("Fax")),
            ("address", _l("Address")),
            ("twitter", "X / Twitter"),
            ("other", _l("Other")),
        ],
    )
    value = StringField(_l("Value"), validators=[DataRequired(), Length(max=2000)])
    label = StringField(_l("Label"), validators=[Optional(), Length(max=200)])
    private = BooleanField(_l("Private (never shown nor exported)"))

    def validate_value(self, field):
        if self.type.data == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", field.data.strip()):
            raise ValidationError(_l("Enter a valid email address."))
        if self.type.data in ("voice", "fax"):
            self.normalised = phones.to_e164(field.data)
            if self.normalised is None:
                raise ValidationError(
                    _("Enter a valid phone number, for example %(example)s.", example=phones.example())
                )
