"""Helpers every test folder shares: users, signing in, the CLI, and the Welsh test data in
tests/data (import as `from helpers import ...`; tests/ is on sys.path through its conftest)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

TEST_DATA = Path(__file__).resolve().parent / "data"
WALES = TEST_DATA / "wales"  # boundaries subset, see tests/data/SOURCE.md
POPOLO = WALES / "ep-popolo-v1.0.json"
POPOLO_SCHEMAS = TEST_DATA / "popolo_schemas"
CARDIFF = (51.4816, -3.1791)  # Cardiff city centre: Cardiff Central, South Wales Central, Cathays ward

PASSWORD = "correct horse battery"

WELSH_TYPES = [
    ("SPE", "1", "Senedd region", "Rhanbarth y Senedd"),
    ("SPC", "2", "Senedd constituency", "Etholaeth y Senedd"),
    ("UTA", "2", "Council", "Cyngor"),
    ("UTW", "3", "Ward", "Ward"),
]
WELSH_IMPORTS = [
    [
        "nawer.json",
        "--type",
        "SPE",
        "--name-field",
        "NAWER13NM",
        "--name-field-cy",
        "NAWER13NMW",
        "--code-field",
        "NAWER13CD",
    ],
    ["nawc.json", "--type", "SPC", "--name-field", "NAWC13NM", "--code-field", "NAWC13CD", "--parent-type", "SPE"],
    ["lad.json", "--type", "UTA", "--name-field", "LAD13NM", "--name-field-cy", "LAD13NMW", "--code-field", "LAD13CD"],
    [
        "wards_by_lad",
        "--type",
        "UTW",
        "--name-field",
        "WD13NM",
        "--name-field-cy",
        "WD13NMW",
        "--code-field",
        "WD13CD",
        "--parent-type",
        "UTA",
    ],
]


def cli(app_or_runner, *args, input=None):
    """Run a flask command (through an app or its CLI runner); it must succeed."""
    runner = app_or_runner.test_cli_runner() if hasattr(app_or_runner, "test_cli_runner") else app_or_runner
    result = runner.invoke(args=list(args), input=input)
    assert result.exit_code == 0, result.output
    return result


def import_welsh_areas(app, imports=WELSH_IMPORTS) -> None:
    """The Welsh area types, then the boundary files of tests/data/wales (all four by default)."""
    for code, level, en, cy in WELSH_TYPES:
        cli(app, "areas", "type", code, "--level", level, "--name", f"en={en}", "--name", f"cy={cy}")
    for args in imports:
        cli(
            app, "areas", "import-geojson", str(WALES / args[0]), *args[1:], "--name-lang", "en", "--code-scheme", "gss"
        )


def use_welsh_languages(app, **profile):
    """Swap the app's profile for one in English and Welsh (plus any other profile fields given)."""
    from app.profiles import Language

    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(
        prof,
        languages=(prof.language("en"), Language("cy", "Cymraeg", "cy", "cy_GB")),
        default_language="en",
        **profile,
    )
    return app


def make_user(
    email="user@example.org",
    name="Una User",
    role="citizen",
    confirmed=True,
    language=None,
    password=None,
    staff_of=(),
    translator_locales=(),
):
    """A committed user; with a password (hashed as the app does) when one is given."""
    from app.accounts.models import StaffMembership, User
    from app.accounts.services import hash_password
    from app.core.models import utcnow
    from app.extensions import db

    user = User(
        email=email,
        name=name,
        role=role,
        language=language,
        password_hash=hash_password(password) if password else None,
        confirmed_at=utcnow() if confirmed else None,
        translator_locales=list(translator_locales),
    )
    for org in staff_of:
        user.staff_of.append(StaffMembership(organisation_id=org))
    db.session.add(user)
    db.session.commit()
    return user


def sign_in(client, user):
    """Sign `client` in as `user` (a User or its id) the way Flask-Login remembers it."""
    from app.accounts.models import User
    from app.extensions import db

    # get_id() starts a server-side sign-in (a row the user loader checks): committed here.
    if not isinstance(user, User):
        with client.application.app_context():
            key = db.session.get(User, int(user)).get_id()
            db.session.commit()
    else:
        key = user.get_id()
        db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = str(key)
        sess["_fresh"] = True
    return client


def sign_in_with_password(client, email, password=PASSWORD, lang="en", **extra):
    """Sign in through the real form (the response is a 303 on success)."""
    return client.post(f"/{lang}/accounts/signin", data={"email": email, "password": password, **extra})


def popolo_validators() -> dict:
    """Draft-03 validators for the Popolo schemas, by name ("person", "organization" ...)."""
    import json

    from jsonschema import Draft3Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT3

    schemas = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in POPOLO_SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (s["id"], Resource.from_contents(s, default_specification=DRAFT3)) for s in schemas.values()
    )
    return {name: Draft3Validator(s, registry=registry, format_checker=FormatChecker()) for name, s in schemas.items()}
