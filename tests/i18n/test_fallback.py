"""Per-message fallback chains and translation errors that never crash a page."""

from __future__ import annotations

import flask_babel
import pytest
from flask import g, render_template_string
from markupsafe import Markup

from app.core.i18n import build_translations, fallback_codes

from .conftest import write_catalog

PT = "nplurals=2; plural=(n > 1);"


def test_fallback_codes():
    assert fallback_codes("pt_BR", "en") == ["pt_BR", "pt", "en"]
    assert fallback_codes("en", "en") == ["en"]
    assert fallback_codes("sr_Latn", "en_GB") == ["sr_Latn", "sr", "en_GB", "en"]
    assert fallback_codes("tum", "en") == ["tum", "en"]


@pytest.fixture
def catalogs(tmp_path):
    write_catalog(
        tmp_path,
        "pt_BR",
        {
            "Area": "Área (BR)",
            ("%(num)s day", "%(num)s days"): ("%(num)s dia (BR)", ""),  # a form left blank
        },
        PT,
    )
    write_catalog(
        tmp_path,
        "pt",
        {
            "Area": "Área (PT)",
            "Body": "Organismo (PT)",
            ("%(num)s day", "%(num)s days"): ("%(num)s dia", "%(num)s dias"),
        },
        PT,
    )
    write_catalog(tmp_path, "en", {"Area": "Area (en)", "Body": "Body (en)", "Council": "Council (en)"})
    return tmp_path


def test_chain_pt_br_then_pt_then_default_then_source(catalogs):
    t = build_translations("pt_BR", "en", directory=catalogs)
    assert t.gettext("Area") == "Área (BR)"
    assert t.gettext("Body") == "Organismo (PT)"
    assert t.gettext("Council") == "Council (en)"
    assert t.gettext("Nowhere") == "Nowhere"
    # a plural with a blank form falls through to pt as a whole, with pt's plural rule
    assert t.ngettext("%(num)s day", "%(num)s days", 1) == "%(num)s dia"
    assert t.ngettext("%(num)s day", "%(num)s days", 5) == "%(num)s dias"
    assert t.ngettext("%(num)s week", "%(num)s weeks", 5) == "%(num)s weeks"


def test_missing_catalogs_still_give_the_source(tmp_path):
    t = build_translations("tum", "en", directory=tmp_path)
    assert t.gettext("Area") == "Area"
    assert t.ngettext("%(num)s day", "%(num)s days", 2) == "%(num)s days"


def test_corrupt_catalog_is_skipped(catalogs):
    (catalogs / "pt_BR" / "LC_MESSAGES" / "messages.mo").write_bytes(b"not a catalog at all")
    t = build_translations("pt_BR", "en", directory=catalogs)
    assert t.gettext("Area") == "Área (PT)"


@pytest.fixture
def app(core_app_factory, tmp_path):
    write_catalog(
        tmp_path,
        "pt_BR",
        {
            "Hello %(name)s": "Olá %(nome)s",  # a translator's typo
            "Welcome %(name)s": "Bem-vindo, %(name)s",
            "Area": "Área",
            ("%(num)s day", "%(num)s days"): ("%(numero)s dia", "%(numero)s dias"),
            ("%(num)s week", "%(num)s weeks"): ("%(num)s semana", "%(num)s semanas"),
            ("menu", "Open"): "Abrir",
        },
        PT,
    )
    write_catalog(tmp_path, "cy", {"Area": "Ardal", "Hello %(name)s": "Helo %(name)s %d"})
    app = core_app_factory(PLAZA_PROFILE="multi", PLAZA_TRANSLATIONS_DIR=str(tmp_path))
    with app.test_request_context("/"):
        yield app


def _lang(tag):
    g.lang = tag
    g.pop("_flask_babel", None)


def test_python_gettext_goes_through_the_chain_and_survives_typos(app):
    _lang("pt-BR")
    assert flask_babel.gettext("Area") == "Área"
    assert flask_babel.gettext("Welcome %(name)s", name="Ana") == "Bem-vindo, Ana"
    assert flask_babel.gettext("Hello %(name)s", name="Ana") == "Hello Ana"  # source, no KeyError
    assert flask_babel.ngettext("%(num)s day", "%(num)s days", 3) == "3 days"
    assert flask_babel.ngettext("%(num)s week", "%(num)s weeks", 3) == "3 semanas"
    assert flask_babel.pgettext("menu", "Open") == "Abrir"
    assert str(flask_babel.lazy_gettext("Area")) == "Área"
    _lang("cy")
    assert flask_babel.gettext("Hello %(name)s", name="Ana") == "Hello Ana"  # %d with a dict
    assert flask_babel.gettext("Area") == "Ardal"


def test_jinja_gettext_survives_typos_and_escapes(app):
    _lang("pt-BR")
    render = render_template_string
    assert render('{{ _("Hello %(name)s", name=n) }}', n="Ana") == "Hello Ana"
    assert render('{{ _("Welcome %(name)s", name=n) }}', n="<b>Ana</b>") == "Bem-vindo, &lt;b&gt;Ana&lt;/b&gt;"
    # the fallback path escapes too
    assert render('{{ _("Hello %(name)s", name=n) }}', n="<i>x</i>") == "Hello &lt;i&gt;x&lt;/i&gt;"
    # Markup stays markup
    assert render('{{ _("Welcome %(name)s", name=n) }}', n=Markup("<b>Ana</b>")) == "Bem-vindo, <b>Ana</b>"
    assert render('{{ ngettext("%(num)s day", "%(num)s days", 3) }}') == "3 days"
    assert render('{{ ngettext("%(num)s week", "%(num)s weeks", 1) }}') == "1 semana"
    assert render('{{ pgettext("menu", "Open") }}') == "Abrir"


def test_a_broken_translation_does_not_break_a_page(core_app_factory, tmp_path):
    write_catalog(
        tmp_path,
        "cy",
        {
            "Hello %(name)s": "Helo %(enw)s",  # broken
            "%(num)s day": "",
            ("%(num)s day", "%(num)s days"): tuple(f"{i}: %(nifer)s diwrnod" for i in range(6)),  # broken
            "Language": "Iaith",
        },
    )
    app = core_app_factory(PLAZA_PROFILE="multi", PLAZA_TRANSLATIONS_DIR=str(tmp_path))

    def page():
        return render_template_string(
            '{% extends "base.html" %}{% block content %}<p>{{ _("Hello %(name)s", name=n) }}</p>'
            '<p>{{ ngettext("%(num)s day", "%(num)s days", 3) }}</p>{% endblock %}',
            n="Siân",
        )

    app.add_url_rule("/<lang>/page/", "page", page)
    resp = app.test_client().get("/cy/page/")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Iaith" in html  # the good translation is used
    assert "<p>Hello Siân</p>" in html and "<p>3 days</p>" in html  # broken ones give the source
