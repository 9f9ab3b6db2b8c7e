"""Record: votes (Popolo motions, vote events, votes), policies and the scores computed from them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ...core import registry
from ...directory import services as directory


def init_app(app) -> None:
    """Registers this part's routes, commands and hooks."""
    from .. import models  # noqa: F401 - tables for create_all and migrations
    from . import api, cli, feeds, routes  # noqa: F401 - routes and commands register on import
    from .views import person_links_hook

    registry.add_nav(app, "record.policies", _l("How they vote"), order=36)
    directory.register_person_link(app, person_links_hook, order=30)
