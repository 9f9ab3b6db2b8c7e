"""Template helpers of the directory's public pages: contact-detail labels and values, and
whether the Content-Security-Policy lets a person's image show."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import pgettext

from . import phones
from .blueprint import bp

_CONTACT_LABELS = {
    # Translators: kinds of contact detail shown on a person's or organisation's page
    "voice": lambda: pgettext("contact", "Phone"),
    "cell": lambda: pgettext("contact", "Mobile phone"),
    "fax": lambda: pgettext("contact", "Fax"),
    "address": lambda: pgettext("contact", "Address"),
    "twitter": lambda: "X / Twitter",
    "facebook": lambda: "Facebook",
}


@bp.context_processor
def _labels():
    def contact_label(kind):
        label = _CONTACT_LABELS.get((kind or "").lower())
        return label() if label else kind

    def contact_value(c):
        return phones.display(c.value) if (c.type or "").lower() in ("voice", "fax") else c.value

    return {"contact_label": contact_label, "contact_value": contact_value, "image_allowed": image_allowed}


def image_allowed(url: str | None) -> bool:
    """Whether the Content-Security-Policy lets the page show this image (its img-src: this site
    and PLAZA_IMG_SOURCES). An image it would block is left out rather than shown broken."""
    if not url:
        return False
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc:
        return True  # this site's own
    if parts.scheme == "data":
        return True
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    here = request.scheme if request else "https"
    if parts.netloc == request.host and parts.scheme == here:
        return True
    sources = current_app.config.get("CSP_IMG_SOURCES") or []
    if isinstance(sources, str):
        sources = sources.split()
    for src in sources:
        if "://" not in src and src.endswith(":"):  # a scheme source such as "https:"
            if parts.scheme == src[:-1]:
                return True
            continue
        scheme_given = "://" in src
        sp = urlsplit(src if scheme_given else "//" + src)
        if scheme_given and sp.scheme != parts.scheme and not (sp.scheme == "http" and parts.scheme == "https"):
            continue
        if not scheme_given and parts.scheme != here and not (here == "http" and parts.scheme == "https"):
            continue
        host = (sp.hostname or "").lower()
        target = parts.hostname.lower()
        if host.startswith("*."):
            if not target.endswith(host[1:]):
                continue
        elif host != target:
            continue
        if sp.path and sp.path != "/":
            if not (parts.path.startswith(sp.path) if sp.path.endswith("/") else parts.path == sp.path):
                continue
        return True
    return False
