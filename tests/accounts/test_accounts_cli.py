"""The accounts CLI answers to `flask accounts …` and to its older name `flask users …`."""

from __future__ import annotations

from app.accounts import services


def test_accounts_and_users_are_one_command_group(app, runner):
    result = runner.invoke(
        args=["accounts", "create-admin", "ada@example.org", "--password-stdin"], input="a long enough password\n"
    )
    assert result.exit_code == 0, result.output
    assert services.by_email("ada@example.org").role == "admin"
    again = runner.invoke(args=["users", "set-role", "ada@example.org", "moderator"])
    assert again.exit_code == 0, again.output
    assert services.by_email("ada@example.org").role == "moderator"
    assert app.cli.commands["accounts"] is app.cli.commands["users"]
