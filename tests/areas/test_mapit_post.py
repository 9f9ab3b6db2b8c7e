"""MapIt's POST form of long list URLs (mySociety::MaPit past 1,024 characters) answers as the GET does."""

from __future__ import annotations


def test_every_welsh_area_by_post_equals_the_get(wales_client):
    everything = wales_client.get("/mapit/areas/SPE,SPC,UTA,UTW").get_json()
    ids = ",".join(sorted(everything, key=int))
    assert len(everything) == 184  # (ids are small here; a real deployment passes 1,024 characters)
    by_get = wales_client.get(f"/mapit/areas/{ids}")
    assert by_get.status_code == 200
    by_post = wales_client.post("/mapit/areas", data={"URL": ids})
    assert by_post.status_code == 200 and by_post.headers["Access-Control-Allow-Origin"] == "*"
    assert by_post.get_json() == by_get.get_json() == everything


def test_post_takes_maPits_semicolons_sub_paths_and_parameters(wales_client):
    uta = wales_client.get("/mapit/areas/UTA").get_json()
    first_two = ",".join(sorted(uta, key=int)[:2])
    raw = f"URL={first_two}/geometry;unused=1"
    resp = wales_client.post("/mapit/areas", data=raw, content_type="application/x-www-form-urlencoded")
    assert resp.status_code == 200
    assert resp.get_json() == wales_client.get(f"/mapit/areas/{first_two}/geometry").get_json()
    assert sorted(resp.get_json()) == sorted(first_two.split(","))
    # Fields other than URL are the query parameters: here a generation nothing is alive in.
    resp = wales_client.post("/mapit/areas", data={"URL": "UTA", "generation": "99"})
    assert resp.status_code == 200 and resp.get_json() == wales_client.get("/mapit/areas/UTA?generation=99").get_json()
    assert resp.get_json() == {}


def test_post_without_url_is_a_mapit_error(wales_client):
    resp = wales_client.post("/mapit/areas", data={})
    assert resp.status_code == 400 and resp.get_json() == {"error": "No content specified", "code": 400}


def test_a_post_for_852_wards_past_1024_characters_answers_them_all(app, runner, tmp_path):
    """As many areas as Wales has wards, asked for in one POST whose URL would be far past 1,024
    characters (mySociety::MaPit's switch to POST)."""
    from .conftest import feature, square, write_fc

    wards = [
        feature(square(i * 0.01, 0, i * 0.01 + 0.01, 0.01), name=f"Ward {i}", code=f"W{i:08d}") for i in range(852)
    ]
    path = write_fc(tmp_path / "wards.geojson", wards)
    result = runner.invoke(
        args=[
            "areas",
            "import-geojson",
            path,
            "--type",
            "WRD",
            "--name-field",
            "name",
            "--code-field",
            "code",
            "--code-scheme",
            "gss",
            "--type-name",
            "Ward",
            "--level",
            "3",
        ]
    )
    assert result.exit_code == 0, result.output
    everything = app.test_client().get("/mapit/areas/WRD").get_json()
    assert len(everything) == 852
    ids = ",".join(sorted(everything, key=int))
    url = f"/mapit/areas/{ids}"
    assert len(url) > 1024
    by_post = app.test_client().post("/mapit/areas", data={"URL": ids})
    assert by_post.status_code == 200
    assert by_post.get_json() == everything
