"""Photos of people come from other sites: the deployment lists them for the CSP img-src."""

from __future__ import annotations

import pytest

from app.config import ConfigError, load_config
from app.directory.models import Person
from app.extensions import db

PHOTO = "https://photos.senedd.example/people/1.jpg"


def _img_src(resp) -> str:
    csp = resp.headers["Content-Security-Policy"]
    return next(part for part in csp.split(";") if part.strip().startswith("img-src"))


def test_image_hosts_from_the_environment(monkeypatch, app_factory):
    monkeypatch.setenv("PLAZA_IMG_SOURCES", " https://photos.senedd.example   *.parliament.example ")
    app = app_factory()
    with app.app_context():
        person = Person(name="Gwen Evans", image=PHOTO)
        db.session.add(person)
        db.session.commit()
        resp = app.test_client().get(f"/en/people/{person.id}")
    assert f'src="{PHOTO}"' in resp.get_data(as_text=True)
    img = _img_src(resp).split()
    assert img[0] == "img-src" and "'self'" in img
    assert "https://photos.senedd.example" in img and "*.parliament.example" in img


def test_no_image_hosts_by_default(monkeypatch, client):
    monkeypatch.delenv("PLAZA_IMG_SOURCES", raising=False)
    assert "photos.senedd.example" not in _img_src(client.get("/en/people/"))
    assert load_config()["CSP_IMG_SOURCES"] == []


@pytest.mark.parametrize("bad", ["https://x.example; script-src *", "'unsafe-inline'", "https://a,b"])
def test_bad_image_hosts_stop_the_app(monkeypatch, bad):
    monkeypatch.setenv("PLAZA_IMG_SOURCES", bad)
    with pytest.raises(ConfigError, match="PLAZA_IMG_SOURCES"):
        load_config()


def test_photo_the_policy_would_block_is_left_out(monkeypatch, app_factory):
    monkeypatch.setenv("PLAZA_IMG_SOURCES", "https://photos.senedd.example")
    app = app_factory()
    with app.app_context():
        shown = Person(name="Gwen Evans", image=PHOTO)
        blocked = Person(name="Huw Evans", image="http://senedd.assembly.wales/bigpic.jpg")
        db.session.add_all([shown, blocked])
        db.session.commit()
        client = app.test_client()
        assert f'src="{PHOTO}"' in client.get(f"/en/people/{shown.id}").get_data(as_text=True)
        page = client.get(f"/en/people/{blocked.id}").get_data(as_text=True)
    assert "Huw Evans" in page and "bigpic.jpg" not in page and "<img" not in page.split("<h1")[1]
