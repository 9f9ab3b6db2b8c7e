"""The formatting facade: the request's locale, the profile's time zone and distance unit."""

from __future__ import annotations

import datetime as dt

from app.core import formatting as f


def test_wales_in_welsh_miles_and_london_time(in_profile):
    in_profile("gb-wls", "cy")
    summer_evening = dt.datetime(2026, 7, 1, 23, 30)  # naive = UTC: 00:30 BST next day
    assert f.format_date(summer_evening) == "2 Gorff 2026"
    assert f.format_time(summer_evening) == "00:30"
    assert f.format_distance(50) == "55 llath"
    assert f.format_distance(2500) == "1.6 mi"
    assert f.format_distance(None) == ""


def test_canada_in_french_and_toronto_time(in_profile):
    in_profile("ca", "fr")
    when = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)
    assert f.format_date(when) == "1 juill. 2026"
    assert f.format_time(when) == "19 h 30"
    assert f.format_number(1234567.5) == "1\xa0234\xa0567,5"  # fr_CA groups with a no-break space
    assert f.format_distance(999.7) == "1 km"  # not "1 000 m"
    assert f.format_distance(2500) == "2,5 km"


def test_arabic_and_odd_inputs(in_profile):
    in_profile("jo", "ar")
    assert f.format_datetime(dt.date(2026, 1, 2)) == f.format_date(dt.date(2026, 1, 2))
    assert "10:05" in f.format_time(dt.time(10, 5))  # a wall-clock time is not shifted
    assert f.parse_digits("١٢٫٥") == "12.5"
    assert f.format_datetime(None) == "" and f.format_number(None) == ""
