"""`flask record import-votes`, `import-policies` and `rescore`: one transaction each."""

from __future__ import annotations

import json
import time

import click
from flask import current_app

from ...extensions import db
from ..cli import record_cli
from . import importer, parse, policies, scoring

SHOWN_UNKNOWN = 20


def _read(path: str, as_json: bool = True):
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh) if as_json else fh.read()
    except OSError as exc:
        raise click.ClickException(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"{path} is not valid {'JSON' if as_json else 'UTF-8 text'}: {exc}.") from exc


def _echo_scores(s: scoring.ScoringSummary, seconds: float) -> None:
    click.echo(
        f"scores: {s.scores} positions on {s.policies} policies, {s.persons} persons, "
        f"{s.rebels} rebel votes ({seconds:.2f} s)"
    )


@record_cli.command("import-votes")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Import nothing if any voter is not in the directory.")
@click.option("--voter-scheme", help="Voter ids are identifiers of this scheme (else Popolo ids, or 'scheme:id').")
@click.option("--party-scheme", help="Party ids are identifiers of this scheme.")
def import_votes_cmd(paths, strict, voter_scheme, party_scheme):
    """Import Popolo motions, vote events and votes; re-running updates in place."""
    started = time.perf_counter()
    motions = []
    try:
        for path in paths:
            motions += parse.parse(_read(path))
        seen = set()
        for m in motions:  # one motion given twice is a mistake in the files, not an update
            if m.source_id in seen:
                raise parse.VoteFileError(f"Motion {m.source_id} appears in more than one place.")
            seen.add(m.source_id)
        summary = importer.import_votes(motions, voter_scheme, party_scheme)
        if strict and summary.unknown_voters:
            raise parse.VoteFileError(
                f"{len(summary.unknown_voters)} voters are not in the directory "
                f"(for example {', '.join(sorted(summary.unknown_voters)[:5])})."
            )
        imported = time.perf_counter()
        scores = scoring.recompute()
        db.session.commit()
    except parse.VoteFileError as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing was imported. {exc}") from exc
    except Exception:
        db.session.rollback()
        raise
    s = summary
    click.echo(f"motions: {s.motions_created} created, {s.motions_updated} updated")
    click.echo(f"vote events: {s.events_created} created, {s.events_updated} updated")
    click.echo(
        f"votes: {s.votes_created} created, {s.votes_updated} updated, {s.votes_removed} removed, "
        f"{s.votes_unchanged} unchanged ({imported - started:.2f} s)"
    )
    if s.unknown_voters:
        click.echo(f"voters not in the directory: {len(s.unknown_voters)} (their votes are kept, unlinked)")
        for voter in sorted(s.unknown_voters)[:SHOWN_UNKNOWN]:
            name = s.unknown_voters[voter]
            click.echo(f"  - {voter}" + (f" ({name})" if name else ""))
        if len(s.unknown_voters) > SHOWN_UNKNOWN:
            click.echo(f"  … and {len(s.unknown_voters) - SHOWN_UNKNOWN} more")
    if s.unknown_parties:
        click.echo(f"parties not in the directory: {', '.join(sorted(s.unknown_parties))}")
    _echo_scores(scores, time.perf_counter() - imported)


@record_cli.command("import-policies")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--lang", help="The file's titles and texts are in this language (default: the profile's).")
def import_policies_cmd(path, lang):
    """Import policies (issues.json layout, or CSV policy_id,title,motion_id,agree_option,strength)."""
    default = current_app.extensions["plaza_profile"].default_language
    try:
        if path.lower().endswith(".csv"):
            rows = policies.parse_csv(_read(path, as_json=False))
        else:
            rows = policies.parse_json(_read(path))
        created, updated = policies.store(rows, lang=lang, default_lang=default)
        started = time.perf_counter()
        scores = scoring.recompute()
        db.session.commit()
    except parse.VoteFileError as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing was imported. {exc}") from exc
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"policies: {created} created, {updated} updated")
    _echo_scores(scores, time.perf_counter() - started)


@record_cli.command("rescore")
def rescore_cmd():
    """Recompute every stored score from the stored votes and policies."""
    started = time.perf_counter()
    scores = scoring.recompute()
    db.session.commit()
    _echo_scores(scores, time.perf_counter() - started)
