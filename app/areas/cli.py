"""`flask areas …`: import boundaries and postcodes, manage area types. One transaction each."""

from __future__ import annotations

import re
import time

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..core.profile import current_profile
from ..extensions import db
from . import services
from .importer import ImportProblem, ensure_type, import_features, read_geojson
from .models import Area, Generation
from .postcodes import import_postcodes

areas_cli = AppGroup("areas", help="Areas: boundaries, postcodes and area types.")

_LANG_OPT = re.compile(r"^--name-field-([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)(?:=(.*))?$")


def _lang_fields(extra: list[str]) -> dict[str, str]:
    """Parse the repeatable --name-field-LANG FIELD options click cannot declare up front."""
    out, i = {}, 0
    while i < len(extra):
        m = _LANG_OPT.match(extra[i])
        if not m:
            raise click.UsageError(f"Unknown option or argument: {extra[i]}")
        value = m.group(2)
        if value is None:
            if i + 1 >= len(extra) or extra[i + 1].startswith("--"):
                raise click.UsageError(f"{extra[i]} needs a property name.")
            value = extra[i + 1]
            i += 1
        out[m.group(1)] = value
        i += 1
    return out


def _finish(summary, dry_run: bool, started: float) -> None:
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}", err=True)
    for note in summary.notes[:50]:
        click.echo(note)
    if len(summary.notes) > 50:
        click.echo(f"... and {len(summary.notes) - 50} more notes.")
    versioned = f" ({summary.versioned} as new versions for the new generation)" if summary.versioned else ""
    click.echo(
        f"created {summary.created}, updated {summary.updated}{versioned}, skipped {summary.skipped}, "
        f"failed {summary.failed} ({time.monotonic() - started:.1f}s)"
    )
    if dry_run:
        db.session.rollback()
        services.invalidate()
        click.echo("Dry run: nothing was saved.")
    else:
        db.session.commit()
        services.invalidate()


@areas_cli.command("import-geojson", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("file")
@click.option("--type", "type_code", required=True, help="Area type code, e.g. WMC.")
@click.option("--name-field", required=True, help="Property holding the area's default name.")
@click.option("--name-lang", help="Language tag of --name-field's names (also stored as that language's name).")
@click.option("--code-field", help="Property holding a code such as a GSS code.")
@click.option("--code-scheme", help="Name of that code's scheme, e.g. gss.")
@click.option("--parent-type", help="Type code of the areas that contain these (parents by containment).")
@click.option(
    "--generation", type=click.IntRange(1, services.MAX_ID), help="Generation number (default: the current one)."
)
@click.option("--type-name", help="Name of the type, when it is new.")
@click.option("--level", type=int, help="Level of the type (bigger = more detailed).")
@click.option("--dry-run", is_flag=True, help="Check and report, save nothing.")
@click.pass_context
def import_geojson(
    ctx,
    file,
    type_code,
    name_field,
    name_lang,
    code_field,
    code_scheme,
    parent_type,
    generation,
    type_name,
    level,
    dry_run,
):
    """Import a GeoJSON FeatureCollection of (Multi)Polygons in WGS84.

    Extra names: --name-field-LANG FIELD, e.g. --name-field-cy LAD13NMW.
    """
    started = time.monotonic()
    lang_fields = _lang_fields(ctx.args)
    try:
        features = read_geojson(file)
        summary = import_features(
            features,
            type_code=type_code,
            name_field=name_field,
            name_lang=name_lang,
            lang_fields=lang_fields,
            code_field=code_field,
            code_scheme=code_scheme,
            parent_type=parent_type,
            generation=generation,
            type_names={"": type_name} if type_name else None,
            level=level,
        )
    except ImportProblem as exc:
        db.session.rollback()
        services.invalidate()
        raise click.ClickException(f"{exc} Nothing was changed.") from None
    _finish(summary, dry_run, started)


@areas_cli.command("import-postcodes")
@click.argument("file")
@click.option("--code-column", default="code", show_default=True)
@click.option("--lat-column", default="lat", show_default=True)
@click.option("--lon-column", default="lon", show_default=True)
@click.option("--dry-run", is_flag=True, help="Check and report, save nothing.")
def import_postcodes_cmd(file, code_column, lat_column, lon_column, dry_run):
    """Import postcodes from a CSV file with code, latitude and longitude columns."""
    started = time.monotonic()
    try:
        summary = import_postcodes(file, code_column, lat_column, lon_column)
    except ImportProblem as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc} Nothing was changed.") from None
    _finish(summary, dry_run, started)


@areas_cli.command("type")
@click.argument("code")
@click.option("--level", type=int, help="Level (bigger = more detailed).")
@click.option(
    "--name",
    "names",
    multiple=True,
    metavar="LANG=TEXT",
    help="Name in a language, e.g. --name en=Council --name cy=Cyngor (repeatable).",
)
def set_type(code, level, names):
    """Create or update an area type: its level and translated names."""
    parsed = {}
    for item in names:
        lang, sep, text = item.partition("=")
        if not sep or not text.strip():
            raise click.ClickException(f"--name must look like LANG=TEXT, not '{item}'. Nothing was changed.")
        parsed[lang.strip()] = text.strip()
    tags = current_profile().language_tags
    unknown = [lang for lang in parsed if lang and lang not in tags]
    if unknown:
        raise click.ClickException(
            f"--name {unknown[0]}=…: '{unknown[0]}' is not a language of this profile ({', '.join(tags)}). "
            "Nothing was changed."
        )
    try:
        ensure_type(code, parsed or None, level)
        services.bump_index_version()
    except ImportProblem as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc} Nothing was changed.") from None
    db.session.commit()
    services.invalidate()
    click.echo(f"Area type {code} saved.")


@areas_cli.command("activate-generation")
@click.argument("number", type=click.IntRange(1, services.MAX_ID))
@click.option("--deactivate", is_flag=True, help="Make it inactive instead.")
@click.option(
    "--force", is_flag=True, help="Activate even if area types of the current generation are missing from it."
)
def activate_generation(number, deactivate, force):
    """Make generation NUMBER live (after importing every type into it)."""
    gen = db.session.get(Generation, number)
    if gen is None:
        raise click.ClickException(f"There is no generation {number}. Nothing was changed.")
    current = services.current_generation()
    if not deactivate and current is not None and number > current:
        missing = _missing_types(current, number)
        if missing:
            listed = ", ".join(f"{code} ({count} areas)" for code, count in missing)
            message = (
                f"Generation {number} has no areas of these types of the current generation "
                f"{current}: {listed}. Once it is live, lookups would find none of them. Import "
                f"them with --generation {number}"
            )
            if not force:
                raise click.ClickException(f"{message}, or pass --force to drop them. Nothing was changed.")
            click.echo(f"Warning: {message}. Activating anyway (--force).", err=True)
    gen.active = not deactivate
    services.bump_index_version()
    db.session.commit()
    services.invalidate()
    click.echo(
        f"Generation {number} is now {'inactive' if deactivate else 'active'}; "
        f"the current generation is {services.current_generation()}."
    )


def _missing_types(current: int, new: int) -> list[tuple[str, int]]:
    """(type, number of areas) for types with areas in generation `current` and none in `new`."""

    def counts(g):
        return dict(
            db.session.execute(
                select(Area.type_code, func.count(Area.id))
                .where(Area.generation_low.is_not(None), Area.generation_low <= g, Area.generation_high >= g)
                .group_by(Area.type_code)
            ).all()
        )

    now, then = counts(current), counts(new)
    return sorted((code, n) for code, n in now.items() if not then.get(code))
