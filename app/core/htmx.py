"""htmx helpers: one template renders both the full page and, for HX-Request, a named block."""

from __future__ import annotations

from flask import make_response, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def render(template: str, block: str | None = None, status: int = 200, **context):
    """Render a full page, or only `block` of the same template for htmx requests.

    Any view that may answer with a fragment sends `Vary: HX-Request` on both answers so that
    caches keep the two apart.
    """
    if block and is_htmx():
        html = render_block(template, block, **context)
    else:
        html = render_template(template, **context)
    resp = make_response(html, status)
    if block:
        resp.vary.add("HX-Request")
    return resp
