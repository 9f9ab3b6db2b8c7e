"""Signed links (no table: the link itself carries what it is about) and API key hashes."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"reports.{purpose}")


def sign(purpose: str, data) -> str:
    return _serializer(purpose).dumps(data)


def unsign(purpose: str, token: str, max_age: int | None = None):
    """The signed data, or None when the token is forged, for another purpose or too old."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except BadData:
        return None


def hash_key(key: str) -> str:
    """An Open311 API key as stored: only its hash."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
