"""Masking personal data in FOI text: phone numbers in each region's formats go; figures, years, dates and tables stay."""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager

import pytest

from app.foi.redaction import mask_personal

PHONE = "[phone number]"


@contextmanager
def region(app, code):
    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(prof, phone_region=code)
    try:
        yield
    finally:
        app.extensions["plaza_profile"] = prof


REPLY_ES = """Estimado Sr. Pérez:

En respuesta a su solicitud, le informamos de que el presupuesto de mantenimiento de carreteras
de 2024 fue de 340.000.000 euros, frente a 312.450.000 € en 2023 (un 8,8 % más).
Se repararon 1.234,5 km durante el periodo 2020-2025 y los años 2019 2020 2021 se adjuntan.
Tabla: 2019 1234 5678 9012 3456
Coordenadas del tramo: 40.416775, -3.703790. Población atendida: 3 223 334 habitantes.
Expediente 2023/000123456, registro de salida 202312345 del 16.6.2016 20:22:39.
El importe adjudicado fue de 12 500 000 y el contrato 2024-0001234.

Para cualquier duda puede llamar al 91 123 45 67 o al móvil 612 345 678.
Tel.: +34 915 123 456 · Fax 0034 91 512 34 57
"""


def test_a_spanish_reply_keeps_its_figures_and_loses_its_phones(app):
    with region(app, "ES"):
        masked = mask_personal(REPLY_ES)
    for kept in (
        "340.000.000 euros",
        "312.450.000 €",
        "1.234,5 km",
        "2020-2025",
        "2019 2020 2021",
        "2019 1234 5678 9012 3456",
        "40.416775, -3.703790",
        "3 223 334 habitantes",
        "2023/000123456",
        "202312345",
        "16.6.2016 20:22:39",
        "12 500 000",
        "2024-0001234",
    ):
        assert kept in masked, kept
    for gone in ("91 123 45 67", "612 345 678", "915 123 456", "91 512 34 57"):
        assert gone not in masked, gone
    assert masked.count(PHONE) == 4


@pytest.mark.parametrize("code", ["BO", "JO", "GB", "ES", "CA"])
def test_figures_survive_in_every_region(app, code):
    text = (
        "Bs 12.500.000; Periodo 2020-2025; 40.416775; Bs 12 500 000; USD 1,250,000; 3.500.000 dinares; "
        "JD 2500000; los años 2018-2019-2020; 123456789012"
    )
    with region(app, code):
        assert mask_personal(text) == text


def test_phones_in_bolivia_and_jordan(app):
    with region(app, "BO"):
        masked = mask_personal("Contacto: 2 2441234. Celular 71234567. Oficina 22441234.")
        assert "2441234" not in masked and "71234567" not in masked and "22441234" not in masked
    with region(app, "JO"):
        masked = mask_personal("هاتف 06 5001234 أو 0791234567، الميزانية 12.500.000 دينار")
        assert "5001234" not in masked and "0791234567" not in masked and "12.500.000" in masked


def test_uk_reply_from_the_shared_mail(app):
    text = (
        "Please call us on 020 7946 0018 or 0161 496 0000. The council spent £1,234,567 in 2019-20, "
        "and 12,345 residents were consulted between 2019 and 2021."
    )
    with region(app, "GB"):
        masked = mask_personal(text)
    assert "7946 0018" not in masked and "496 0000" not in masked
    assert "£1,234,567" in masked and "2019-20" in masked and "12,345 residents" in masked


@pytest.mark.shared_data
def test_shared_alaveteli_mails_lose_no_figures(app, shared_data):
    """Every figure of the shared test emails that is not a phone number is left alone."""
    import re

    from app.core.mail.parsing import parse

    with region(app, "GB"):
        for path in sorted((shared_data / "mail" / "alaveteli").glob("*.eml")):
            text = parse(path.read_bytes()).text
            masked = mask_personal(text)
            removed = set(re.findall(r"\d[\d.,-]*\d", text)) - set(re.findall(r"\d[\d.,-]*\d", masked))
            assert not any(len(re.sub(r"\D", "", r)) < 9 for r in removed), (path.name, removed)


def test_masking_skips_date_times_and_follows_the_phone_region(app):
    import dataclasses

    from app.foi.redaction import mask_personal

    assert mask_personal("Datum: 16.6.2016 20:22:39") == "Datum: 16.6.2016 20:22:39"
    assert "612 345 678" not in mask_personal("Llame al 612 345 678")
    assert "2 2441234" in mask_personal("Llame al 2 2441234")  # 8 digits: too short in the demo's region
    prof = app.extensions["plaza_profile"]
    app.extensions["plaza_profile"] = dataclasses.replace(prof, phone_region="BO")
    try:
        masked = mask_personal("Llame al 2 2441234 o al +591 71234567, el 16.06.2016 a las 20:22:39")
    finally:
        app.extensions["plaza_profile"] = prof
    assert "2441234" not in masked and "71234567" not in masked and "16.06.2016 a las 20:22:39" in masked
