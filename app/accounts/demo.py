"""Demo accounts, so a reviewer can sign in at once (`flask demo load`)."""

from __future__ import annotations

from flask import current_app

from ..core.models import utcnow
from ..extensions import db
from .models import User
from .services import hash_password

DEMO_PASSWORD = "plaza-demo"
DEMO_USERS = (
    ("admin@example.org", "Amina Admin", "admin"),
    ("moderator@example.org", "Mateo Moderator", "moderator"),
    ("citizen@example.org", "Chen Citizen", "citizen"),
)


def load() -> str:
    prof = current_app.extensions["plaza_profile"]
    hashed = hash_password(DEMO_PASSWORD)
    for email, name, role in DEMO_USERS:
        db.session.add(
            User(
                email=email,
                name=name,
                role=role,
                password_hash=hashed,
                language=prof.default_language,
                confirmed_at=utcnow(),
                translator_locales=[],
            )
        )
    db.session.flush()
    emails = ", ".join(e for e, _, _ in DEMO_USERS)
    return f"Demo accounts: {emails} (password: {DEMO_PASSWORD})."
