"""Test isolation: every test starts with empty tables and ids from 1, rolled back or committed (@pytest.mark.commits); config changes do not leak."""

from __future__ import annotations

import pytest
from helpers import make_user
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db


def _users():
    return db.session.scalar(select(func.count(User.id)))


def test_a_first_test_commits_a_row_and_changes_the_config(app):
    user = make_user(email="first@example.org")
    assert user.id == 1 and _users() == 1
    app.config["ISOLATION_PROBE"] = "set by the first test"


def test_a_second_test_sees_neither_the_row_nor_the_config(app, client):
    assert _users() == 0
    assert "ISOLATION_PROBE" not in app.config
    assert make_user(email="second@example.org").id == 1  # ids do not depend on test order
    assert client.get("/en/").status_code == 200


def test_a_rolled_back_commit_is_visible_to_later_requests_of_the_same_test(client):
    make_user(email="seen@example.org", password="correct horse battery")
    resp = client.post("/en/accounts/signin", data={"email": "seen@example.org", "password": "correct horse battery"})
    assert resp.status_code == 303


def test_the_app_rolls_back_its_own_failed_transaction_without_losing_earlier_commits(app):
    from sqlalchemy.exc import IntegrityError

    make_user(email="kept@example.org")
    db.session.add(User(email="kept@example.org", name="Twin", role="citizen", translator_locales=[]))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert _users() == 1


@pytest.mark.commits
def test_a_committing_test_really_commits(app):
    make_user(email="committed@example.org")
    with db.engine.connect() as other:  # another connection sees it
        assert other.scalar(select(func.count(User.id))) == 1


def test_and_its_rows_are_gone_afterwards(app):
    assert _users() == 0
    assert make_user(email="after@example.org").id == 1
