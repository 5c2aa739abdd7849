"""Sea legs over water: a shortest path on a coarse land/water grid drawn from Natural Earth.

A leg that sources say went by sea ("a sea shipment through Conakry") drawn as a straight or
arced line crosses the Sahara, which no ship did. Here a grid over the leg's region marks a
cell as land when its centre lies inside a Natural Earth country outline; narrow passages the
grid closes (Bosphorus, Øresund, Gibraltar...) are opened again from `sea_passages.json`, which
is data. Dijkstra's algorithm on
the eight-neighbour water grid then gives the path, smoothed once for drawing.

A country as the start of a sea leg is not a port: the leg starts from whichever water cell along
that country's coast has the shortest sea path to the other end (one Dijkstra from the end).
Everything is offline and pure Python; at half a degree a leg across the Atlantic and the
Mediterranean takes a few tenths of a second.
"""

from __future__ import annotations

import heapq
import json
import math
from functools import cache
from pathlib import Path

import numpy as np

from orbat.brief import naturalearth
from orbat.brief.naturalearth import BBox

CELL = 0.5  # degrees
RING_POINTS = 3000
MARGIN = 15.0  # degrees of grid around the two ends: room for a path round a peninsula
PASSAGES = Path(__file__).with_name("sea_passages.json")
LonLat = tuple[float, float]


@cache
def _passages() -> tuple[tuple[LonLat, ...], ...]:
    data = json.loads(PASSAGES.read_text(encoding="utf-8"))
    return tuple(tuple((float(x), float(y)) for x, y in p["line"]) for p in data["passages"])


class Grid:
    """Water cells of a lon/lat box at `CELL` degrees; row 0 is the box's southern edge."""

    def __init__(self, box: BBox, codes_mask: tuple[str, ...] = ()) -> None:
        self.box = box
        self.cols = max(2, math.ceil((box[2] - box[0]) / CELL))
        self.rows = max(2, math.ceil((box[3] - box[1]) / CELL))
        outlines = naturalearth.overlapping(box)
        self.water = ~_raster([o.rings for o in outlines], box, self.cols, self.rows)
        for line in _passages():
            for lon, lat in _densify(line):
                cell = self.cell((lon, lat))
                if cell is not None:
                    self.water[cell] = True
        self.country = {
            code: _raster([o.rings for o in outlines if o.code == code], box, self.cols, self.rows)
            for code in codes_mask
        }

    def cell(self, point: LonLat) -> tuple[int, int] | None:
        col = int((point[0] - self.box[0]) / CELL)
        row = int((point[1] - self.box[1]) / CELL)
        return (row, col) if 0 <= row < self.rows and 0 <= col < self.cols else None

    def centre(self, cell: tuple[int, int]) -> LonLat:
        return self.box[0] + (cell[1] + 0.5) * CELL, self.box[1] + (cell[0] + 0.5) * CELL

    def nearest_water(self, point: LonLat, reach: float = 2.0) -> tuple[int, int] | None:
        """The water cell closest to a point, within `reach` degrees (a port city lies on land)."""
        centre = self.cell(point)
        if centre is None:
            return None
        steps = int(reach / CELL)
        found = [
            (math.dist((r, c), centre), (r, c))
            for r in range(centre[0] - steps, centre[0] + steps + 1)
            for c in range(centre[1] - steps, centre[1] + steps + 1)
            if 0 <= r < self.rows and 0 <= c < self.cols and self.water[r, c]
        ]
        return min(found)[1] if found else None

    def coast(self, code: str) -> list[tuple[int, int]]:
        """Water cells touching the country's land."""
        land = self.country.get(code)
        if land is None or not land.any():
            return []
        padded = np.pad(land, 1)
        near = np.zeros_like(land)
        for dr in (0, 1, 2):
            for dc in (0, 1, 2):
                near |= padded[dr : dr + land.shape[0], dc : dc + land.shape[1]]
        return [tuple(int(v) for v in cell) for cell in np.argwhere(near & self.water)]


def _densify(line: tuple[LonLat, ...], step: float = CELL / 3) -> list[LonLat]:
    out = []
    for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
        n = max(1, int(math.dist((x0, y0), (x1, y1)) / step))
        out += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n + 1)]
    return out


def _raster(shapes: list[tuple[tuple[LonLat, ...], ...]], box: BBox, cols: int, rows: int) -> np.ndarray:
    """True where a cell's centre lies inside the rings (even-odd, so a lake stays a hole).

    Each ring is thinned to at most `RING_POINTS` vertices (a 10m coastline has 100,000 for
    Russia; at half a degree a few thousand say the same) and tested only against the cells in
    its own box, so a grid of the Atlantic and Europe takes a fraction of a second.
    """
    from matplotlib.path import Path as MplPath

    inside = np.zeros((rows, cols), dtype=bool)
    lons = box[0] + (np.arange(cols) + 0.5) * CELL
    lats = box[1] + (np.arange(rows) + 0.5) * CELL
    for rings in shapes:
        for ring in rings:
            if len(ring) < 3:
                continue
            points = np.asarray(ring[:: max(1, len(ring) // RING_POINTS)])
            c0, c1 = np.searchsorted(lons, points[:, 0].min()), np.searchsorted(lons, points[:, 0].max())
            r0, r1 = np.searchsorted(lats, points[:, 1].min()), np.searchsorted(lats, points[:, 1].max())
            if c0 >= c1 or r0 >= r1:
                continue  # smaller than a cell
            grid_lon, grid_lat = np.meshgrid(lons[c0:c1], lats[r0:r1])
            hit = MplPath(points).contains_points(np.column_stack([grid_lon.ravel(), grid_lat.ravel()]))
            inside[r0:r1, c0:c1] ^= hit.reshape(grid_lon.shape)
    return inside


def _dijkstra(water: np.ndarray, start: tuple[int, int], south: float) -> tuple[dict, dict]:
    """Distances and predecessors from one water cell over water.

    A step east or west is shortened by the cosine of its latitude, so a path is short in
    kilometres, not in degrees (which would favour the Arctic).
    """
    rows, cols = water.shape
    dist = {start: 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    queue = [(0.0, start)]
    shrink = [math.cos(math.radians(south + (r + 0.5) * CELL)) for r in range(rows)]
    while queue:
        d, (r, c) = heapq.heappop(queue)
        if d > dist.get((r, c), math.inf):
            continue
        moves = [(dr, dc, math.hypot(dr, dc * shrink[r])) for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc]
        for dr, dc, cost in moves:
            nr, nc = r + dr, c + dc
            if 0 <= nr < rows and 0 <= nc < cols and water[nr, nc]:
                nd = d + cost
                if nd < dist.get((nr, nc), math.inf):
                    dist[(nr, nc)] = nd
                    back[(nr, nc)] = (r, c)
                    heapq.heappush(queue, (nd, (nr, nc)))
    return dist, back


def _smooth(points: list[LonLat]) -> list[LonLat]:
    """One pass of a three-point moving average: the grid's staircase without cutting headlands."""
    if len(points) < 3:
        return points
    inner = [
        ((a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3)
        for a, b, c in zip(points, points[1:], points[2:], strict=False)
    ]
    return [points[0], *inner, points[-1]]


def _region(start: LonLat, end: LonLat, extra: list[LonLat]) -> BBox:
    lons = [start[0], end[0], *(p[0] for p in extra)]
    lats = [start[1], end[1], *(p[1] for p in extra)]
    return (
        max(-180.0, min(lons) - MARGIN),
        max(-78.0, min(lats) - MARGIN),
        min(180.0, max(lons) + MARGIN),
        min(84.0, max(lats) + MARGIN),
    )


@cache
def sea_path(start: LonLat, end: LonLat, start_country: str | None = None) -> tuple[LonLat, ...] | None:
    """A water path from `start` (or the best point of `start_country`'s coast) to `end`.

    Returns lon/lat points from the start's coast to the end's water, or None when outlines are
    not installed or no water connects the two (a landlocked end, a closed sea).
    """
    if not naturalearth.available():
        return None
    extra: list[LonLat] = []
    if start_country:
        outline = naturalearth.country(start_country)
        if outline is not None:
            extra = [(outline.main_bbox[0], outline.main_bbox[1]), (outline.main_bbox[2], outline.main_bbox[3])]
    grid = Grid(_region(start, end, extra), (start_country,) if start_country else ())
    goal = grid.nearest_water(end)
    if goal is None:
        return None
    dist, back = _dijkstra(grid.water, goal, grid.box[1])
    if start_country:
        candidates = [c for c in grid.coast(start_country) if c in dist]
        first = min(candidates, key=lambda c: dist[c], default=None)
    else:
        first = grid.nearest_water(start)
        first = first if first in dist else None
    if first is None:
        return None
    cells = [first]
    while cells[-1] != goal:
        cells.append(back[cells[-1]])
    return tuple(_smooth([grid.centre(c) for c in cells]))
