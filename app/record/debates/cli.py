"""`flask record import-debate FILE…`: Akoma Ntoso debate records, all in one transaction."""

from __future__ import annotations

import click

from ...extensions import db
from ..cli import record_cli
from . import akn, importer, search


@record_cli.command("import-debate")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def import_debate(files):
    """Import (or update) debate records. Nothing is stored unless every file can be read."""
    parsed = []
    for path in files:
        with open(path, "rb") as fh:
            data = fh.read(akn.MAX_BYTES + 1)
        try:
            parsed.append((path, akn.parse(data, path)))
        except akn.AknError as exc:
            raise click.ClickException(f"{path}: {exc}; nothing was imported") from exc
    search.ensure_sqlite_index()
    results = []
    try:
        for path, record in parsed:
            results.append((path, importer.store(record)))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for path, r in results:
        verb = "created" if r.created else "updated"
        click.echo(
            f"{path}: debate {r.debate_id} {verb} ({r.title or 'untitled'}): "
            f"{r.sections} sections, {r.speeches} speeches"
        )
        if r.unmatched:
            click.echo(
                f"  {len(r.unmatched)} speakers not matched to a person: "
                + "; ".join(r.unmatched[:20])
                + (" …" if len(r.unmatched) > 20 else "")
            )
        if r.skipped:
            click.echo("  elements not understood (their text was kept where they held any): " + ", ".join(r.skipped))
