"""Record: alerts (follow a person, words in speeches, or whoever represents a place; one daily digest)."""

from __future__ import annotations

import click

from ...core import registry
from ...directory import services as directory
from ..cli import record_cli
from .digest import send_digests


@record_cli.command("send-digests")
def send_digests_command():
    """Queue today's digest emails now (the worker's daily job does the same)."""
    click.echo(f"{send_digests()} digests queued")


def area_section(area_id):
    """On an area's page, where someone represents it: follow whoever does."""
    found = directory.representatives_for(area_id=area_id)
    if found is None or not found.representatives:
        return None
    return "record/alert_area_section.html", {"area_id": area_id}


def init_app(app) -> None:
    """Registers this part's routes, command, area-page link and the daily digest job."""
    from . import models, routes  # noqa: F401 - tables and views

    registry.add_job(app, "record.alert_digests", send_digests, every_seconds=24 * 3600)
    registry.add_area_section(app, area_section, order=30)
