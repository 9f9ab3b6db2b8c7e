"""Phone numbers: parsed with the profile's region, stored in E.164, shown the local way."""

from __future__ import annotations

import phonenumbers
from flask import current_app


def _region() -> str:
    return current_app.extensions["plaza_profile"].phone_region


def to_e164(text: str, region: str | None = None) -> str | None:
    """'029 2087 2087' (GB) -> '+442920872087'; None when it is not a possible number."""
    try:
        number = phonenumbers.parse((text or "").strip(), region or _region())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(value: str, region: str | None = None) -> str:
    """National format for the deployment's own numbers, international for others; as stored
    when it cannot be parsed (imported data may hold anything)."""
    region = region or _region()
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return value
    same = phonenumbers.region_code_for_number(number) == region
    kind = phonenumbers.PhoneNumberFormat.NATIONAL if same else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, kind)


def example(region: str | None = None) -> str:
    number = phonenumbers.example_number(region or _region())
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL) if number else "+44 29 2087 2087"
