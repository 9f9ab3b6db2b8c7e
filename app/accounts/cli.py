"""`flask accounts …` (also `flask users …`, the name the README uses): account administration."""

from __future__ import annotations

import sys

import click
from email_validator import EmailNotValidError
from flask.cli import AppGroup

from ..core import audit
from ..directory import services as directory
from ..extensions import db
from . import services

accounts_cli = AppGroup("accounts", help="User accounts (also: flask users).")


@accounts_cli.command("create-admin")
@click.argument("email")
@click.option("--name", default=None, help="Display name (defaults to the part of the email before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_admin(email: str, name: str | None, password_stdin: bool):
    """Create a confirmed admin account for EMAIL."""
    try:
        email = services.normalise_email(email)
    except EmailNotValidError as exc:
        raise click.ClickException(f"Not a valid email address: {exc}") from None
    if services.by_email(email) is not None:
        raise click.ClickException(
            f"An account with the email {email} already exists "
            f"(to make it an admin: flask users set-role {email} admin)."
        )
    password = _read_password(password_stdin)
    try:
        user = services.create_admin(email, password, name)
        db.session.commit()
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"Admin account {user.email} created (id {user.id}).")


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < services.MIN_PASSWORD:
        raise click.ClickException(f"The password must have at least {services.MIN_PASSWORD} characters.")
    if len(password) > services.MAX_PASSWORD:
        raise click.ClickException(f"The password must have at most {services.MAX_PASSWORD} characters.")
    return password


@accounts_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(["citizen", "moderator", "admin"]))
def set_role(email: str, role: str):
    """Give the existing account EMAIL a role (e.g. make it an admin). Staff: use `flask users staff`."""
    user = services.by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    detail = services.set_role(user.id, role)
    if detail is None:
        click.echo(f"Nothing to change: {user.email} is already {role}.")
        return
    audit.record(None, "user.role", "user", user.id, {**detail, "via": "cli"})
    db.session.commit()
    click.echo(f"{user.email} is now {role}.")


@accounts_cli.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def set_password(email: str, password_stdin: bool):
    """Set a new password for EMAIL (e.g. an admin who lost theirs and cannot receive mail).
    Every session of the account ends; the address counts as confirmed."""
    user = services.by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    services.complete_reset(user, _read_password(password_stdin))
    db.session.commit()
    click.echo(f"The password of {user.email} is changed; its other sessions have ended.")


def _find_body(text: str):
    """A directory body by number or by name (exact name first, else the only match)."""
    text = text.strip()
    body = directory.get_body(text) if text.isdigit() else None
    if body is not None:
        return body
    found, total = directory.search_bodies(q=text, limit=20)
    exact = [b for b in found if b.name.casefold() == text.casefold()]
    if len(exact) == 1:
        return exact[0]
    if total == 1:
        return found[0]
    if total == 0:
        raise click.ClickException(f"No public body matches {text!r}.")
    lines = "\n".join(f"  {b.id}\t{b.name}" for b in found)
    raise click.ClickException(f"{total} public bodies match {text!r}; give the number of one:\n{lines}")


@accounts_cli.command("staff")
@click.argument("email")
@click.argument("body")
@click.option("--remove", is_flag=True, help="Stop being staff of BODY.")
def staff(email: str, body: str, remove: bool):
    """Make the account EMAIL staff of BODY (a public body's number or name)."""
    user = services.by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the email {email}.")
    found = _find_body(body)
    detail = services.set_staff(user.id, found.id, member=not remove)
    if detail is None:
        click.echo(f"Nothing to change: {user.email} {'is not' if remove else 'is already'} staff of {found.name}.")
        return
    detail.update(name=found.name, via="cli")
    audit.record(None, "user.staff_remove" if remove else "user.staff_add", "user", user.id, detail)
    db.session.commit()
    click.echo(f"{user.email} {'is no longer' if remove else 'is now'} staff of {found.name} (id {found.id}).")
