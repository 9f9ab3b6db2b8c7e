"""Admin test fixtures: users of each role and a client signed in as one of them."""

from __future__ import annotations

import pytest
from helpers import make_user as _make_user
from helpers import sign_in_with_password

PASSWORD = "admin test password"


@pytest.fixture
def make_user():
    def make(email, role="citizen", name=None, confirmed=True):
        return _make_user(
            email, name or email.split("@")[0].title(), role, confirmed=confirmed, language="en", password=PASSWORD
        )

    return make


@pytest.fixture
def as_role(app, make_user):
    """as_role("admin") -> (client signed in with that role, the user)."""

    def signed_in(role, email=None):
        user = make_user(email or f"{role}@example.org", role=role)
        client = app.test_client()
        resp = sign_in_with_password(client, user.email, PASSWORD)
        assert resp.status_code == 303, resp.get_data(as_text=True)
        return client, user

    return signed_in


def french_catalog(directory, messages: dict) -> str:
    """Compile a French catalog into directory/fr/LC_MESSAGES; keys are msgids or (context, msgid).
    Returns the directory, for PLAZA_TRANSLATIONS_DIR."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="fr", domain="messages")
    for key, text in messages.items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        catalog.add(msgid, text, context=context)
    out = directory / "fr" / "LC_MESSAGES"
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "messages.mo", "wb") as fh:
        write_mo(fh, catalog)
    return str(directory)


def signed_in_french_admin(app):
    """(client signed in at /fr/ as a French-speaking admin, the admin); needs an app context."""
    admin = _make_user("admin@example.org", "Admin", "admin", language="fr", password=PASSWORD)
    client = app.test_client()
    assert sign_in_with_password(client, admin.email, PASSWORD, lang="fr").status_code == 303
    return client, admin
