"""WriteIt and directory pages with content are valid HTML, their times machine-readable."""

from __future__ import annotations

from html_check import assert_valid_html
from sqlalchemy import select

from app.core.mail import send_pending
from app.extensions import db
from app.write.models import Message

from .conftest import link_in, write_message


def test_write_and_directory_pages_are_valid_html(wapp, wclient, world, smtp):
    resp = write_message(wclient, "en", [world["alys"]])
    assert resp.status_code == 303
    send_pending()
    wclient.post(link_in(smtp.body(), "/write/confirm/"))
    msg = db.session.scalar(select(Message))
    assert msg.status == "sent"
    pages = [
        f"/en/write/{msg.id}",
        "/en/write/",
        f"/en/write/new?person={world['alys']}",
        f"/en/write/person/{world['alys']}",
        "/en/people/",
        f"/en/people/{world['alys']}",
        "/en/organisations/",
        "/en/areas/",
    ]
    for path in pages:
        page = wclient.get(path)
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        assert_valid_html(html)
    detail = wclient.get(f"/en/write/{msg.id}").get_data(as_text=True)
    assert f'<time datetime="{msg.sent_at.replace(microsecond=0).isoformat()}' in detail
