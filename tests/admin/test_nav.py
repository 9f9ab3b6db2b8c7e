"""Admin navigation: components register their admin pages; each user sees the links they may open."""

from __future__ import annotations

import re

from app.accounts.models import StaffMembership
from app.core import registry
from app.extensions import db


def _admin_nav(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Administration">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'href="([^"]+)"', nav)


def test_admin_nav_lists_the_components_admin_pages(as_role):
    client, _ = as_role("admin")
    links = _admin_nav(client.get("/en/admin/").get_data(as_text=True))
    for url in (
        "/en/admin/",
        "/en/admin/users/",
        "/en/admin/outbox/",
        "/en/admin/inbox/",
        "/en/admin/audit/",
        "/en/admin/directory/",
        "/en/admin/areas/types",
        "/en/admin/reports/",
        "/en/admin/foi/",
        "/en/admin/write/",
        "/en/admin/translations/",
    ):
        assert url in links, url
        assert client.get(url).status_code == 200, url
    html = client.get("/es/admin/users/").get_data(as_text=True)
    assert '<a href="/es/admin/users/" aria-current="page">' in html


def test_moderators_see_only_pages_they_may_open(as_role):
    client, _ = as_role("moderator")
    links = _admin_nav(client.get("/en/admin/").get_data(as_text=True))
    assert "/en/admin/directory/" in links and "/en/admin/reports/" in links
    for url in ("/en/admin/inbox/", "/en/admin/audit/", "/en/admin/areas/types", "/en/admin/translations/"):
        assert url not in links, url
        assert client.get(url).status_code == 403, url


def test_components_register_admin_links(app, as_role):
    registry.add_admin_nav(app, "core.home", "Test page", order=99, audience="admin")
    client, _ = as_role("admin")
    assert "/en/" in _admin_nav(client.get("/en/admin/").get_data(as_text=True))
    mod, _ = as_role("moderator")
    assert "Test page" not in mod.get("/en/admin/").get_data(as_text=True)


def test_translators_and_staff_get_header_links_to_their_pages(as_role, make_user):
    client, user = as_role("citizen", "translator@example.org")
    html = client.get("/en/").get_data(as_text=True)
    assert 'href="/en/admin/translations/"' not in html
    user.translator_locales = ["fr"]
    db.session.commit()
    html = client.get("/en/").get_data(as_text=True)
    assert '<a href="/en/admin/translations/">Translations</a>' in html
    assert 'href="/en/admin/"' not in html  # no admin home for them
    assert client.get("/en/admin/translations/").status_code == 200

    staff, staff_user = as_role("staff", "staff@example.org")
    db.session.add(StaffMembership(user_id=staff_user.id, organisation_id=1))
    db.session.commit()
    html = staff.get("/en/").get_data(as_text=True)
    assert '<a href="/en/admin/reports/">Problem reports</a>' in html
    assert 'href="/en/admin/translations/"' not in html and 'href="/en/admin/"' not in html
