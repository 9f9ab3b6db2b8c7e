"""A deployment runs only the components it lists (plus their dependencies), and nothing of the others."""

from __future__ import annotations

import sys

import pytest

from app import create_app
from app.accounts.models import User
from app.accounts.services import hash_password
from app.components import COMPONENTS, resolve
from app.config import ConfigError
from app.core import registry
from app.core.models import utcnow
from app.extensions import db

PASSWORD = "component test password"
# Route prefixes, CLI groups and nav endpoints of the components a deployment may leave out.
PREFIXES = {
    "reports": ("/<lang>/reports", "/open311", "/<lang>/admin/reports"),
    "foi": ("/<lang>/foi", "/api/foi", "/<lang>/admin/foi"),
    "write": ("/<lang>/write", "/<lang>/admin/write"),
    "translations": ("/<lang>/translations", "/<lang>/admin/translations"),
}
CLI_GROUPS = {"reports": "reports", "foi": "foi", "demo": "demo"}


def test_dependencies_are_added_in_set_up_order():
    assert resolve("foi") == ["accounts", "areas", "directory", "foi"]
    assert resolve(" reports , admin ") == ["accounts", "areas", "directory", "reports", "admin"]
    assert resolve(["accounts"]) == ["accounts", "areas", "directory"]
    assert resolve("") == COMPONENTS
    assert resolve(None) == COMPONENTS


def test_an_unknown_component_is_a_start_up_error():
    with pytest.raises(ConfigError, match="unknown component.*repots"):
        create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "PLAZA_COMPONENTS": "repots"})


def test_the_environment_chooses_the_components(monkeypatch):
    monkeypatch.setenv("PLAZA_COMPONENTS", "areas")
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    assert app.config["PLAZA_COMPONENTS"] == ["areas"]
    assert {bp.split("_")[0] for bp in app.blueprints} == {"core", "areas"}


def test_a_component_that_fails_to_import_is_an_error(monkeypatch):
    """Never silently skipped: the app does not start without it."""
    monkeypatch.setitem(sys.modules, "app.write", None)  # makes `import app.write` raise ImportError
    with pytest.raises(ImportError, match="app.write"):
        create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "PLAZA_COMPONENTS": "write"})


def _admin_client(app):
    with app.app_context():
        user = User(
            email="boss@example.org",
            name="Boss",
            role="admin",
            language="en",
            password_hash=hash_password(PASSWORD),
            confirmed_at=utcnow(),
            translator_locales=[],
        )
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    resp = client.post("/en/accounts/signin", data={"email": "boss@example.org", "password": PASSWORD})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    return client


def _check_only(app, on: str, off: list[str]):
    rules = [r.rule for r in app.url_map.iter_rules()]
    for name in off:
        left = [rule for rule in rules if rule.startswith(PREFIXES[name])]
        assert not left, (name, left)
        assert not any(bp == name or bp.startswith(name + "_") for bp in app.blueprints), name
        if name in CLI_GROUPS:
            assert CLI_GROUPS[name] not in app.cli.commands, name
    assert any(rule.startswith(PREFIXES[on][0]) for rule in rules)
    with app.test_request_context("/en/"):
        nav = [n.endpoint for n in registry.nav_items()] + [n.endpoint for n in registry.admin_nav_items()]
        assert not [e for e in nav if e.split(".")[0].split("_")[0] in off], nav
        names = {name for name, _, _ in registry.jobs()}
        assert not [n for n in names if n.split("-")[0] in off], names


@pytest.mark.parametrize(
    ("on", "page", "off"),
    [
        ("foi", "/en/foi/", ["reports", "write", "translations"]),
        ("reports", "/en/reports/", ["foi", "write", "translations"]),
    ],
)
def test_a_deployment_with_one_service(app_factory, on, page, off):
    app_factory()  # the whole schema exists first, as in a real database after `flask db upgrade`
    app = app_factory(PLAZA_COMPONENTS=f"{on},admin")
    assert app.config["PLAZA_COMPONENTS"] == ["accounts", "areas", "directory", on, "admin"]
    _check_only(app, on, off)
    client = app.test_client()
    home = client.get("/en/")
    assert home.status_code == 200
    html = home.get_data(as_text=True)
    for name in off:
        assert f'href="/en/{name}/' not in html, name
    assert f'href="/en/{on}/' in html or f'href="/en/{on}' in html
    assert client.get(page).status_code == 200
    for name in off:
        assert client.get(f"/en/{name}/").status_code == 404, name
    admin = _admin_client(app)
    dashboard = admin.get("/en/admin/")
    assert dashboard.status_code == 200
    for name in off:
        assert f'href="/en/admin/{name}' not in dashboard.get_data(as_text=True), name
    assert admin.get("/en/admin/users/").status_code == 200
    assert admin.get("/en/admin/inbox/").status_code == 200
