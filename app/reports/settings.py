"""What reports read from the country profile and the request: languages, distances, links."""

from __future__ import annotations

from flask import current_app, has_request_context

from ..core.i18n import current_language
from ..core.mail import external_url
from ..core.profile import current_profile


def current_language_tag() -> str:
    try:
        return current_language().tag
    except Exception:  # noqa: BLE001 - outside a request
        return current_profile().default_language


def mail_language(tag: str | None) -> str:
    """The language a mail's links are in: the recipient's, when the profile offers it."""
    prof = current_profile()
    return tag if tag and prof.language(tag) else prof.default_language


def link(endpoint: str, **values) -> str:
    """An absolute URL for emails and API answers, also outside a request (jobs, CLI). Mails pass
    lang=<the recipient's language> (see mail_language), else the page's language is used."""
    if has_request_context():
        return external_url(endpoint, **values)
    with current_app.test_request_context(base_url=current_app.config["SERVER_BASE_URL"]):
        return external_url(endpoint, **values)


# Alerts "near here": the profile may set reports.alert_distance_m (see alert_distance_m()); until
# it does, the radius is this many times the duplicate-search distance, kept within sane bounds.
ALERT_DISTANCE_FACTOR = 20
ALERT_DISTANCE_MIN_M, ALERT_DISTANCE_MAX_M = 500, 20_000


def alert_distance_m() -> int:
    """The radius of a "new reports near here" alert, from the country profile."""
    prof = current_profile()
    explicit = getattr(prof, "report_alert_distance_m", None)
    value = explicit or prof.report_duplicate_distance_m * ALERT_DISTANCE_FACTOR
    return int(min(max(value, ALERT_DISTANCE_MIN_M), ALERT_DISTANCE_MAX_M))
