"""Report forms (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    MultipleFileField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from .text import DETAIL_MAX, TITLE_MAX, xml_safe

# Free text loses characters XML forbids (they would break every feed and Open311 list).
CLEAN = [xml_safe]


class DetailsForm(FlaskForm):
    lat = HiddenField()
    lon = HiddenField()
    category = HiddenField()
    title = StringField(
        _l("Summary of the problem"),
        filters=CLEAN,
        validators=[DataRequired(message=_l("Please give the problem a short summary.")), Length(max=TITLE_MAX)],
    )
    detail = TextAreaField(_l("Details"), filters=CLEAN, validators=[Optional(), Length(max=DETAIL_MAX)])
    photos = MultipleFileField(_l("Photos (up to 3: JPEG, PNG or WebP)"))
    name = StringField(
        _l("Your name"), filters=CLEAN, validators=[DataRequired(message=_l("Please give your name.")), Length(max=200)]
    )
    email = EmailField(
        _l("Your email"),
        validators=[
            DataRequired(message=_l("Please give your email address.")),
            Email(message=_l("Please give a valid email address.")),
            Length(max=254),
        ],
    )
    show_name = BooleanField(_l("Show my name publicly"), default=False)


class UpdateForm(FlaskForm):
    text = TextAreaField(_l("Your update"), filters=CLEAN, validators=[Optional(), Length(max=DETAIL_MAX)])
    photo = MultipleFileField(_l("Photo"))
    fixed = BooleanField(_l("This problem has been fixed"))
    reopen = BooleanField(_l("This problem has not been fixed: reopen it"))
    name = StringField(_l("Your name"), filters=CLEAN, validators=[Optional(), Length(max=200)])
    email = EmailField(
        _l("Your email"),
        validators=[Optional(), Email(message=_l("Please give a valid email address.")), Length(max=254)],
    )
    show_name = BooleanField(_l("Show my name publicly"), default=False)

    def validate_for(self, signed_in: bool) -> bool:
        """Validate; someone signed out must also give a name and an email address."""
        valid = self.validate()
        if not signed_in:
            if not self.name.data:
                self.name.errors = [_l("Please give your name.")]
            if not self.email.data:
                self.email.errors = [_l("Please give your email address.")]
        return valid and not self.name.errors and not self.email.errors


class SupportForm(FlaskForm):
    email = EmailField(
        _l("Your email"), validators=[Optional(), Email(message=_l("Please give a valid email address."))]
    )


class AlertForm(FlaskForm):
    kind = HiddenField()
    target = HiddenField()
    email = EmailField(
        _l("Your email"),
        validators=[
            DataRequired(message=_l("Please give your email address.")),
            Email(message=_l("Please give a valid email address.")),
        ],
    )


class StaffUpdateForm(FlaskForm):
    state = SelectField(_l("State"), validators=[Optional()])
    category = SelectField(_l("Category"), validators=[Optional()])
    template = SelectField(_l("Response template"), validators=[Optional()])
    text = TextAreaField(_l("Public update"), filters=CLEAN, validators=[Optional(), Length(max=DETAIL_MAX)])
    note = TextAreaField(
        _l("Private note (staff only)"), filters=CLEAN, validators=[Optional(), Length(max=DETAIL_MAX)]
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), filters=CLEAN, validators=[DataRequired(message=_l("Please give a reason.")), Length(max=2000)]
    )


# -- admin: categories, contacts, response templates, Open311 keys ---------------------
def _http_url(form, field):
    if field.data and not field.data.strip().startswith(("http://", "https://")):
        raise ValidationError(_l("Give a web address starting with http:// or https://."))


def _code(form, field):
    if field.data and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", field.data.strip()):
        raise ValidationError(_l("Use only letters, digits, dots, hyphens and underscores."))


class CategoryForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(message=_l("Please give the category a name.")), Length(max=200)]
    )
    code = StringField(_l("Code (the Open311 service code)"), validators=[Optional(), Length(max=80), _code])
    group = StringField(_l("Group"), validators=[Optional(), Length(max=200)])


def category_form(languages, default_tag):
    """A CategoryForm with a name, hint and notice field per profile language (the default
    language's name is `name`)."""

    class Form(CategoryForm):
        pass

    for lang in languages:
        key = lang.tag.replace("-", "_")
        # The language's own name inside a sentence of the page's language: marked (WCAG 3.1.2).
        name = Markup('<span lang="{}">{}</span>').format(lang.tag, lang.name)
        if lang.tag != default_tag:
            setattr(
                Form,
                f"name_{key}",
                StringField(_l("Name in %(language)s", language=name), validators=[Optional(), Length(max=200)]),
            )
        setattr(
            Form,
            f"hint_{key}",
            TextAreaField(_l("Hint in %(language)s", language=name), validators=[Optional(), Length(max=1000)]),
        )
        setattr(
            Form,
            f"notice_{key}",
            TextAreaField(_l("Notice in %(language)s", language=name), validators=[Optional(), Length(max=2000)]),
        )
    return Form


class ContactForm(FlaskForm):
    category = SelectField(_l("Category"), validators=[DataRequired(message=_l("Please choose a category."))])
    send_method = SelectField(_l("Send by"), default="email")
    email = EmailField(
        _l("Email"), validators=[Optional(), Email(message=_l("Please give a valid email address.")), Length(max=254)]
    )
    endpoint = StringField(_l("Open311 endpoint"), validators=[Optional(), Length(max=500), _http_url])
    jurisdiction_id = StringField(_l("Open311 jurisdiction_id"), validators=[Optional(), Length(max=200)])
    service_code = StringField(_l("The body's Open311 service_code"), validators=[Optional(), Length(max=200)])
    api_key = PasswordField(_l("Open311 API key"), validators=[Optional(), Length(max=200)])
    clear_api_key = BooleanField(_l("Remove the saved API key"))
    active = BooleanField(_l("Active: send reports of this category to this body"), default=True)
    note = TextAreaField(_l("Note (admins only)"), validators=[Optional(), Length(max=2000)])


class TemplateForm(FlaskForm):
    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Please give the template a title.")), Length(max=200)]
    )
    text = TextAreaField(
        _l("Text"), validators=[DataRequired(message=_l("Please write the template's text.")), Length(max=DETAIL_MAX)]
    )
    state = SelectField(_l("Sets the state to"), validators=[Optional()], default="")
    body_id = SelectField(_l("For"), validators=[Optional()], default="")


class ApiKeyForm(FlaskForm):
    name = StringField(
        _l("Client name"), validators=[DataRequired(message=_l("Please name the client.")), Length(max=200)]
    )


class QuestionForm(FlaskForm):
    code = StringField(
        _l("Code (the Open311 attribute code)"),
        validators=[DataRequired(message=_l("Please give the question a code.")), Length(max=80), _code],
    )
    # Translators: the kind of answer a category's extra question expects
    datatype = SelectField(_l("Kind of answer"), default="string")
    required = BooleanField(_l("People must answer it"))
    order = IntegerField(
        _l("Position"),
        validators=[Optional(), NumberRange(min=1, max=999, message=_l("Give a whole number from 1 to 999."))],
    )
    values = TextAreaField(_l("Choices"), validators=[Optional(), Length(max=10000)])


def question_form(languages, default_tag):
    """A QuestionForm with the question's text per profile language (required in the default one)."""

    class Form(QuestionForm):
        pass

    for lang in languages:
        key = lang.tag.replace("-", "_")
        checks = [Length(max=1000)]
        checks.insert(
            0,
            DataRequired(message=_l("Please write the question in this language."))
            if lang.tag == default_tag
            else Optional(),
        )
        setattr(
            Form,
            f"description_{key}",
            StringField(_l("Question in %(language)s", language=lang.name), validators=checks),
        )
        if lang.tag != default_tag:  # the default names are in `values`
            setattr(
                Form,
                f"values_{key}",
                TextAreaField(
                    _l("Choice names in %(language)s", language=lang.name), validators=[Optional(), Length(max=10000)]
                ),
            )
    return Form
