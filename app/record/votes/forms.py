"""Query-string forms of the votes pages (GET: no CSRF token, nothing is changed)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import NumberRange, Optional

SORTS = (
    ("position", lazy_pgettext("sort order", "Position")),
    ("name", lazy_pgettext("sort order", "Name")),
    ("votes", lazy_pgettext("sort order", "Number of votes")),
)


class _Get(FlaskForm):
    class Meta:
        csrf = False

    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=100000)])

    def page_number(self) -> int:
        return self.page.data if self.validate() and self.page.data else 1


class PageForm(_Get):
    pass


class PolicyMembersForm(_Get):
    party = StringField(_l("Party"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), choices=SORTS, default="position", validators=[Optional()])
    person = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])

    def clean(self) -> dict:
        ok = self.validate()
        sort = self.sort.data if ok and self.sort.data in dict(SORTS) else "position"
        return {
            "page": self.page.data if ok and self.page.data else 1,
            "party": (self.party.data or "")[:200],
            "sort": sort,
            "person": self.person.data if ok else None,
        }
