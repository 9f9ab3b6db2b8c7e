"""`flask outbox run` and `flask mail receive`."""

from __future__ import annotations

import sys
import time

import click
from flask.cli import AppGroup

from ...extensions import db
from . import inbox, outbox

outbox_cli = AppGroup("outbox", help="Send queued email.")
mail_cli = AppGroup("mail", help="Receive email.")

EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps the message and tries again


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Send what is due, then stop.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between passes.")
def run_outbox(once: bool, interval: float):
    """Send pending mail over SMTP, retrying failures with exponential backoff."""
    while True:
        sent, failed = outbox.send_pending()
        if sent or failed or once:
            click.echo(f"sent {sent}, failed {failed}")
        if once:
            return
        time.sleep(interval)


@mail_cli.command("receive")
@click.option("--recipient", "recipients", multiple=True, help="Envelope recipient (from the MTA).")
def receive(recipients):
    """Read one RFC 822 message on stdin, store it, then hand it to the component it is for."""
    raw = sys.stdin.buffer.read()
    if not raw.strip():
        click.echo("No message on standard input.", err=True)
        sys.exit(EX_TEMPFAIL)
    try:
        row, created = inbox.store_raw(raw, list(recipients))
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - tell the MTA to retry rather than lose it
        db.session.rollback()
        click.echo(f"Could not store the message: {exc}", err=True)
        sys.exit(EX_TEMPFAIL)
    if not created:
        click.echo(f"Already stored as {row.id}; nothing to do.")
        return
    status = inbox.dispatch(row)
    click.echo(f"Stored as {row.id}: {status}.")
