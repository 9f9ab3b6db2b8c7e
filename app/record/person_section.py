"""The record's section on a directory person page: how they voted, and their speeches."""

from __future__ import annotations

from .debates import queries as debates
from .votes import options
from .votes import queries as votes


def person_section(person_id: int):
    """(template, context) for the person page, or None when they neither voted nor spoke here."""
    stat = votes.person_stat(person_id)
    positions = votes.person_scores(person_id)
    speeches = debates.speech_count(person_id=person_id)
    if stat is None and not positions and not speeches:
        return None
    return "record/_person_section.html", {
        "person_id": person_id,
        "stat": stat,
        "positions": positions,
        "sentences": options.SENTENCES,
        "voted": stat is not None or bool(positions),
        "speeches": speeches,
    }
