"""Sizes and percentages through Babel's units; email fields and coordinates stay left to right."""

from __future__ import annotations

from pathlib import Path

from app.core import formatting as f

ROOT = Path(__file__).resolve().parents[2]


def test_file_sizes_use_the_languages_unit_names(in_profile):
    in_profile("ca", "fr")
    spaces = str.maketrans({"\u202f": " ", "\xa0": " "})  # CLDR's no-break spaces vary by version
    assert f.format_filesize(8 * 1024 * 1024).translate(spaces) == "8 Mo"
    assert f.format_filesize(1536).translate(spaces) == "1,5 ko"
    assert f.format_filesize(None) == ""


def test_file_sizes_in_english_and_bytes_through_the_catalog(in_profile):
    in_profile("gb-wls", "en")
    assert f.format_filesize(1536) == "1.5 kB"
    assert f.format_filesize(1) == "1 byte"
    assert f.format_filesize(812) == "812 bytes"


def test_no_unit_or_percent_sign_is_typed_into_a_template():
    offenders = []
    for path in (ROOT / "app").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if " KB" in text or " MB" in text or "%% translated" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_email_fields_read_left_to_right_on_an_arabic_page(core_app_factory):
    app = core_app_factory(PLAZA_PROFILE="jo")
    html = app.test_client().get("/ar/accounts/signin").get_data(as_text=True)
    assert 'dir="ltr"' in html.split('id="email"')[0].rsplit("<input", 1)[1] + html.split('id="email"')[1].split(">")[0]


def test_coordinates_are_wrapped_left_to_right():
    for name in ("detail.html", "new_details.html"):
        text = (ROOT / "app/reports/templates/reports" / name).read_text(encoding="utf-8")
        assert "<bdi dir=\"ltr\">{{ '%.5f'|format(" in text
