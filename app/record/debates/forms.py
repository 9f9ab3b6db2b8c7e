"""Forms of the debates part: searching speeches (GET, no CSRF needed) and matching a speaker."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search changes nothing; its URL is shared and bookmarked

    q = StringField(_l("Words to find"), validators=[Length(max=200, message=_l("Please use fewer words."))])
    speaker = IntegerField(_l("Speaker"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    # Translators: the first day of a date range when searching speeches
    since = DateField(lazy_pgettext("date range", "From"), validators=[Optional()], render_kw={"type": "date"})
    # Translators: the last day of a date range when searching speeches
    until = DateField(lazy_pgettext("date range", "To"), validators=[Optional()], render_kw={"type": "date"})

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must not be before the start date."))


class MatchSpeakerForm(FlaskForm):
    """The person a printed speaker name stands for: a directory id, or a name borne by exactly one person."""

    person = StringField(
        _l("Person (their number or full name)"),
        validators=[DataRequired(message=_l("Please say who this speaker is.")), Length(max=300)],
    )
