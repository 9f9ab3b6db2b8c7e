"""Write: public messages to representatives, sent by email, with their answers (like WriteIt)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core import registry


def person_section(person_id):
    """The directory's person page: messages written to this person and their answer rate."""
    from . import services as svc

    messages, more = svc.listing(person_id=person_id, per_page=5)
    return "write/_person_section.html", {
        "person_id": person_id, "messages": messages, "more": more, "stats": svc.person_stats(person_id),
        "answers": svc.answer_counts(m.id for m in messages), "to": svc.recipient_lists(messages),
        "can_write": svc.directory().is_current_representative(person_id),
    }


def init_app(app) -> None:
    from . import models  # noqa: F401 - tables for create_all and migrations
    from .admin import admin_bp, dashboard_panel
    from .demo import load as load_demo
    from .inbox import handle
    from .routes import bp

    app.register_blueprint(bp, url_prefix="/<lang>")
    app.register_blueprint(admin_bp, url_prefix="/<lang>")
    registry.add_nav(app, "write.new", _l("Write to a representative"), order=35)
    registry.add_admin_nav(app, "write_admin.queue", _l("Messages to representatives"), order=60)
    registry.add_dashboard_panel(app, dashboard_panel, order=45)
    registry.add_inbox_handler(app, handle)
    registry.add_demo_loader(app, load_demo, order=50)
    try:
        from ..directory import services as directory
    except ImportError:  # the directory is not installed: no person pages to add to
        return
    if hasattr(directory, "register_person_section"):
        directory.register_person_section(app, person_section, order=40)
