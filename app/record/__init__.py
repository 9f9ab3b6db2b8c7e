"""Record: how representatives vote, their policy positions, what they say in debates, and alerts
when they vote or speak (like TheyWorkForYou, Public Whip and SayIt)."""

from __future__ import annotations

from ..directory import services as directory
from . import alerts, debates, votes
from .blueprint import admin_bp, api_bp, bp
from .cli import record_cli
from .person_section import person_section


def init_app(app) -> None:
    # The parts first: their views attach to the blueprints, which then must not be registered yet.
    votes.init_app(app)
    debates.init_app(app)
    alerts.init_app(app)
    directory.register_person_section(app, person_section, order=30)
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(record_cli)
