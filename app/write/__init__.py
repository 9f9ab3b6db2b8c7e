"""Write: public messages to representatives, sent by email, with their answers (like WriteIt)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core import registry
from ..directory import services as directory
from . import (  # noqa: F401  (routes and filters on the blueprints; tables)
    admin,
    feeds,
    masking,
    models,
    queries,
    routes,
    services,
)
from .admin import dashboard_panel
from .blueprint import admin_bp, bp
from .demo import load as load_demo
from .inbox import handle
from .labels import AUDIT_ACTIONS, NOTE_PATTERNS


def person_section(person_id):
    """The directory's person page: messages written to this person and their answer rate."""
    messages, more = queries.listing(person_id=person_id, per_page=5)
    return "write/_person_section.html", {
        "person_id": person_id,
        "messages": messages,
        "more": more,
        "stats": services.person_stats(person_id),
        "answers": queries.answer_counts(m.id for m in messages),
        "to": queries.recipient_lists(messages),
        "can_write": directory.is_current_representative(person_id),
    }


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    registry.add_nav(app, "write.new", _l("Write to a representative"), order=35)
    registry.add_admin_nav(app, "write_admin.queue", _l("Messages to representatives"), order=60)
    registry.add_dashboard_panel(app, dashboard_panel, order=45)
    registry.add_inbox_handler(app, handle)
    registry.add_demo_loader(app, load_demo, order=50)
    registry.add_labels(app, "audit_action", AUDIT_ACTIONS)
    for pattern, label in NOTE_PATTERNS:
        registry.add_label_pattern(app, "inbox_note", pattern, label)
    directory.register_person_section(app, person_section, order=40)
