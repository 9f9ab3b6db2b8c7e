import pytest

from app import create_app


@pytest.fixture
def core_app_factory(monkeypatch, tmp_path):
    """Build the app with core and accounts only on a throw-away SQLite file.

    Profiles and i18n are core concerns, so these tests neither depend on nor wait for the
    components; they never touch the shared test database, so they cannot leave it with a
    partial schema for other tests.
    """
    monkeypatch.setenv("PLAZA_COMPONENTS", "accounts")

    def factory(**overrides):
        config = {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'core.db'}",
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "SERVER_BASE_URL": "http://plaza.test",
        }
        config.update(overrides)
        return create_app(config)

    return factory
