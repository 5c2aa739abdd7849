"""The brief's two pictures, drawn offline with matplotlib's Agg canvas: a map and a timeline.

No pyplot (no global figure state, no GUI backend to pick) and no basemap tiles: the map is a
lon/lat frame with Natural Earth country outlines when they are installed
(`orbat.brief.naturalearth`), the country's installations and largest towns as grey reference
points, observation points sized by their independent sources, and route arrows from origin
through transit to destination; origins beyond the frame enter from its edge, labelled. Text
from sources is drawn with `$` escaped, so a place name can never switch on mathtext.
"""

from __future__ import annotations

import io
import math
from datetime import date, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath

from orbat.brief import naturalearth
from orbat.brief.content import MapData, MapPoint, MapRoute, TimelineItem
from orbat.brief.naturalearth import BBox

COLORS = {"confirmed": "#1a7a3a", "reported": "#4f9d4b", "probable": "#a2c44a", "possible": "#e8a13a",
          "speculative": "#9b9b9b", "denied": "#c0392b"}
SEA, LAND, FOCUS, BORDER, ROUTE, POINT = "#e6eef5", "#f7f5f0", "#efe6cf", "#8a8a8a", "#2c5d8f", "#c0392b"
LABEL_CHARS = 42


def plain(text: str, limit: int = LABEL_CHARS) -> str:
    """Source text safe to draw: one line, `$` escaped (no mathtext), shortened."""
    one_line = " ".join(str(text).split())
    if len(one_line) > limit:
        one_line = one_line[:limit - 1] + "…"
    return one_line.replace("$", r"\$")


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out)
    return out.getvalue()


# --- the map ---------------------------------------------------------------------------------


def _union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _padded(box: BBox, share: float = 0.08, minimum: float = 4.0) -> BBox:
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max(x1 - x0, minimum) * (0.5 + share)
    half_h = max(y1 - y0, minimum) * (0.5 + share)
    return max(cx - half_w, -180), max(cy - half_h, -85), min(cx + half_w, 180), min(cy + half_h, 85)


def frame(data: MapData) -> BBox:
    """The focus countries and observation points, plus route stops lying just beyond them."""
    boxes = [o.main_bbox for c in data.focus if (o := naturalearth.country(c))]
    boxes += [(p.lon, p.lat, p.lon, p.lat) for p in data.points]
    core = _union(boxes) or _union([(p.lon, p.lat, p.lon, p.lat) for p in data.references])
    if core is None:
        return -180, -60, 180, 80
    reach = max(5.0, 0.3 * max(core[2] - core[0], core[3] - core[1]))
    near = [(s.lon, s.lat, s.lon, s.lat) for r in data.routes for s in r.stops if s.lat is not None
            and core[0] - reach <= s.lon <= core[2] + reach and core[1] - reach <= s.lat <= core[3] + reach]
    return _padded(_union([core, *near]) or core)


def _draw_outlines(ax, box: BBox, focus: list[str]) -> bool:
    from matplotlib.patches import PathPatch

    outlines = naturalearth.overlapping(box)
    for outline in outlines:
        vertices, codes = [], []
        for ring in outline.rings:
            vertices.extend(ring)
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 1))
        fill = FOCUS if outline.code in focus else LAND
        ax.add_patch(PathPatch(MplPath(vertices, codes), facecolor=fill, edgecolor=BORDER, linewidth=0.5,
                               zorder=1))
    return bool(outlines)


def _draw_references(ax, references: list[MapPoint], taken: set[str]) -> None:
    for ref in references:
        marker = "^" if ref.kind == "installation" else "o"
        ax.scatter([ref.lon], [ref.lat], s=14 if ref.kind == "installation" else 8, marker=marker,
                   color="#6d6d6d", zorder=3)
        if ref.name not in taken:
            ax.annotate(plain(ref.label, 28), (ref.lon, ref.lat), xytext=(3, -7), textcoords="offset points",
                        fontsize=7, color="#555555", zorder=3)


def _clip(start: tuple[float, float], end: tuple[float, float], box: BBox) -> tuple[float, float] | None:
    """Where the segment start→end enters the box (Liang–Barsky); None if it never does."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    t_in, t_out = 0.0, 1.0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t_in = max(t_in, t)
        else:
            t_out = min(t_out, t)
    return (x0 + t_in * dx, y0 + t_in * dy) if t_in <= t_out else None


def _draw_route(ax, route: MapRoute, box: BBox) -> None:
    stops = [(s.name, (s.lon, s.lat)) for s in route.stops if s.lat is not None and s.lon is not None]
    for (name, a), (_, b) in zip(stops, stops[1:], strict=False):
        start = _clip(a, b, box)
        if start is None:
            continue
        ax.annotate("", xy=b, xytext=start, zorder=4,
                    arrowprops={"arrowstyle": "-|>", "color": ROUTE, "lw": 1.0 if route.hedged else 1.4,
                                "linestyle": "--" if route.hedged else "-", "connectionstyle": "arc3,rad=0.12"})
        outside = start != a
        ax.annotate(plain(("from " if outside else "") + name, 30), start, xytext=(2, 4),
                    textcoords="offset points", fontsize=7, color=ROUTE, style="italic", zorder=5)


def _draw_points(ax, points: list[MapPoint]) -> None:
    for point in points:
        ax.scatter([point.lon], [point.lat], s=30 + 25 * min(point.weight, 8), color=POINT, alpha=0.8,
                   edgecolor="white", linewidth=0.8, zorder=6)
        ax.annotate(plain(point.label, 30), (point.lon, point.lat), xytext=(5, 4), textcoords="offset points",
                    fontsize=7.5, fontweight="bold", color="#222222", zorder=7)


def map_png(data: MapData, title: str = "") -> bytes:
    """The brief's map as PNG bytes."""
    box = frame(data)
    fig = Figure(figsize=(7.2, 5.4), dpi=150)
    ax = fig.add_subplot()
    outlined = _draw_outlines(ax, box, data.focus)
    ax.set_facecolor(SEA if outlined else "white")
    _draw_references(ax, data.references, {p.name for p in data.points})
    for route in data.routes:
        _draw_route(ax, route, box)
    _draw_points(ax, data.points)
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(1 / max(math.cos(math.radians((box[1] + box[3]) / 2)), 0.2))
    ax.grid(color="#c9d3dc", linewidth=0.4, zorder=0)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("longitude", fontsize=7)
    ax.set_ylabel("latitude", fontsize=7)
    if title:
        ax.set_title(plain(title, 90), fontsize=9)
    note = naturalearth.ATTRIBUTION if outlined else "Country outlines not installed: reference points only"
    fig.text(0.01, 0.01, note + ". Red: sightings (size: independent sources); grey: installations ▲ and "
             "towns ●; blue: routes (dashed: no leg above roughly even chance).", fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return _png(fig)


# --- the timeline ----------------------------------------------------------------------------


def timeline_png(items: list[TimelineItem], since: date | None = None) -> bytes | None:
    """Observations as bars from first to last seen, coloured by certainty; None when there are none."""
    if not items:
        return None
    fig = Figure(figsize=(7.2, 1.3 + 0.24 * len(items)), dpi=150)
    ax = fig.add_subplot()
    for n, item in enumerate(items):
        color = COLORS.get(item.certainty, "#777777")
        ax.plot([item.first, item.last], [n, n], color=color, linewidth=4, solid_capstyle="round", zorder=2)
        ax.scatter([item.first], [n], s=12 + 10 * min(item.sources, 8), color=color, zorder=3,
                   marker="s" if item.kind == "construction" else "o", edgecolor="white", linewidth=0.6)
    ax.set_yticks(range(len(items)), [plain(i.label) for i in items], fontsize=7)
    ax.invert_yaxis()
    _date_axis(ax, items, since)
    present = [c for c in COLORS if any(i.certainty == c for i in items)]
    handles = [ax.scatter([], [], color=COLORS[c], label=c) for c in present]
    ax.legend(handles=handles, fontsize=7, loc="upper right", frameon=False, ncols=len(present))
    ax.set_title("Sightings over time (bar: first to last seen; marker size: sources; ■ construction)",
                 fontsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.5, zorder=0)
    fig.tight_layout()
    return _png(fig)


def _date_axis(ax, items: list[TimelineItem], since: date | None) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    lo, hi = min(i.first for i in items), max(i.last for i in items)
    if since is not None and since <= hi:
        lo = min(lo, since)
        ax.axvline(since, color="#888888", linestyle="--", linewidth=0.8, zorder=1)
    margin = max(timedelta(days=10), (hi - lo) * 0.05)
    ax.set_xlim(lo - margin, hi + margin)
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=7)
