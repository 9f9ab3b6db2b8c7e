"""`flask record …`: the group; votes/ and debates/ add their commands to it."""

from __future__ import annotations

from flask.cli import AppGroup

record_cli = AppGroup("record", help="Votes, policies, debates and alerts on them.")
