"""`flask users …`: account administration from the command line."""

from __future__ import annotations

import sys

import click
from email_validator import EmailNotValidError
from flask.cli import AppGroup

from ..extensions import db
from . import services

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create-admin")
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
        raise click.ClickException(f"An account with the email {email} already exists.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < services.MIN_PASSWORD:
        raise click.ClickException(f"The password must have at least {services.MIN_PASSWORD} characters.")
    try:
        user = services.create_admin(email, password, name)
        db.session.commit()
    except services.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
    click.echo(f"Admin account {user.email} created (id {user.id}).")
