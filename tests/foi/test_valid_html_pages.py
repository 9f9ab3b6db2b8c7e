"""FOI pages with content are valid HTML (lists, authority, request with a reply, new request form)."""

from __future__ import annotations

from html_check import assert_valid_html

from .helpers import make_request, receive, reply_email


def test_foi_pages_are_valid_html(app, client, runner, authorities):
    body = authorities["Ministry of Roads"]
    body_id = body.id
    req = make_request(body)
    receive(runner, reply_email(req))
    pages = [
        "/en/foi/",
        "/es/foi/?q=caminos",
        "/en/foi/authorities",
        f"/en/foi/authorities/{body_id}",
        f"/en/foi/request/{req.id}",
        f"/en/foi/users/{req.user_id}",
        f"/en/foi/new/{body_id}",
    ]
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, path
        assert_valid_html(page.get_data(as_text=True))
