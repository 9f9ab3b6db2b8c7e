"""Subscribing, confirming and unsubscribing (flush, never commit). Links in emails carry
signed tokens (itsdangerous, the app's secret, one salt per purpose), so no token is stored."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import select

from ...core.mail import external_url, queue_email
from ...core.models import utcnow
from ...directory import services as directory
from ...extensions import db
from .models import Alert

CONFIRM_MAX_AGE = 14 * 24 * 3600


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"record.alerts.{purpose}")


def token(purpose: str, alert: Alert | None = None, email: str | None = None) -> str:
    """A signed link token: for one alert, or (unsubscribe) for every alert of an address."""
    data = {"a": alert.id, "e": alert.email} if alert is not None else {"e": email}
    return _serializer(purpose).dumps(data)


def from_token(purpose: str, value: str, max_age: int | None = None) -> list[Alert] | None:
    """The alerts a token names (None when forged, expired or for another purpose)."""
    try:
        data = _serializer(purpose).loads(value, max_age=max_age)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    stmt = select(Alert).where(Alert.email == data["e"])
    if "a" in data:
        stmt = stmt.where(Alert.id == data["a"])
    return list(db.session.scalars(stmt.order_by(Alert.id)))


def mail_language(tag: str | None) -> str:
    prof = current_app.extensions["plaza_profile"]
    return tag if tag and prof.language(tag) else prof.default_language


def unsubscribe_url(email: str, language: str) -> str:
    return external_url(
        "record.alert_unsubscribe", token=token("unsubscribe", email=email), lang=mail_language(language)
    )


def describe(alert: Alert, names: dict[int, str] | None = None) -> str:
    """What the alert follows, in a sentence fragment of the current language."""
    if alert.kind == "person":
        name = (names or {}).get(alert.person_id)
        if name is None:
            person = directory.get_person(alert.person_id)
            name = person.name if person else "?"
        return _("votes and speeches of %(name)s", name=name)
    if alert.kind == "keyword":
        return _("speeches that mention “%(words)s”", words=alert.keyword or "")
    return _("votes and speeches of whoever represents %(place)s", place=alert.place_label or "?")


def subscribe(
    kind: str, email: str, language: str, user_id: int | None = None, confirmed: bool = False, **target
) -> Alert:
    """The alert (an existing one for the same address and target is reused); unless confirmed at
    once, an email asks to confirm it."""
    email = email.strip().lower()
    stmt = select(Alert).where(Alert.kind == kind, Alert.email == email, Alert.unsubscribed_at.is_(None))
    for key in ("person_id", "keyword", "area_id", "lat", "lon"):
        stmt = stmt.where(
            getattr(Alert, key) == target[key] if target.get(key) is not None else getattr(Alert, key).is_(None)
        )
    alert = db.session.scalar(stmt.limit(1))
    if alert is None:
        alert = Alert(kind=kind, email=email, language=language, user_id=user_id, **target)
        db.session.add(alert)
        db.session.flush()
    if alert.confirmed_at is None:
        if confirmed:
            confirm(alert)
        else:
            queue_email(
                email,
                "record/email/alert_confirm.txt",
                {
                    "what": describe(alert),
                    "url": external_url(
                        "record.alert_confirm", token=token("confirm", alert), lang=mail_language(language)
                    ),
                },
                language=language,
            )
    return alert


def confirm(alert: Alert) -> bool:
    if alert.confirmed_at is not None or alert.unsubscribed_at is not None:
        return False
    alert.confirmed_at = alert.last_digest_at = utcnow()
    return True


def unsubscribe(alerts) -> int:
    count = 0
    for alert in alerts:
        if alert.unsubscribed_at is None:
            alert.unsubscribed_at = utcnow()
            count += 1
    db.session.flush()
    return count
