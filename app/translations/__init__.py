"""Translations: partners translate Plaza in the browser, and translate the site's own content.

Saved translations are a database layer over the shipped catalogs (translations/ in the code
base), so deploys and `make i18n` never lose them; a version row tells every worker to rebuild
its catalogs when the layer changes.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from ..core import i18n, registry
from . import (  # noqa: F401 - routes register the pages on bp
    models,  # noqa: F401  (tables for create_all and migrations)
    routes,
    routes_log,
    services,
)
from .blueprint import bp
from .content import text
from .demo import load_demo


def init_app(app) -> None:
    app.register_blueprint(bp, url_prefix="/<lang>")
    registry.set_translation_overlay(app, services.version_token, services.overlay_messages)
    registry.add_dashboard_panel(app, _dashboard_panel, order=80)
    registry.add_demo_loader(app, load_demo, order=90)
    registry.add_admin_nav(app, "translations.index", _l("Translations"), order=80, audience="translator")

    @app.context_processor
    def content_context():
        """The site name as admins wrote it for this language (profile's name otherwise)."""
        try:
            return {"site_name": text("site_name", i18n.current_language().tag)[0]}
        except SQLAlchemyError:  # the layout must render even before the tables exist
            return {}


def _dashboard_panel():
    if not current_user.is_authenticated or not current_user.is_admin:
        return None
    rows = [(lang, services.coverage(services.entries(lang))) for lang in services.editor_languages()]
    return "translations/_panel.html", {"rows": rows, "layer_on": services.layer_enabled()}
