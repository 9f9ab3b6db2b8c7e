"""A click on the clickable map: kept on the map shown, and a wide map zooms in towards it."""

from __future__ import annotations

from app.reports.geometry import MAP_H, MAP_W, clicked_point, metres_per_pixel, zoom_towards


def test_a_click_inside_the_map_is_taken_as_it_is():
    box = (0.0, 50.0, 0.01, 50.005)
    lat, lon, moved = clicked_point(box, MAP_W / 2, MAP_H / 2)
    assert not moved
    assert 50.0 < lat < 50.005 and 0.0 < lon < 0.01


def test_a_click_off_the_picture_lands_on_its_nearest_edge():
    box = (0.0, 50.0, 0.01, 50.005)
    lat, lon, moved = clicked_point(box, MAP_W + 500, -40)
    assert moved
    assert lon <= 0.01 and lat <= 50.005


def test_a_wide_map_zooms_towards_the_click_and_stays_on_the_globe():
    world = (-180.0, -80.0, 180.0, 80.0)
    closer = zoom_towards(world, 89.0, 179.9)
    assert closer[2] - closer[0] < 360 and metres_per_pixel(closer) < metres_per_pixel(world)
    assert -180 <= closer[0] < closer[2] <= 180 and -90 <= closer[1] < closer[3] <= 90
