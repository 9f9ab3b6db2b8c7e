"""`flask areas import-geojson` / `import-postcodes` / `type`: results, re-import, errors."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.areas import services
from app.areas.models import Area, AreaCode, AreaName, AreaType, Postcode
from app.extensions import db

from .conftest import feature, import_small_map, square, use_wales_profile, write_fc


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_import_creates_areas_names_codes_and_parents(app, runner, small_map):
    r1, r2 = import_small_map(runner, small_map)
    assert "created 2, updated 0, skipped 0, failed 0" in r1.output
    assert "created 4, updated 0, skipped 0, failed 0" in r2.output
    west = services.find_area_by_code("test", "R1")
    assert west.name == "West" and west.type == "REG" and west.type_name == "Region"
    assert services.all_names(west.id) == {"en": "West", "fr": "Ouest"}
    kids = {a.name for a in services.children(west.id)}
    assert kids == {"Southwest", "Northwest"}
    east = services.find_area_by_code("test", "R2")
    assert services.find_area_by_code("test", "D3").parent_id == east.id
    assert db.session.get(AreaType, "DIS").level == 2  # one below its parent type
    assert west.generation_low == west.generation_high == 1


def test_reimport_updates_in_place_and_keeps_ids(app, runner, small_map, tmp_path):
    import_small_map(runner, small_map)
    before = {c.value: c.area_id for c in db.session.scalars(select(AreaCode))}
    moved = write_fc(
        tmp_path / "regions2.json",
        [
            feature(square(0, 0, 1.5, 1), name="West Renamed", name_fr="Ouest", code="R1"),
            feature(square(1.5, 0, 2, 1), name="East", name_fr="Est", code="R2"),
        ],
    )
    res = runner.invoke(
        args=[
            "areas",
            "import-geojson",
            moved,
            "--type",
            "REG",
            "--name-field",
            "name",
            "--code-field",
            "code",
            "--code-scheme",
            "test",
        ]
    )
    assert res.exit_code == 0, res.output
    assert "created 0, updated 2" in res.output
    after = {c.value: c.area_id for c in db.session.scalars(select(AreaCode))}
    assert before == after
    assert count(Area) == 6
    # the index was rebuilt: (0.5, 1.2) is now in the renamed West
    names = {a.name for a in services.areas_at(0.5, 1.2, types=["REG"])}
    assert names == {"West Renamed"}


def test_reimport_without_codes_matches_by_name_and_type(app, runner, tmp_path):
    path = write_fc(tmp_path / "a.json", [feature(square(0, 0, 1, 1), name="Solo")])
    args = ["areas", "import-geojson", path, "--type", "ABC", "--name-field", "name"]
    assert "created 1" in runner.invoke(args=args).output
    assert "created 0, updated 1" in runner.invoke(args=args).output
    assert count(Area) == 1


def test_dry_run_saves_nothing(app, runner, small_map):
    regions, _ = small_map
    res = runner.invoke(args=["areas", "import-geojson", regions, "--type", "REG", "--name-field", "name", "--dry-run"])
    assert res.exit_code == 0
    assert "created 2" in res.output and "Dry run: nothing was saved." in res.output
    assert count(Area) == 0 and count(AreaType) == 0
    assert services.areas_at(0.5, 0.5) == []


def test_skips_features_without_geometry_and_repairs_invalid_polygons(app, runner, tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    path = write_fc(
        tmp_path / "a.json",
        [
            feature(bowtie, name="Bowtie"),
            feature(None, name="Nowhere"),
            feature({"type": "Point", "coordinates": [1, 1]}, name="Dot"),
            feature(square(5, 5, 6, 6), name=""),
        ],
    )
    res = runner.invoke(args=["areas", "import-geojson", path, "--type", "ABC", "--name-field", "name"])
    assert res.exit_code == 0, res.output
    assert "created 1, updated 0, skipped 1, failed 2" in res.output
    assert "Nowhere" in res.output and "no polygon" in res.output
    # the repaired bowtie is two triangles, and both halves answer lookups
    assert [a.name for a in services.areas_at(1.0, 0.2)] == ["Bowtie"]
    assert [a.name for a in services.areas_at(1.0, 1.8)] == ["Bowtie"]
    assert services.areas_at(1.0, 0.2 + 10) == []


def _fails(runner, args, message):
    res = runner.invoke(args=args)
    assert res.exit_code != 0, res.output
    assert message in res.output, res.output
    assert "Nothing was changed." in res.output
    assert count(Area) == 0
    return res


def test_bad_input_stops_with_a_clear_message_and_changes_nothing(app, runner, tmp_path):
    base = ["--type", "ABC", "--name-field", "name"]
    _fails(runner, ["areas", "import-geojson", str(tmp_path / "missing.json"), *base], "File not found")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    _fails(runner, ["areas", "import-geojson", str(tmp_path / "bad.json"), *base], "is not valid JSON")
    (tmp_path / "feat.json").write_text(json.dumps(feature(square(0, 0, 1, 1), name="x")), encoding="utf-8")
    _fails(runner, ["areas", "import-geojson", str(tmp_path / "feat.json"), *base], "not a GeoJSON FeatureCollection")
    osgb = write_fc(
        tmp_path / "osgb.json",
        [feature(square(0, 0, 1, 1), name="x")],
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
    )
    _fails(runner, ["areas", "import-geojson", osgb, *base], "only WGS84")
    metres = write_fc(tmp_path / "metres.json", [feature(square(300000, 170000, 310000, 180000), name="x")])
    _fails(runner, ["areas", "import-geojson", metres, *base], "not in WGS84")
    # the second feature lacks the field: the first must not be saved either
    partial = write_fc(
        tmp_path / "partial.json",
        [feature(square(0, 0, 1, 1), name="ok"), feature(square(1, 1, 2, 2), title="no name")],
    )
    _fails(runner, ["areas", "import-geojson", partial, *base], "Feature 2 has no property 'name'")
    good = write_fc(tmp_path / "good.json", [feature(square(0, 0, 1, 1), name="ok")])
    _fails(runner, ["areas", "import-geojson", good, *base, "--code-field", "name"], "--code-scheme")
    _fails(
        runner, ["areas", "import-geojson", good, *base, "--parent-type", "NOPE"], "parent type 'NOPE' does not exist"
    )
    _fails(runner, ["areas", "import-geojson", good, "--type", "bad code", "--name-field", "name"], "upper-case")
    assert count(AreaType) == 0


def test_name_field_options_need_values(app, runner, small_map):
    regions, _ = small_map
    res = runner.invoke(
        args=["areas", "import-geojson", regions, "--type", "REG", "--name-field", "name", "--name-field-fr"]
    )
    assert res.exit_code != 0 and "needs a property name" in res.output
    res = runner.invoke(args=["areas", "import-geojson", regions, "--type", "REG", "--name-field", "name", "--bogus"])
    assert res.exit_code != 0 and "--bogus" in res.output
    res = runner.invoke(
        args=["areas", "import-geojson", regions, "--type", "REG", "--name-field", "name", "--name-field-fr=name_fr"]
    )
    assert res.exit_code == 0, res.output
    assert db.session.scalar(select(AreaName.name).where(AreaName.lang == "fr", AreaName.name == "Ouest"))


def test_directory_import_reads_every_file(app, runner, tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    write_fc(folder / "a.json", [feature(square(0, 0, 1, 1), name="A")])
    write_fc(folder / "b.geojson", [feature(square(1, 0, 2, 1), name="B")])
    res = runner.invoke(args=["areas", "import-geojson", str(folder), "--type", "ABC", "--name-field", "name"])
    assert "created 2" in res.output


def test_type_command_sets_translated_names(app, runner):
    res = runner.invoke(
        args=["areas", "type", "WMC", "--level", "2", "--name", "en=Constituency", "--name", "fr=Circonscription"]
    )
    assert res.exit_code == 0, res.output
    t = db.session.get(AreaType, "WMC")
    assert t.level == 2 and t.names["fr"] == "Circonscription"
    res = runner.invoke(args=["areas", "type", "WMC", "--name", "oops"])
    assert res.exit_code != 0 and "LANG=TEXT" in res.output


def test_import_postcodes(app, runner, tmp_path):
    use_wales_profile(app)
    csv_path = tmp_path / "pc.csv"
    csv_path.write_text("pcd,latitude,longitude\nCF10 1EP,51.4816,-3.1791\nsw1a 1aa,51.501,-0.1416\n", encoding="utf-8")
    args = [
        "areas",
        "import-postcodes",
        str(csv_path),
        "--code-column",
        "pcd",
        "--lat-column",
        "latitude",
        "--lon-column",
        "longitude",
    ]
    res = runner.invoke(args=args)
    assert res.exit_code == 0, res.output
    assert "created 2, updated 0" in res.output
    assert db.session.scalar(select(Postcode).where(Postcode.code == "SW1A1AA")).lat == 51.501
    assert "created 0, updated 2" in runner.invoke(args=args).output
    assert count(Postcode) == 2


def test_import_postcodes_errors_change_nothing(app, runner, tmp_path):
    use_wales_profile(app)
    bad = tmp_path / "bad.csv"
    bad.write_text("code,lat,lon\nAB1 2CD,51.0,-3.0\nAB1 2CE,north,-3.0\n", encoding="utf-8")
    res = runner.invoke(args=["areas", "import-postcodes", str(bad)])
    assert res.exit_code != 0 and "Line 3" in res.output and "Nothing was changed." in res.output
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("postcode,lat,lon\nAB1 2CD,51.0,-3.0\n", encoding="utf-8")
    res = runner.invoke(args=["areas", "import-postcodes", str(nocol)])
    assert res.exit_code != 0 and "no column 'code'" in res.output
    res = runner.invoke(args=["areas", "import-postcodes", str(tmp_path / "none.csv")])
    assert res.exit_code != 0 and "File not found" in res.output
    assert count(Postcode) == 0


def test_postcodes_not_matching_the_profile_pattern_fail(app, runner, tmp_path):
    use_wales_profile(app)
    csv_path = tmp_path / "pc.csv"
    csv_path.write_text(
        "code,lat,lon\nBADCODE,51.0,-3.0\ncf10  1ep,51.4816,-3.1791\nCF99 1SN,51.46,-3.16\n"
        "12345,51.0,-3.0\n,51.0,-3.0\n",
        encoding="utf-8",
    )
    res = runner.invoke(args=["areas", "import-postcodes", str(csv_path)])
    assert res.exit_code == 0, res.output
    assert "created 2, updated 0, skipped 1, failed 2" in res.output
    assert "Failed line 2: 'BADCODE' is not a postcode of this country." in res.output
    assert "Failed line 5: '12345'" in res.output
    assert "2 row(s) not saved" in res.output and "CF10 1EP" in res.output  # the pattern's example
    assert sorted(db.session.scalars(select(Postcode.code))) == ["CF101EP", "CF991SN"]
    assert services.postcode_point("CF10 1EP") is not None


def test_postcodes_need_a_profile_with_postcodes(app, runner, tmp_path):
    csv_path = tmp_path / "pc.csv"
    csv_path.write_text("code,lat,lon\nCF10 1EP,51.4816,-3.1791\n", encoding="utf-8")
    res = runner.invoke(args=["areas", "import-postcodes", str(csv_path)])  # the demo profile has none
    assert res.exit_code != 0
    assert "has no postcodes ([postcodes] enabled = false)" in res.output and "Nothing was changed." in res.output
    assert count(Postcode) == 0


def test_import_into_a_new_type_warns_how_to_name_it(app, runner, small_map):
    regions, _districts = small_map
    args = ["areas", "import-geojson", regions, "--type", "REG", "--name-field", "name"]
    res = runner.invoke(args=args)
    assert res.exit_code == 0, res.output
    assert "created 2" in res.output
    tags = app.extensions["plaza_profile"].language_tags
    expected = (
        "Warning: The area type REG did not exist, so it was created with its code as its name and "
        "level 0. Give it its names and level: flask areas type REG --level N "
        + " ".join(f"--name {t}=NAME" for t in tags)
    )
    assert expected in res.output
    assert db.session.get(AreaType, "REG").names == {"": "REG"}
    again = runner.invoke(args=args)  # the type exists now: no warning
    assert again.exit_code == 0 and "Warning" not in again.output
    named = runner.invoke(
        args=["areas", "import-geojson", regions, "--type", "RGN", "--name-field", "name", "--type-name", "Region"]
    )
    assert named.exit_code == 0 and "Warning" not in named.output


def test_new_generation_waits_until_activated(app, runner, small_map, tmp_path):
    import_small_map(runner, small_map)
    west = services.find_area_by_code("test", "R1")
    new = write_fc(
        tmp_path / "gen2.json",
        [
            feature(square(0, 0, 1, 1), name="West", code="R1"),
            feature(square(5, 5, 6, 6), name="Island", code="R9"),
        ],
    )
    res = runner.invoke(
        args=[
            "areas",
            "import-geojson",
            new,
            "--type",
            "REG",
            "--name-field",
            "name",
            "--code-field",
            "code",
            "--code-scheme",
            "test",
            "--generation",
            "2",
        ]
    )
    assert "created 1, updated 1" in res.output, res.output
    assert services.current_generation() == 1
    assert services.areas_at(5.5, 5.5) == []  # generation 2 is not live yet
    assert services.areas_at(5.5, 5.5, generation=2)[0].name == "Island"
    res = runner.invoke(args=["areas", "activate-generation", "2"])
    # the districts were not imported into generation 2: activating would lose them all
    assert res.exit_code != 0 and "DIS (4 areas)" in res.output and "Nothing was changed" in res.output
    assert services.current_generation() == 1
    res = runner.invoke(args=["areas", "activate-generation", "2", "--force"])
    assert res.exit_code == 0 and "current generation is 2" in res.output
    assert "DIS (4 areas)" in res.output  # still warned
    assert [a.name for a in services.areas_at(5.5, 5.5)] == ["Island"]
    # West lives on (1-2); East, not re-imported, stays in generation 1 only
    assert services.area(west.id).generation_high == 2
    assert [a.name for a in services.areas_at(0.75, 1.5)] == []
    assert [a.name for a in services.areas_at(0.75, 1.5, generation=1)] == ["East", "Northeast"]
    res = runner.invoke(args=["areas", "activate-generation", "7"])
    assert res.exit_code != 0 and "no generation 7" in res.output
