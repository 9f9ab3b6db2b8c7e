"""Fixtures for account tests: users with a password (the shared make_user), and signing in
through the real form."""

from __future__ import annotations

import pytest
from helpers import PASSWORD, sign_in_with_password
from helpers import make_user as _make_user

__all__ = ["PASSWORD"]


@pytest.fixture
def make_user():
    def make(email="ana@example.org", name="Ana", role="citizen", confirmed=True, language="en", password=PASSWORD):
        return _make_user(email, name, role, confirmed=confirmed, language=language, password=password)

    return make


@pytest.fixture
def signin():
    def do(client, email="ana@example.org", password=PASSWORD, lang="en", **extra):
        return sign_in_with_password(client, email, password, lang, **extra)

    return do
