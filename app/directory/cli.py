"""`flask directory …`: import Popolo files and bodies CSV, export bodies CSV."""

from __future__ import annotations

import json
import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from .bodies_csv import BodiesError, export_bodies, import_bodies
from .popolo_import import PopoloError, import_popolo_files

_LISTED = 50  # unlinked areas listed one by one; a file of a thousand constituencies says the rest in a count
directory_cli = AppGroup("directory", help="People, organisations and public bodies.")


@directory_cli.command("import-popolo")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--area-type", "area_types", multiple=True, help="Link the files' areas only to areas of this type (repeatable)."
)
def import_popolo_cmd(paths, area_types):
    """Import Popolo JSON files (EveryPolitician's full object, or bare lists of persons with
    nested memberships or of organisations) in one transaction; re-importing updates in place."""

    files = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as fh:
                files.append((path, json.load(fh)))
        except OSError as exc:
            raise click.ClickException(f"Cannot read {path}: {exc.strerror or exc}.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise click.ClickException(f"{path} is not valid JSON: {exc}.") from exc
    try:
        summary = import_popolo_files(files, area_types)
        db.session.commit()
    except PopoloError as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing was imported. {exc}") from exc
    except Exception:
        db.session.rollback()
        raise
    for kind in sorted(set(summary.created) | set(summary.updated)):
        click.echo(f"{kind}: {summary.created[kind]} created, {summary.updated[kind]} updated")
    click.echo(f"areas linked: {summary.linked_areas}")
    if summary.area_names_added:
        click.echo(f"area names added: {summary.area_names_added}")
    if summary.unlinked_areas:
        click.echo(f"areas not linked: {len(summary.unlinked_areas)}")
        for aid, name, why in summary.unlinked_areas[:_LISTED]:
            click.echo(f"  - {name} ({aid}): {why}")
        if len(summary.unlinked_areas) > _LISTED:
            click.echo(f"  … and {len(summary.unlinked_areas) - _LISTED} more")
    if summary.stub_organisations:
        click.echo(
            f"organizations known only by id (import their file to complete them): "
            f"{', '.join(summary.stub_organisations)}"
        )


@directory_cli.command("import-bodies")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True))
def import_bodies_cmd(path):
    """Import public bodies from CSV (id, name, name:<lang>, classification, tags, area_codes, …)."""

    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                text = fh.read()
    except OSError as exc:
        raise click.ClickException(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path} is not UTF-8 text.") from exc
    try:
        counts = import_bodies(text)
        db.session.commit()
    except BodiesError as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing was imported. {exc}") from exc
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"bodies: {counts['created']} created, {counts['updated']} updated")


@directory_cli.command("export-bodies")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
def export_bodies_cmd(output):
    """Write public bodies as CSV (the columns import-bodies reads)."""

    text = export_bodies()
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)
