"""Render the sections other components add to a page (area page, person page ...).

A section function takes the page's object id and returns ``(template, context)`` or None when it
has nothing to show. A failing section is logged and left out: it must not take the page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from flask import render_template
from markupsafe import Markup

log = logging.getLogger(__name__)


def render_sections(funcs: Iterable[Callable], object_id: int) -> list[Markup]:
    out = []
    for func in funcs:
        try:
            result = func(object_id)
            if result:
                template, ctx = result
                out.append(Markup(render_template(template, **ctx)))
        except Exception:  # a broken section must not take the page down
            log.exception("section %r failed for %s", func, object_id)
    return out
