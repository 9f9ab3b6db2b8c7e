"""Forms for writing, hiding and moderating (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length

from .operations import BODY_MAX, SUBJECT_MAX


class WriteForm(FlaskForm):
    """Recipients (`person`, repeated) are read by the view: only current representatives count."""

    subject = StringField(
        _l("Subject"),
        validators=[
            DataRequired(message=_l("Please give your message a subject.")),
            Length(
                max=SUBJECT_MAX,
                message=lazy_ngettext(
                    "Please keep the subject under %(num)s character.",
                    "Please keep the subject under %(num)s characters.",
                    SUBJECT_MAX,
                ),
            ),
        ],
    )
    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(message=_l("Please write your message.")),
            Length(
                max=BODY_MAX,
                message=lazy_ngettext(
                    "Please keep your message under %(num)s character.",
                    "Please keep your message under %(num)s characters.",
                    BODY_MAX,
                ),
            ),
        ],
    )
    name = StringField(
        _l("Your name"), validators=[DataRequired(message=_l("Please give your name.")), Length(max=200)]
    )
    email = EmailField(
        _l("Your email"),
        validators=[
            DataRequired(message=_l("Please give your email address.")),
            Email(message=_l("Please give a valid email address.")),
            Length(max=254),
        ],
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Public reason"), validators=[DataRequired(message=_l("Please give a reason.")), Length(max=2000)]
    )
