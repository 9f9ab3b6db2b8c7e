"""Admin test fixtures: users of each role and a client signed in as one of them."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.accounts.services import hash_password
from app.core.models import utcnow
from app.extensions import db

PASSWORD = "admin test password"


@pytest.fixture
def make_user():
    def make(email, role="citizen", name=None, confirmed=True):
        user = User(email=email, name=name or email.split("@")[0].title(), role=role, language="en",
                    password_hash=hash_password(PASSWORD), confirmed_at=utcnow() if confirmed else None,
                    translator_locales=[])
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def as_role(app, make_user):
    """as_role("admin") -> (client signed in with that role, the user)."""

    def signed_in(role, email=None):
        user = make_user(email or f"{role}@example.org", role=role)
        client = app.test_client()
        resp = client.post("/en/accounts/signin", data={"email": user.email, "password": PASSWORD})
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
    admin = User(email="admin@example.org", name="Admin", role="admin", language="fr",
                 password_hash=hash_password(PASSWORD), confirmed_at=utcnow(), translator_locales=[])
    db.session.add(admin)
    db.session.commit()
    client = app.test_client()
    assert client.post("/fr/accounts/signin", data={"email": admin.email, "password": PASSWORD}).status_code == 303
    return client, admin
