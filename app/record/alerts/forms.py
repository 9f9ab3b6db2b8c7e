"""The alert form: an email address and what to follow (a person, words, or a place)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from ..debates.search import words
from .models import KINDS


class AlertForm(FlaskForm):
    kind = HiddenField(validators=[DataRequired()])
    person = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    area = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    keyword = StringField(
        _l("Words to look for in speeches"), validators=[Length(max=200, message=_l("Please use fewer words."))]
    )
    email = EmailField(
        _l("Your email"),
        validators=[
            DataRequired(message=_l("Please give your email address.")),
            Email(message=_l("Please give a valid email address.")),
            Length(max=254),
        ],
    )

    def validate_kind(self, field):
        if field.data not in KINDS:
            raise ValidationError(_l("Please choose what to follow."))

    def validate_keyword(self, field):
        if self.kind.data == "keyword" and not words(field.data):
            raise ValidationError(_l("Please give the words to look for."))
