"""Record: alerts."""

from __future__ import annotations


def init_app(app) -> None:
    """Registers this part's routes, commands, hooks and jobs (filled in as it is built)."""
