"""Fixtures for account tests: users made through the real model, and a sign-in helper."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.accounts.services import hash_password
from app.core.models import utcnow
from app.extensions import db

PASSWORD = "correct horse battery"


@pytest.fixture
def make_user():
    def make(email="ana@example.org", name="Ana", role="citizen", confirmed=True, language="en", password=PASSWORD):
        user = User(email=email, name=name, role=role, language=language, password_hash=hash_password(password),
                    confirmed_at=utcnow() if confirmed else None, translator_locales=[])
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def signin():
    def do(client, email="ana@example.org", password=PASSWORD, lang="en", **extra):
        return client.post(f"/{lang}/accounts/signin", data={"email": email, "password": password, **extra})

    return do
