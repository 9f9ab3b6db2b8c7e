"""What the translation status page counts as missing in reports' content: category names and
hints, state names (registered with registry.add_content_status)."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l

from ...core.profile import current_profile
from .. import states as S
from . import queries as AQ


def content_status(tag: str):
    default = current_profile().default_language
    cats = AQ.categories_by_name()
    base = tag.split("-")[0]
    if tag == default:
        names = hints = 0
    else:
        names = sum(1 for c in cats if not ((c.names or {}).get(tag) or (c.names or {}).get(base)))
        hints = sum(
            1
            for c in cats
            if (c.hints or {}).get(default) and not ((c.hints or {}).get(tag) or (c.hints or {}).get(base))
        )
    custom = S.custom_names()
    # a state renamed in the default language but not in this one shows the built-in name here
    state_names = (
        0
        if tag == default
        else sum(
            1 for st in S.STATES if custom.get((st, default)) and not (custom.get((st, tag)) or custom.get((st, base)))
        )
    )
    url = url_for("reports_admin.categories")
    return [
        (_l("Category names"), names, url),
        (_l("Category hints"), hints, url),
        (_l("Report state names"), state_names, url_for("reports_admin.states")),
    ]
