"""Boundary changes in a new generation: the live generation is untouched until activation."""

from __future__ import annotations

from sqlalchemy import func, select

from app.areas import services
from app.areas.models import Area
from app.extensions import db

from .conftest import feature, import_small_map, square, write_fc


def _import(runner, path, *extra):
    res = runner.invoke(
        args=[
            "areas",
            "import-geojson",
            path,
            "--type",
            "REG",
            "--name-field",
            "name",
            "--name-lang",
            "en",
            "--code-field",
            "code",
            "--code-scheme",
            "test",
            *extra,
        ]
    )
    assert res.exit_code == 0, res.output
    return res


def test_changed_area_in_inactive_generation_leaves_live_one_alone(app, runner, client, small_map, tmp_path):
    import_small_map(runner, small_map)
    west = services.find_area_by_code("test", "R1")
    east = services.find_area_by_code("test", "R2")
    gen2 = write_fc(
        tmp_path / "gen2.json",
        [
            # West renamed and shrunk to a sliver; East unchanged
            feature(square(0, 0, 0.1, 0.1), name="West City", code="R1"),
            feature(square(1, 0, 2, 1), name="East", code="R2"),
        ],
    )
    res = _import(runner, gen2, "--generation", "2")
    assert "created 0, updated 2 (1 as new versions for the new generation)" in res.output
    # the live generation answers exactly as before: name, boundary, code lookup
    assert services.area(west.id).name == "West"
    assert services.area(west.id).generation_high == 1
    assert [a.name for a in services.areas_at(0.5, 0.5, types=["REG"])] == ["West"]
    assert client.get("/mapit/point/4326/0.5,0.5?type=REG").get_json()[str(west.id)]["name"] == "West"
    res = client.get("/mapit/code/test/R1")
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/mapit/area/{west.id}")
    # generation 2 has the new version, under a new id; unchanged East kept its id
    assert services.areas_at(0.5, 0.5, types=["REG"], generation=2) == []
    [new] = services.areas_at(0.05, 0.05, types=["REG"], generation=2)
    assert new.name == "West City" and new.id != west.id and new.codes == {"test": "R1"}
    assert services.area(east.id).generation_high == 2
    assert db.session.scalar(select(func.count(Area.id)).where(Area.type_code == "REG")) == 3
    # re-importing the same file into generation 2 updates the new version, adds nothing
    res = _import(runner, gen2, "--generation", "2")
    assert "created 0, updated 2," in res.output
    assert db.session.scalar(select(func.count(Area.id)).where(Area.type_code == "REG")) == 3
    # after activation, the new version answers, and the code finds it
    res = runner.invoke(args=["areas", "activate-generation", "2", "--force"])
    assert res.exit_code == 0, res.output
    assert [a.name for a in services.areas_at(0.05, 0.05, types=["REG"])] == ["West City"]
    assert services.areas_at(0.5, 0.5, types=["REG"]) == []
    assert services.find_area_by_code("test", "R1").id == new.id
    assert client.get("/mapit/code/test/R1").headers["Location"].endswith(f"/mapit/area/{new.id}")
    assert services.areas_at(0.5, 0.5, types=["REG"], generation=1)[0].id == west.id
    assert services.versions([new.id]) == {new.id: new.id, west.id: new.id}


def test_unchanged_areas_keep_their_ids_in_a_new_generation(app, runner, small_map):
    import_small_map(runner, small_map)
    regions, districts = small_map
    before = {a.id for a in services.areas_at(0.25, 0.25)}
    _import(runner, regions, "--name-field-fr", "name_fr", "--generation", "2")
    res = runner.invoke(
        args=[
            "areas",
            "import-geojson",
            districts,
            "--type",
            "DIS",
            "--name-field",
            "name",
            "--code-field",
            "code",
            "--code-scheme",
            "test",
            "--parent-type",
            "REG",
            "--generation",
            "2",
        ]
    )
    assert "created 0, updated 4, skipped" in res.output, res.output
    res = runner.invoke(args=["areas", "activate-generation", "2"])
    assert res.exit_code == 0 and "Warning" not in res.output, res.output
    assert {a.id for a in services.areas_at(0.25, 0.25)} == before


def test_activation_refuses_when_types_are_missing(app, runner, small_map, tmp_path):
    import_small_map(runner, small_map)
    regions, _ = small_map
    _import(runner, regions, "--generation", "2")
    res = runner.invoke(args=["areas", "activate-generation", "2"])
    assert res.exit_code != 0
    assert "DIS (4 areas)" in res.output and "--force" in res.output
    assert services.current_generation() == 1
    assert {a.type for a in services.areas_at(0.25, 0.25)} == {"REG", "DIS"}


def test_huge_generation_numbers_are_usage_errors(app, runner, small_map):
    regions, _ = small_map
    big = "99999999999999999999"
    res = runner.invoke(
        args=["areas", "import-geojson", regions, "--type", "REG", "--name-field", "name", "--generation", big]
    )
    assert res.exit_code == 2 and "Traceback" not in res.output and "generation" in res.output
    res = runner.invoke(args=["areas", "activate-generation", big])
    assert res.exit_code == 2 and not isinstance(res.exception, OverflowError)


def test_representatives_follow_a_new_version_of_their_area(app, runner, small_map, tmp_path):
    """A post linked to the generation-1 row still answers for the area's generation-2 version."""
    from app.directory import services as directory
    from app.directory.models import Membership, Organisation, Person, Post

    import_small_map(runner, small_map)
    west = services.find_area_by_code("test", "R1")
    org = Organisation(name="Assembly", classification="legislature")
    person = Person(name="Ann Member")
    post = Post(label="Member for West", organisation=org, area_id=west.id)
    db.session.add_all([org, person, post, Membership(person=person, organisation=org, post=post)])
    db.session.commit()
    _import(
        runner,
        write_fc(tmp_path / "g2.json", [feature(square(0, 0, 0.5, 1), name="West", code="R1")]),
        "--generation",
        "2",
    )
    assert runner.invoke(args=["areas", "activate-generation", "2", "--force"]).exit_code == 0
    [new] = services.areas_at(0.25, 0.25, types=["REG"])
    assert new.id != west.id
    reps = directory.current_representatives([new.id])
    assert [(r.person_name, r.area_id) for r in reps] == [("Ann Member", new.id)]


def test_mapit_generation_filters_after_a_new_generation(app, runner, client, small_map, tmp_path):
    import_small_map(runner, small_map)
    east = services.find_area_by_code("test", "R2")
    west = services.find_area_by_code("test", "R1")
    _import(
        runner,
        write_fc(tmp_path / "g2.json", [feature(square(0, 0, 1, 1), name="West", code="R1")]),
        "--generation",
        "2",
    )
    assert runner.invoke(args=["areas", "activate-generation", "2", "--force"]).exit_code == 0
    # East is in generation 1 only
    assert set(client.get("/mapit/areas/REG").get_json()) == {str(west.id)}
    assert set(client.get("/mapit/areas/REG?generation=1").get_json()) == {str(west.id), str(east.id)}
    assert set(client.get("/mapit/areas/REG?min_generation=1").get_json()) == {str(west.id), str(east.id)}
    assert set(client.get("/mapit/areas/Ea?min_generation=1").get_json()) == {str(east.id)}
    assert client.get("/mapit/areas/Ea").get_json() == {}
    assert client.get(f"/mapit/area/{east.id}/children").get_json() == {}
    assert len(client.get(f"/mapit/area/{east.id}/children?min_generation=1").get_json()) == 2
    # the code lookup answers for the current generation only (MapIt), or the one asked for
    assert client.get("/mapit/code/test/R2").status_code == 404
    res = client.get("/mapit/code/test/R2.json?generation=1")
    assert res.status_code == 302 and res.headers["Location"].endswith(f"/mapit/area/{east.id}.json?generation=1")


def test_type_names_only_in_the_profiles_languages(app, runner):
    res = runner.invoke(args=["areas", "type", "SPC", "--name", "zz_bad=x"])
    assert res.exit_code != 0 and "not a language of this profile" in res.output
    assert runner.invoke(args=["areas", "type", "SPC", "--name", "en=Constituency"]).exit_code == 0


def test_skipping_generations_is_warned(app, runner, small_map):
    regions, _ = small_map
    _import(runner, regions)
    res = _import(runner, regions, "--generation", "7")
    assert "generations 2-6 do not exist" in res.output
