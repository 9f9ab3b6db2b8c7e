"""Every shipped country profile loads; broken ones stop the app naming the file and the field."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import holidays
import pytest
from babel import Locale

from app import create_app
from app.config import ConfigError
from app.profiles import PROFILE_DIR, ProfileError, available_profiles, load_profile

SHIPPED = available_profiles()


def test_the_required_profiles_are_shipped():
    for code in ("demo", "gb-wls", "bo", "jo", "ca"):
        assert code in SHIPPED


@pytest.mark.parametrize("code", SHIPPED)
def test_every_shipped_profile_loads_and_is_coherent(code):
    prof = load_profile(code)
    assert prof.code == code
    assert prof.default_language in prof.language_tags
    zoneinfo.ZoneInfo(prof.timezone)
    for lang in prof.languages:
        Locale.parse(lang.format_locale)
        assert lang.direction == Locale.parse(lang.format_locale).text_direction
    # every fact is sourced (the demo says it is fictional)
    assert prof.sources
    for law in prof.foi_laws:
        assert prof.text(law.name, prof.default_language)
        assert law.very_overdue_days >= law.reply_days
        if code != "demo":
            assert law.source
    assert prof.text(prof.site_name, prof.default_language)


def test_wales():
    prof = load_profile("gb-wls")
    assert prof.language_tags == ["en", "cy"]
    assert prof.language("cy").format_locale == "cy_GB"
    assert prof.timezone == "Europe/London"
    assert prof.weekend == (5, 6)
    assert prof.distance_unit == "mi"
    assert prof.representative_types == ("SPC", "SPE", "UTA", "UTW")
    assert prof.postcodes and prof.postcode_valid("CF10 1EP") and prof.postcode_valid("sa991aa")
    assert not prof.postcode_valid("12345") and not prof.postcode_valid("CF10")
    foia = prof.foi_law("foia2000")
    assert (foia.reply_days, foia.day_type) == (20, "working")
    assert prof.text(foia.name, "cy") == "Deddf Rhyddid Gwybodaeth 2000"
    assert foia.review_days == 20
    # holidays come from the package for GB / WLS: St David's Day is not a bank holiday,
    # Easter Monday is (unlike Scotland).
    hols = holidays.country_holidays(prof.holidays_country, subdiv=prof.holidays_subdivision, years=2026)
    assert dt.date(2026, 4, 6) in hols
    assert dt.date(2026, 12, 25) in hols


def test_spanish_country_without_postcodes():
    prof = load_profile("bo")
    assert prof.default_language == "es" and prof.language("es").format_locale == "es_BO"
    assert not prof.postcodes and not prof.postcode_valid("1234")
    assert prof.timezone == "America/La_Paz"
    assert prof.foi_laws


def test_arabic_rtl_country_with_friday_saturday_weekend():
    prof = load_profile("jo")
    ar = prof.language("ar")
    assert prof.default_language == "ar" and ar.direction == "rtl" and ar.format_locale == "ar_JO"
    assert prof.weekend == (4, 5)
    # the formatting locale agrees with the profile's weekend
    loc = Locale.parse(ar.format_locale)
    assert (loc.weekend_start, loc.weekend_end) == (4, 5)
    law = prof.foi_law()
    # as amended in 2024: 15 working days, extendable once by 10
    assert (law.reply_days, law.day_type, law.very_overdue_days) == (15, "working", 25)
    assert "47" in prof.text(law.name, "en")


def test_country_with_two_official_languages():
    prof = load_profile("ca")
    assert prof.language_tags == ["en", "fr"]
    assert prof.language("fr").format_locale == "fr_CA"
    law = prof.foi_law("atia")
    assert (law.reply_days, law.day_type) == (30, "calendar")
    assert prof.text(law.name, "fr") == "Loi sur l'accès à l'information"
    assert prof.postcode_valid("K1A 0A9") and not prof.postcode_valid("D1A 0A9")


# -- broken profiles -----------------------------------------------------------------
def _write(tmp_path: Path, text: str, name: str = "broken") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _demo_text() -> str:
    return (PROFILE_DIR / "demo.toml").read_text(encoding="utf-8")


def _expect_error(tmp_path, text, field):
    path = _write(tmp_path, text)
    with pytest.raises(ProfileError) as err:
        load_profile("broken", tmp_path)
    message = str(err.value)
    assert str(path) in message, message
    assert f"'{field}'" in message, message
    return message


def test_a_copy_of_the_demo_loads_from_another_directory(tmp_path):
    _write(tmp_path, _demo_text())
    assert load_profile("broken", tmp_path).language_tags == ["en", "es", "fr", "ar"]
    # a path to a file works too (used by PLAZA_PROFILE for private profiles and tests)
    assert load_profile(str(tmp_path / "broken.toml")).code == "broken"


def test_missing_field(tmp_path):
    text = re.sub(r"^timezone = .*$", "", _demo_text(), flags=re.M)
    assert "missing" in _expect_error(tmp_path, text, "timezone")


def test_wrong_type(tmp_path):
    text = _demo_text().replace("zoom = 9", 'zoom = "nine"')
    assert "must be int" in _expect_error(tmp_path, text, "map.zoom")


def test_bad_time_zone(tmp_path):
    text = _demo_text().replace('timezone = "Europe/London"', 'timezone = "Europe/Cardiff"')
    _expect_error(tmp_path, text, "timezone")


def test_unknown_language_without_plural_rule(tmp_path):
    text = _demo_text() + '\n[[languages]]\ntag = "tum"\nformat_locale = "en_MW"\n'
    # TOML: an array of tables after [sources] is fine
    assert "Plural-Forms" in _expect_error(tmp_path, text, "languages[4].plural")


def test_unknown_language_with_plural_rule_loads(tmp_path):
    text = _demo_text() + (
        '\n[[languages]]\ntag = "tum"\nname = "Chitumbuka"\nformat_locale = "en_MW"\n'
        'plural = "nplurals=2; plural=(n != 1);"\n'
    )
    _write(tmp_path, text)
    lang = load_profile("broken", tmp_path).language("tum")
    assert lang.catalog == "tum" and lang.format_locale == "en_MW" and lang.name == "Chitumbuka"


@pytest.mark.parametrize(
    "old,new,field",
    [
        ('default_language = "en"', 'default_language = "de"', "default_language"),
        ("weekend = [5, 6]", "weekend = [5, 9]", "weekend"),
        ("weekend = [5, 6]", "weekend = [0, 1, 2, 3, 4, 5, 6]", "weekend"),
        ('distance_unit = "km"', 'distance_unit = "furlong"', "distance_unit"),
        ('tag = "es"', 'tag = "Spanish"', "languages[1].tag"),
        ('tag = "es"', 'tag = "en"', "languages[1].tag"),
        ('format_locale = "ar_EG"', 'format_locale = "xx_QQ"', "languages[3].format_locale"),
        ('country = ""', 'country = "XX"', "holidays.country"),
        ('extra = ["2026-01-01"', 'extra = ["2026-13-01"', "holidays.extra[0]"),
        ("enabled = false", "enabled = true", "postcodes.pattern"),
        ("lat = 10.0", "lat = 100.0", "map.lat"),
        ('day_type = "working"', 'day_type = "weekly"', "foi.laws[0].day_type"),
        ("very_overdue_days = 40", "very_overdue_days = 10", "foi.laws[0].very_overdue_days"),
        ('representative_types = ["REG", "DIS"]', "representative_types = [1, 2]", "areas.representative_types"),
        ('phone_region = "GB"', 'phone_region = "Britain"', "phone_region"),
    ],
)
def test_broken_fields(tmp_path, old, new, field):
    text = _demo_text()
    assert old in text
    _expect_error(tmp_path, text.replace(old, new, 1), field)


def test_bad_subdivision(tmp_path):
    text = _demo_text().replace('country = ""', 'country = "GB"\nsubdivision = "XYZ"')
    _expect_error(tmp_path, text, "holidays.subdivision")


def test_postcode_example_must_match(tmp_path):
    text = _demo_text().replace("enabled = false", 'enabled = true\npattern = "[0-9]{5}"\nexample = "ABC"')
    _expect_error(tmp_path, text, "postcodes.example")


def test_not_toml_and_unknown_code(tmp_path):
    path = _write(tmp_path, "name = [unclosed")
    with pytest.raises(ProfileError, match=re.escape(str(path))):
        load_profile("broken", tmp_path)
    with pytest.raises(ProfileError, match="not found"):
        load_profile("atlantis")
    with pytest.raises(ProfileError, match="not found"):
        load_profile("../etc/passwd")


def test_app_refuses_a_broken_profile(tmp_path):
    _write(tmp_path, _demo_text().replace("zoom = 9", "zoom = 9.5"))
    with pytest.raises(ProfileError, match="map.zoom"):
        create_app({"TESTING": True, "PLAZA_PROFILE": str(tmp_path / "broken.toml")})


def test_app_refuses_production_without_secret_key(monkeypatch):
    monkeypatch.setenv("PLAZA_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"TESTING": True})
    monkeypatch.setenv("SECRET_KEY", "")
    with pytest.raises(ConfigError):
        create_app({"TESTING": True})


@pytest.mark.parametrize("code", ["gb-wls", "jo"])
def test_app_starts_with_real_profiles(core_app_factory, code):
    app = core_app_factory(PLAZA_PROFILE=code)
    client = app.test_client()
    prof = load_profile(code)
    resp = client.get("/", headers={"Accept-Language": "de"})
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith(f"/{prof.default_language}/")


def test_profile_review_kind_and_holiday_keys_are_checked(tmp_path):
    from app.profiles import ProfileError, load_profile

    text = (load_profile("ca").path).read_text(encoding="utf-8")
    ca = load_profile("ca")
    assert ca.foi_law().review_kind == "external" and "Commissioner" in ca.text(ca.foi_law().review_body, "en")
    assert load_profile("jo").foi_law().review_kind == "external"
    assert load_profile("gb-wls").foi_law().review_kind == "internal"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('categories = ["public", "government"]', 'categories = ["nonsense"]'), encoding="utf-8")
    with pytest.raises(ProfileError, match="categories"):
        load_profile(str(bad))
    bad.write_text(text.replace("review_body = {", "old_body = {"), encoding="utf-8")
    with pytest.raises(ProfileError, match="review_body"):
        load_profile(str(bad))
