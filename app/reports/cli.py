"""`flask reports …`: import contacts, issue Open311 keys, run the send/questionnaire jobs."""

from __future__ import annotations

import csv
import io

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup
from sqlalchemy import select

from ..core import audit
from ..core.models import utcnow
from ..core.profile import current_profile
from ..directory import services as directory
from ..extensions import db
from .models import ApiKey, Contact
from .operations import create_api_key, get_or_create_category
from .questionnaire import send_due
from .sending import process_sends

reports_cli = AppGroup("reports", help="Problem reports.")
SEND_METHODS = ("email", "open311")


def find_body(value: str):
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        return directory.get_body(int(value))
    found, _ = directory.search_bodies(q=value, limit=50)
    exact = [b for b in found if b.name.casefold() == value.casefold()]
    return exact[0] if len(exact) == 1 else None


def parse_contacts(text: str, default_lang: str):
    """Validate every row; returns (rows, errors). Nothing is written here."""
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip() for f in (reader.fieldnames or [])]
    missing = [f for f in ("body", "category") if f not in fields]
    if missing:
        return [], [f"missing column(s): {', '.join(missing)}"]
    rows, errors = [], []
    for n, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        body = find_body(row.get("body", ""))
        if body is None:
            errors.append(f"line {n}: unknown body {row.get('body')!r} (give its id or exact name)")
            continue
        if not row.get("category"):
            errors.append(f"line {n}: empty category")
            continue
        method = (row.get("send_method") or "email").lower()
        if method not in SEND_METHODS:
            errors.append(f"line {n}: send_method must be email or open311, not {method!r}")
            continue
        email = row.get("email") or body.email or ""
        if method == "email":
            try:
                email = validate_email(email, check_deliverability=False).normalized
            except EmailNotValidError:
                errors.append(f"line {n}: a valid email is needed (column email, or the body's email)")
                continue
        endpoint = row.get("endpoint") or ""
        if method == "open311" and not endpoint.startswith(("http://", "https://")):
            errors.append(f"line {n}: open311 needs an http(s) endpoint")
            continue
        if len(row.get("service_code") or "") > 200:
            errors.append(f"line {n}: service_code is longer than 200 characters")
            continue
        names = {k.split(":", 1)[1]: v for k, v in row.items() if k.startswith("category:") and v}
        rows.append(
            {
                "body_id": body.id,
                "category": row["category"],
                "names": names,
                "email": email or None,
                "send_method": method,
                "endpoint": endpoint or None,
                "jurisdiction_id": row.get("jurisdiction_id") or None,
                "api_key": row.get("api_key") or None,
            }
        )
        if "service_code" in fields:  # a file without the column leaves the saved codes alone
            rows[-1]["service_code"] = row.get("service_code") or None
    return rows, errors


def save_contacts(rows) -> tuple[int, int]:
    created = updated = 0
    for row in rows:
        cat = get_or_create_category(row["category"], row["names"])
        db.session.flush()
        contact = db.session.scalar(
            select(Contact).where(Contact.body_id == row["body_id"], Contact.category_id == cat.id)
        )
        if contact is None:
            contact = Contact(body_id=row["body_id"], category_id=cat.id)
            db.session.add(contact)
            created += 1
        else:
            updated += 1
        for key in ("email", "send_method", "endpoint", "jurisdiction_id", "api_key", "service_code"):
            if key in row:
                setattr(contact, key, row[key])
        contact.active = True
        db.session.flush()
    return created, updated


@reports_cli.command("import-contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Check and report, save nothing.")
def import_contacts(file, dry_run):
    """Load what each body receives: body,category,category:<lang>…,email,send_method,endpoint,jurisdiction_id,
    api_key and optionally service_code (the body's own Open311 code for the category)."""
    try:
        with open(file, encoding="utf-8-sig") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise click.ClickException("The file is not UTF-8 text.") from exc
    rows, errors = parse_contacts(text, current_profile().default_language)
    if errors:
        for e in errors:
            click.echo(e, err=True)
        raise click.ClickException(f"{len(errors)} problem(s); nothing imported.")
    created, updated = save_contacts(rows)
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run: {created} contact(s) would be created, {updated} updated.")
        return
    db.session.commit()
    click.echo(f"{created} contact(s) created, {updated} updated.")


@reports_cli.group("open311-key")
def open311_key():
    """Open311 client API keys."""


@open311_key.command("create")
@click.argument("name")
@click.option(
    "--body",
    "body_ref",
    default="",
    metavar="ID_OR_NAME",
    help="The key is a body's back-end: it may also push status changes to that body's reports.",
)
def key_create(name, body_ref):
    """Issue a key for an Open311 client; the key is shown only once."""
    if not name.strip():
        raise click.ClickException("Give the client a name.")
    body = find_body(body_ref) if body_ref.strip() else None
    if body_ref.strip() and body is None:
        raise click.ClickException(f"Unknown body {body_ref!r} (give its id or exact name).")
    row, key = create_api_key(name)
    row.body_id = body.id if body else None
    db.session.flush()
    audit.record(
        None,
        "reports.open311_key.create",
        "reports_api_key",
        row.id,
        {"name": row.name, "prefix": row.prefix, "body_id": row.body_id, "via": "cli"},
    )
    db.session.commit()
    click.echo(f"API key for {row.name}{f' ({body.name})' if body else ''}: {key}")


@open311_key.command("revoke")
@click.argument("prefix")
def key_revoke(prefix):
    """Revoke the key(s) starting with PREFIX."""
    rows = list(db.session.scalars(select(ApiKey).where(ApiKey.prefix == prefix[:6], ApiKey.revoked_at.is_(None))))
    if not rows:
        raise click.ClickException("No such key.")
    for row in rows:
        row.revoked_at = utcnow()
        audit.record(
            None,
            "reports.open311_key.revoke",
            "reports_api_key",
            row.id,
            {"name": row.name, "prefix": row.prefix, "via": "cli"},
        )
    db.session.commit()
    click.echo(f"{len(rows)} key(s) revoked.")


@reports_cli.command("send")
def send_now():
    """Try due Open311 sends now (the worker does this every minute)."""
    ok, bad = process_sends()
    click.echo(f"{ok} sent, {bad} failed.")


@reports_cli.command("questionnaires")
def questionnaires_now():
    """Send due 4-week questionnaires now."""
    click.echo(f"{send_due()} questionnaire(s) sent.")
