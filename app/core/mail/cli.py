"""`flask outbox run`, `flask mail receive` (one message on stdin) and `flask mail lmtp` (a server)."""

from __future__ import annotations

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from . import outbox
from .lmtp import serve
from .receiving import EX_DATAERR, EX_TEMPFAIL, receive_one

outbox_cli = AppGroup("outbox", help="Send queued email.")
mail_cli = AppGroup("mail", help="Receive email.")


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
    """Read one RFC 822 message on stdin, store it, then hand it to the component it is for.

    Exit codes for the MTA: 0 stored, 65 (EX_DATAERR) no message at all, so never worth retrying,
    75 (EX_TEMPFAIL) not stored, try again."""
    outcome = receive_one(sys.stdin.buffer.read(), list(recipients))
    click.echo(outcome.message, err=outcome.code != 0)
    if outcome.code:
        sys.exit(outcome.code)


@mail_cli.command("lmtp")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8024, show_default=True, type=int, help="Port to listen on.")
def lmtp(host: str, port: int):
    """Receive mail over LMTP (the MTA delivers to lmtp:inet:HOST:PORT), without starting the app
    once per message. Same semantics as `receive`: stored first, then processed."""
    click.echo(f"LMTP on {host}:{port}")
    serve(current_app._get_current_object(), host, port)


__all__ = ["EX_DATAERR", "EX_TEMPFAIL", "lmtp", "mail_cli", "outbox_cli", "receive"]
