"""Demo data: short about, privacy and help pages in the profile's default language.

The other languages fall back to these texts until an admin translates them, as on a real site.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..core.i18n import force_language
from ..core.profile import current_profile
from . import content


def _texts(site: str) -> dict[str, list[str]]:
    return {
        "page:about:body": [
            _(
                "%(site)s is a demonstration of Plaza: report problems in public spaces, find out who "
                "represents you, write to them, and ask public bodies for information.",
                site=site,
            ),
            _("Everything here is invented: the places, the people, the bodies and the reports."),
        ],
        "page:privacy:body": [
            _(
                "This demo keeps only what it needs: your name, your email address and what you post. "
                "Reports and requests are public; your email address never is."
            ),
            _("No email is sent to the invented people and bodies of this demo."),
        ],
        "page:help:body": [
            _(
                "To report a problem, find the place by typing an address or a place name, choose a "
                "category and describe what is wrong."
            ),
            _(
                "To ask a public body for information, find it in the list of bodies and write your "
                "request. The law gives it a deadline to answer."
            ),
        ],
    }


def load_demo(*_args, **_kwargs) -> str | None:
    default = current_profile().default_language
    with force_language(default):
        site = content.text("site_name", default)[0]
        texts = _texts(site)
    saved = sum(
        1
        for key, paragraphs in texts.items()
        if not content.own_text(key, default) and content.save(key, {default: "\n\n".join(paragraphs)}, None)
    )
    return f"translations: {saved} demo pages" if saved else None
