"""`flask demo load`: a small, coherent demo for the current profile; components add to it."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..accounts import services as accounts
from ..core import registry
from ..extensions import db

demo_cli = AppGroup("demo", help="Demo data.")


def database_is_empty() -> bool:
    return not accounts.has_users()


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
def load(if_empty: bool):
    """Fill an empty database with demo data for the current profile."""
    if if_empty and not database_is_empty():
        click.echo("The database has data already; demo not loaded.")
        return
    if not if_empty and not database_is_empty():
        raise click.ClickException("The database is not empty; the demo only loads into an empty one.")
    for loader in registry.demo_loaders():
        message = loader()
        if message:
            click.echo(message)
    db.session.commit()
    click.echo("Demo data loaded.")


def init_app(app) -> None:
    app.cli.add_command(demo_cli)
