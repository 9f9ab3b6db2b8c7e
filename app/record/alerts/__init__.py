"""Record: alerts (follow a person, words in speeches, or whoever represents a place; one daily digest)."""

from __future__ import annotations

import click

from ...core import registry
from ..cli import record_cli


@record_cli.command("send-digests")
def send_digests_command():
    """Queue today's digest emails now (the worker's daily job does the same)."""
    from .digest import send_digests

    click.echo(f"{send_digests()} digests queued")


def init_app(app) -> None:
    """Registers this part's routes, command and the daily digest job."""
    from . import models, routes  # noqa: F401 - tables and views
    from .digest import send_digests

    registry.add_job(app, "record.alert_digests", send_digests, every_seconds=24 * 3600)
