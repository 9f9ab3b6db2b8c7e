"""The background worker: sends the outbox and runs periodic jobs (daily FOI checks ...)."""

from __future__ import annotations

import logging
import threading
import time

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import registry
from .mail.outbox import send_pending

log = logging.getLogger(__name__)
jobs_cli = AppGroup("jobs", help="Periodic jobs.")


def run_once(app, last_run: dict) -> None:
    with app.app_context():
        try:
            send_pending()
        except Exception:  # noqa: BLE001 - a bad pass must not stop the worker
            db.session.rollback()
            log.exception("outbox pass failed")
        now = time.monotonic()
        for name, func, every in registry.jobs():
            if now - last_run.get(name, -1e12) >= every:
                last_run[name] = now
                try:
                    func()
                except Exception:  # noqa: BLE001
                    db.session.rollback()
                    log.exception("job %s failed", name)
        db.session.remove()


def start_thread(app, interval: float = 10.0) -> threading.Thread:
    last_run: dict = {}

    def loop():
        while True:
            run_once(app, last_run)
            time.sleep(interval)

    thread = threading.Thread(target=loop, name="plaza-worker", daemon=True)
    thread.start()
    return thread


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="One pass, then stop.")
def run_jobs(once: bool):
    """Send mail and run periodic jobs in a loop (a second process beside the web server)."""
    app = current_app._get_current_object()
    last_run: dict = {}
    while True:
        run_once(app, last_run)
        if once:
            return
        time.sleep(10)
