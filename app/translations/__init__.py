"""Translations: partners translate Plaza in the browser, and translate the site's own content.

Saved translations are a database layer over the shipped catalogs (translations/ in the code
base), so deploys and `make i18n` never lose them; a version row tells every worker to rebuild
its catalogs when the layer changes.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..core import i18n, registry


def init_app(app) -> None:
    from . import models  # noqa: F401  (tables for create_all and migrations)
    from .routes import bp
    from .services import overlay_messages, version_token

    app.register_blueprint(bp, url_prefix="/<lang>")
    i18n.overlay_version_hook = version_token
    i18n.overlay_messages_hook = overlay_messages
    registry.add_dashboard_panel(app, _dashboard_panel, order=80)
    from .demo import load_demo

    registry.add_demo_loader(app, load_demo, order=90)
    registry.add_admin_nav(app, "translations.index", _l("Translations"), order=80, audience="translator")

    @app.context_processor
    def content_context():
        """The site name as admins wrote it for this language (profile's name otherwise)."""
        from sqlalchemy.exc import SQLAlchemyError

        from .content import text

        try:
            return {"site_name": text("site_name", i18n.current_language().tag)[0]}
        except SQLAlchemyError:  # the layout must render even before the tables exist
            return {}


def _dashboard_panel():
    from flask_login import current_user

    from . import services

    if not current_user.is_authenticated or not current_user.is_admin:
        return None
    rows = [(lang, services.coverage(services.entries(lang))) for lang in services.editor_languages()]
    return "translations/_panel.html", {"rows": rows, "layer_on": services.layer_enabled()}
