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
from dataclasses import dataclass
from datetime import date, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath

from orbat.brief import naturalearth
from orbat.brief.content import MapData, MapPoint, MapRoute, MapSystem, TimelineItem
from orbat.brief.naturalearth import BBox

COLORS = {
    "confirmed": "#1a7a3a",
    "reported": "#4f9d4b",
    "probable": "#a2c44a",
    "possible": "#e8a13a",
    "speculative": "#9b9b9b",
    "denied": "#c0392b",
}
SEA, LAND, FOCUS, BORDER, ROUTE, POINT = "#e6eef5", "#f7f5f0", "#efe6cf", "#8a8a8a", "#2c5d8f", "#c0392b"
LABEL_CHARS = 42


def plain(text: str, limit: int = LABEL_CHARS) -> str:
    """Source text safe to draw: one line, `$` escaped (no mathtext), shortened."""
    one_line = " ".join(str(text).split())
    if len(one_line) > limit:
        one_line = one_line[: limit - 1] + "…"
    return one_line.replace("$", r"\$")


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasAgg(fig).print_png(out)
    return out.getvalue()


# --- the map ---------------------------------------------------------------------------------

#: Marker and matching text glyph by a word of the equipment class: one symbol per system, so a
#: place's cluster reads as "three tanks-like things, two armoured vehicles" at a glance.
SYMBOLS = (
    ("tank", "D", "◆", "tanks"),
    ("drone", "v", "▼", "drones"),
    ("unmanned", "v", "▼", "drones"),
    ("helicopter", "^", "▲", "aircraft"),
    ("aircraft", "^", "▲", "aircraft"),
    ("missile", "P", "✚", "missiles, bombs, artillery"),
    ("bomb", "P", "✚", "missiles, bombs, artillery"),
    ("rocket", "P", "✚", "missiles, bombs, artillery"),
    ("artillery", "P", "✚", "missiles, bombs, artillery"),
    ("launcher", "P", "✚", "missiles, bombs, artillery"),
    ("vehicle", "s", "■", "armoured vehicles"),
    ("carrier", "s", "■", "armoured vehicles"),
    ("mrap", "s", "■", "armoured vehicles"),
    ("ship", "p", "⬟", "ships"),
    ("boat", "p", "⬟", "ships"),
)
OTHER_SYMBOL = ("o", "●", "other")
SEA_ROUTE = "#17869b"
MIN_FONT = 7.0  # points, at the printed size
#: inches: no wider than the PDF's text column (496 pt), so a picture never prints smaller than drawn
FIGURE_WIDTH = 6.8
SYSTEMS_LISTED = 8
WRAP = 118  # characters of a 7 pt note line across the figure's width


def symbol(group: str) -> tuple[str, str, str]:
    """(matplotlib marker, text glyph, legend name) for an equipment class."""
    low = group.lower()
    return next(((m, g, n) for word, m, g, n in SYMBOLS if word in low), OTHER_SYMBOL)


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
    near = [
        (s.lon, s.lat, s.lon, s.lat)
        for r in data.routes
        for s in r.stops
        if s.lat is not None
        and core[0] - reach <= s.lon <= core[2] + reach
        and core[1] - reach <= s.lat <= core[3] + reach
    ]
    return _padded(_union([core, *near]) or core)


def _thin(ring, most: int) -> list[tuple[float, float]]:
    step = max(1, len(ring) // most)
    return list(ring[::step]) + [ring[-1]]


def _draw_outlines(ax, box: BBox, focus: list[str], most_points: int = 20000) -> bool:
    """Country outlines meeting the box, focus countries shaded; True when any were drawn."""
    from matplotlib.patches import PathPatch

    outlines = naturalearth.overlapping(box)
    for outline in outlines:
        vertices, codes = [], []
        for ring in outline.rings:
            thin = _thin(ring, most_points)
            vertices.extend(thin)
            codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(thin) - 1))
        fill = FOCUS if outline.code in focus else LAND
        # add_artist, not add_patch: add_patch walks every vertex in Python to update data limits
        ax.add_artist(PathPatch(MplPath(vertices, codes), facecolor=fill, edgecolor=BORDER, linewidth=0.5, zorder=1))
    return bool(outlines)


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


def _arc(a: tuple[float, float], b: tuple[float, float], bend: float = 0.12, n: int = 32) -> list[tuple[float, float]]:
    """A gentle quadratic arc from a to b (land legs: stylised, not a claimed track)."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    cx, cy = mx - bend * (b[1] - a[1]), my + bend * (b[0] - a[0])
    return [
        (
            (1 - t) ** 2 * a[0] + 2 * (1 - t) * t * cx + t * t * b[0],
            (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * cy + t * t * b[1],
        )
        for t in (i / n for i in range(n + 1))
    ]


@dataclass(slots=True)
class Leg:
    """One drawn leg: its lon/lat track, whether it went by sea, and how it is styled."""

    track: list[tuple[float, float]]
    sea: bool
    hedged: bool
    last: bool  # ends at the route's destination: gets the arrowhead
    start: str  # the stop the leg leaves, for the label where it enters the frame


def legs(route: MapRoute) -> list[Leg]:
    """The route's legs as tracks: sea legs over water when a water path exists, arcs otherwise."""
    from orbat.brief.searoute import sea_path

    stops = [s for s in route.stops if s.lat is not None and s.lon is not None]
    flags = route.by_sea if len(route.by_sea) == len(route.stops) - 1 else [False] * (len(route.stops) - 1)
    sea_by_stop = {id(s): f for s, f in zip(route.stops[1:], flags, strict=False)}
    out = []
    for n, (a, b) in enumerate(zip(stops, stops[1:], strict=False)):
        start, end = (a.lon, a.lat), (b.lon, b.lat)
        track = None
        if sea_by_stop.get(id(b)):
            from orbat.brief.places import country_code_of

            found = sea_path(start, end, country_code_of(a.name))
            if found:  # a country's point is inland: the track runs to the coast it sails from
                track = [start, *found, end]
        out.append(Leg(track or _arc(start, end), track is not None, route.hedged, n == len(stops) - 2, a.name))
    return out


def _inside(point: tuple[float, float], box: BBox) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _draw_leg(ax, leg: Leg, box: BBox | None, width: float = 1.3) -> None:
    color = SEA_ROUTE if leg.sea else ROUTE
    xs, ys = zip(*leg.track, strict=False)
    ax.plot(
        xs, ys, color=color, linewidth=width, linestyle="--" if leg.hedged else "-", zorder=4, solid_capstyle="round"
    )
    if leg.last and len(leg.track) >= 2 and (box is None or _inside(leg.track[-1], box)):
        ax.annotate(
            "",
            xy=leg.track[-1],
            xytext=leg.track[-2],
            zorder=4,
            arrowprops={"arrowstyle": "-|>", "color": color, "lw": width, "mutation_scale": 11},
        )


@dataclass(slots=True)
class Label:
    """A label to place: anchored at a data point, kept clear of symbols and other labels."""

    xy: tuple[float, float]
    text: str
    style: dict
    must: bool = False  # observation callouts and route entries are never dropped
    clearance: float = 5.0  # points from the anchor to the nearest candidate position


DIRECTIONS = ((1, 0), (1, 1), (1, -1), (-1, 0), (-1, 1), (-1, -1), (0, 1), (0, -1))


def _overlap(a, b) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(ax, labels: list[Label], obstacles: list) -> list:
    """Greedy placement: each label, in order, takes the first of 32 positions (8 directions × 4
    distances) that stays in the axes and overlaps no symbol, track or earlier label; a label that
    must show and fits nowhere takes the position with least overlap; others are left out.
    Far positions get a thin leader line. Returns the placed text artists.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    area = ax.get_window_extent(renderer)
    taken = list(obstacles)
    placed = []
    scale = fig.dpi / 72
    for label in labels:
        best = None
        for step in (0, 10, 22, 38):
            for dx, dy in DIRECTIONS:
                norm = math.hypot(dx, dy)
                dist = label.clearance + step
                offset = (dx / norm * dist, dy / norm * dist)
                ha = "left" if dx > 0 else "right" if dx < 0 else "center"
                va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
                text = ax.annotate(
                    label.text,
                    label.xy,
                    xytext=offset,
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    zorder=8,
                    annotation_clip=False,
                    **label.style,
                )
                box = text.get_window_extent(renderer).expanded(1.0, 1.0).padded(2 * scale)
                outside = box.x0 < area.x0 or box.x1 > area.x1 or box.y0 < area.y0 or box.y1 > area.y1
                cost = sum(_overlap(box, o) for o in taken) + (1e9 if outside else 0)
                if best is None or cost < best[0]:
                    if best is not None:
                        best[1].remove()
                    best = (cost, text, box, step)
                else:
                    text.remove()
                if cost == 0:
                    break
            if best is not None and best[0] == 0:
                break
        if best is None:
            continue
        cost, text, box, step = best
        if cost > 0 and not label.must:
            text.remove()
            continue
        if step >= 22:
            ax.annotate(
                "",
                label.xy,
                xytext=text.xyann,
                textcoords="offset points",
                zorder=7,
                arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5, "shrinkA": 0, "shrinkB": 2},
            )
        taken.append(box)
        placed.append(text)
    return placed


def _cluster_offsets(n: int, spacing: float = 8.5) -> list[tuple[float, float]]:
    """Offsets in points for n symbols around a place: rows of up to four, centred on it."""
    per_row = min(n, 4)
    rows = math.ceil(n / per_row) if n else 0
    return [
        (
            (i % per_row - (min(per_row, n - (i // per_row) * per_row) - 1) / 2) * spacing,
            ((rows - 1) / 2 - i // per_row) * spacing,
        )
        for i in range(n)
    ]


def _callout(point: MapPoint) -> str:
    lines = [plain(point.label or point.name, 30)]
    for system in point.systems[:SYSTEMS_LISTED]:
        glyph = symbol(system.group)[1]
        lines.append(f"{glyph} {plain(system.name, 26)}" + (f": {plain(system.count, 20)}" if system.count else ""))
    if len(point.systems) > SYSTEMS_LISTED:
        lines.append(f"+ {len(point.systems) - SYSTEMS_LISTED} more (see tables)")
    return "\n".join(lines)


def _draw_points(ax, points: list[MapPoint]) -> tuple[list[Label], list[tuple[float, float, float]]]:
    """One symbol per system at each place; returns the callouts to place and the symbols' extents."""
    from matplotlib.transforms import ScaledTranslation

    labels, marks = [], []
    for point in points:
        systems = point.systems or [MapSystem(point.name, "", "", "reported")]
        offsets = _cluster_offsets(len(systems))
        for system, (dx, dy) in zip(systems, offsets, strict=False):
            marker = symbol(system.group)[0]
            shift = ScaledTranslation(dx / 72, dy / 72, ax.figure.dpi_scale_trans)
            ax.plot(
                [point.lon],
                [point.lat],
                marker=marker,
                markersize=6.5,
                color=COLORS.get(system.certainty, POINT),
                markeredgecolor="#222222",
                markeredgewidth=0.5,
                transform=ax.transData + shift,
                zorder=6,
            )
        reach = max((math.hypot(dx, dy) for dx, dy in offsets), default=0) + 6
        marks.append((point.lon, point.lat, reach))
        labels.append(
            Label(
                (point.lon, point.lat),
                _callout(point),
                {
                    "fontsize": 7.5,
                    "color": "#1d1d1d",
                    "linespacing": 1.25,
                    "multialignment": "left",
                    "bbox": {
                        "boxstyle": "round,pad=0.25",
                        "facecolor": "white",
                        "edgecolor": "#999999",
                        "linewidth": 0.5,
                        "alpha": 0.9,
                    },
                },
                must=True,
                clearance=reach,
            )
        )
    return labels, marks


def _draw_references(ax, references: list[MapPoint], taken: set[str]) -> list[Label]:
    labels = []
    for ref in references:
        marker = "^" if ref.kind == "installation" else "o"
        ax.plot(
            [ref.lon],
            [ref.lat],
            marker=marker,
            markersize=4 if ref.kind == "installation" else 3,
            color="#6d6d6d",
            linestyle="none",
            zorder=3,
        )
        if ref.name not in taken:
            labels.append(
                Label((ref.lon, ref.lat), plain(ref.label, 28), {"fontsize": 7, "color": "#555555"}, clearance=3)
            )
    return labels


def _corner(data: MapData, box: BBox) -> tuple[float, float]:
    """The lower-left corner (axes fraction) of the quarter of the map with the fewest points."""
    w, h = box[2] - box[0], box[3] - box[1]
    points = [(p.lon, p.lat) for p in (*data.points, *data.references)]
    corners = [(0.01, 0.01), (0.65, 0.01), (0.01, 0.63), (0.65, 0.63)]

    def crowd(corner: tuple[float, float]) -> int:
        x0, y0 = box[0] + corner[0] * w - 0.05 * w, box[1] + corner[1] * h - 0.05 * h
        return sum(1 for x, y in points if x0 <= x <= x0 + 0.44 * w and y0 <= y <= y0 + 0.46 * h)

    return min(corners, key=lambda c: (crowd(c), -c[1]))


def region(data: MapData, box: BBox) -> BBox:
    """The inset's frame: the map's frame with every route stop, and at least three times its size."""
    stops = [(s.lon, s.lat, s.lon, s.lat) for r in data.routes for s in r.stops if s.lat is not None]
    wide = _union([box, *stops]) or box
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    least = (
        cx - 1.5 * (box[2] - box[0]),
        cy - 1.5 * (box[3] - box[1]),
        cx + 1.5 * (box[2] - box[0]),
        cy + 1.5 * (box[3] - box[1]),
    )
    return _padded(_union([wide, least]) or wide, 0.04)


INSET = (0.34, 0.36)  # the inset's share of the map's width and height


def _draw_inset(ax, data: MapData, box: BBox, tracks: list[Leg], size: tuple[float, float]) -> object:
    """A small regional map: where the frame lies, and every route whole (sea legs over water)."""
    from matplotlib.patches import Rectangle

    wide = region(data, box)
    stretch = 1 / max(math.cos(math.radians((wide[1] + wide[3]) / 2)), 0.2)
    wide = _fit(wide, INSET[0] * size[0], INSET[1] * size[1], stretch)
    x, y = _corner(data, box)
    inset = ax.inset_axes((x, y, *INSET), zorder=9)
    outlined = _draw_outlines(inset, wide, data.focus, most_points=400)
    inset.set_facecolor(SEA if outlined else "white")
    for leg in tracks:
        _draw_leg(inset, leg, None, width=0.8)
    inset.add_patch(
        Rectangle(
            (box[0], box[1]), box[2] - box[0], box[3] - box[1], fill=False, edgecolor=POINT, linewidth=1.0, zorder=6
        )
    )
    inset.set_xlim(wide[0], wide[2])
    inset.set_ylim(wide[1], wide[3])
    inset.set_aspect(stretch, adjustable="box")
    inset.set_xticks([])
    inset.set_yticks([])
    for spine in inset.spines.values():
        spine.set_edgecolor("#555555")
    named = {}
    for route in data.routes:
        for stop in route.stops[:-1]:
            if stop.lat is not None and not _inside((stop.lon, stop.lat), box):
                named[stop.name] = (stop.lon, stop.lat)
    for name, (lon, lat) in named.items():
        inset.plot([lon], [lat], marker="o", markersize=2.5, color=ROUTE, zorder=7)
        inset.annotate(
            plain(name, 18),
            (lon, lat),
            xytext=(2, 2),
            textcoords="offset points",
            fontsize=7,
            color=ROUTE,
            style="italic",
            zorder=8,
            annotation_clip=True,
        )
    return inset


def _legend_handles(data: MapData, tracks: list[Leg], inset: bool) -> list:
    """What the legend explains: only the symbols, wordings, points and lines the map draws."""
    from matplotlib.lines import Line2D

    handles = []
    seen_groups = {}
    for point in data.points:
        for system in point.systems:
            marker, _, name = symbol(system.group)
            seen_groups.setdefault(name, marker)
    for name, marker in seen_groups.items():
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                linestyle="none",
                color="#bbbbbb",
                markeredgecolor="#222222",
                markersize=6,
                label=name,
            )
        )
    levels = {s.certainty for p in data.points for s in p.systems}
    for level in (c for c in COLORS if c in levels):
        handles.append(
            Line2D(
                [],
                [],
                marker="s",
                linestyle="none",
                color=COLORS[level],
                markersize=7,
                label=f"{level} (source wording)",
            )
        )
    if data.references:
        handles.append(
            Line2D([], [], marker="^", linestyle="none", color="#6d6d6d", markersize=5, label="installation")
        )
        handles.append(Line2D([], [], marker="o", linestyle="none", color="#6d6d6d", markersize=3.5, label="town"))
    if any(not t.hedged and not t.sea for t in tracks):
        handles.append(Line2D([], [], color=ROUTE, linewidth=1.3, label="route as sources state it"))
    if any(t.hedged and not t.sea for t in tracks):
        handles.append(
            Line2D([], [], color=ROUTE, linewidth=1.3, linestyle="--", label="route, no leg above roughly even chance")
        )
    if any(t.sea for t in tracks):
        handles.append(
            Line2D(
                [],
                [],
                color=SEA_ROUTE,
                linewidth=1.3,
                linestyle="--" if all(t.hedged for t in tracks if t.sea) else "-",
                label="sea leg (sources say by sea)",
            )
        )
    if inset:
        handles.append(Line2D([], [], color=POINT, linewidth=1.0, label="inset: this map's frame"))
    return handles


def _legend(fig, handles: list, bottom: float) -> None:
    if handles:
        fig.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.01, bottom),
            ncols=3,
            fontsize=7,
            frameon=False,
            handletextpad=0.4,
            columnspacing=1.2,
            borderaxespad=0,
        )


def _notes(data: MapData, outlined: bool) -> str:
    import textwrap

    lines = []
    if data.unplaced:
        names = ", ".join(plain(s.name, 26) + (f" ({plain(s.count, 20)})" if s.count else "") for s in data.unplaced)
        country = ", ".join(o.name if (o := naturalearth.country(c)) else c for c in data.focus)
        lines += textwrap.wrap(f"Reported in {country} with no place given (not drawn): {names}.", WRAP)[:3]
    lines += textwrap.wrap(
        (naturalearth.ATTRIBUTION if outlined else "Country outlines not installed: reference points only")
        + ". Symbols: one per system, coloured by the strongest wording; callouts "
        "list counts as sources give them.",
        WRAP,
    )
    return "\n".join(lines)


def map_figure(data: MapData, title: str = "") -> Figure:
    """The brief's map as a matplotlib Figure (Agg canvas attached, labels placed)."""
    box = frame(data)
    width_in, map_w = FIGURE_WIDTH, FIGURE_WIDTH - 0.65
    stretch = 1 / max(math.cos(math.radians((box[1] + box[3]) / 2)), 0.2)
    map_h = min(max(map_w * (box[3] - box[1]) * stretch / max(box[2] - box[0], 1e-6), 3.2), 6.4)
    box = _fit(box, map_w, map_h, stretch)
    tracks = [leg for route in data.routes for leg in legs(route)]
    inset_wanted = bool(data.routes or data.points)
    handles = _legend_handles(data, tracks, inset_wanted)
    notes = _notes(data, naturalearth.available())
    note_lines = notes.count("\n") + 1
    legend_rows = math.ceil(len(handles) / 3)
    bottom_in, top_in = 0.45 + 0.14 * legend_rows + 0.135 * note_lines, 0.35
    fig = Figure(figsize=(width_in, map_h + bottom_in + top_in), dpi=150)
    FigureCanvasAgg(fig)
    height = map_h + bottom_in + top_in
    ax = fig.add_axes((0.55 / width_in, bottom_in / height, map_w / width_in, map_h / height))
    outlined = _draw_outlines(ax, box, data.focus)
    ax.set_facecolor(SEA if outlined else "white")
    drawn: set[tuple] = set()
    for leg in tracks:
        key = (tuple(round(v, 2) for p in leg.track for v in p), leg.hedged, leg.sea)
        if key not in drawn:
            drawn.add(key)
            _draw_leg(ax, leg, box)
    callouts, marks = _draw_points(ax, data.points)
    references = _draw_references(ax, data.references, {p.name for p in data.points})
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect(stretch, adjustable="box")
    ax.grid(color="#c9d3dc", linewidth=0.4, zorder=0)
    ax.tick_params(labelsize=7)
    if title:
        fig.suptitle(plain(title, 90), fontsize=9, y=1 - 0.08 / height)
    inset = _draw_inset(ax, data, box, tracks, (map_w, map_h)) if inset_wanted else None
    ax.apply_aspect()
    if inset is not None:
        inset.apply_aspect()
    renderer = fig.canvas.get_renderer()
    obstacles = []
    scale = fig.dpi / 72
    for lon, lat, reach in marks:
        x, y = ax.transData.transform((lon, lat))
        obstacles.append(_box(x - reach * scale, y - reach * scale, x + reach * scale, y + reach * scale))
    for ref in data.references:
        x, y = ax.transData.transform((ref.lon, ref.lat))
        obstacles.append(_box(x - 3 * scale, y - 3 * scale, x + 3 * scale, y + 3 * scale))
    for leg in tracks:
        for lon, lat in leg.track[:: max(1, len(leg.track) // 40)]:
            x, y = ax.transData.transform((lon, lat))
            obstacles.append(_box(x - 1.5 * scale, y - 1.5 * scale, x + 1.5 * scale, y + 1.5 * scale))
    if inset is not None:
        obstacles.append(inset.get_window_extent(renderer).padded(3 * scale))
    entries = []
    named: set[str] = set()
    for leg in tracks:
        first = next((p for p in leg.track if _inside(p, box)), None)
        text = plain("from " + leg.start + (" (by sea)" if leg.sea else ""), 34)
        if first is not None and not _inside(leg.track[0], box) and text not in named:
            named.add(text)
            entries.append(
                Label(
                    first,
                    text,
                    {"fontsize": 7, "color": SEA_ROUTE if leg.sea else ROUTE, "style": "italic"},
                    must=True,
                    clearance=3,
                )
            )
    for route in data.routes:
        for stop in route.stops[1:-1]:
            if stop.lat is not None and _inside((stop.lon, stop.lat), box) and stop.name not in named:
                named.add(stop.name)
                ax.plot([stop.lon], [stop.lat], marker="o", markersize=3, color=ROUTE, zorder=5)
                entries.append(
                    Label(
                        (stop.lon, stop.lat),
                        plain(stop.name, 30),
                        {"fontsize": 7, "color": ROUTE, "style": "italic"},
                        must=True,
                        clearance=3,
                    )
                )
    place_labels(ax, [*callouts, *entries, *references], obstacles)
    _legend(fig, handles, (0.1 + 0.135 * note_lines) / height)
    fig.text(0.01, 0.012, _notes(data, outlined), fontsize=7, color="#555555", va="bottom", linespacing=1.3)
    return fig


def _fit(box: BBox, width: float, height: float, stretch: float) -> BBox:
    """The box widened (or heightened) about its centre to fill a width × height axes at the map's aspect."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, (y1 - y0) * stretch
    if w / h < width / height:
        grow = (h * width / height - w) / 2
        return x0 - grow, y0, x1 + grow, y1
    grow = (w * height / width - h) / 2 / stretch
    return x0, y0 - grow, x1, y1 + grow


def _box(x0: float, y0: float, x1: float, y1: float):
    from matplotlib.transforms import Bbox

    return Bbox([[x0, y0], [x1, y1]])


def map_png(data: MapData, title: str = "") -> bytes:
    """The brief's map as PNG bytes."""
    return _png(map_figure(data, title))


# --- the timeline ----------------------------------------------------------------------------


def zoom(items: list[TimelineItem], share: float = 0.85) -> tuple[date, date]:
    """The date range the chart shows: the shortest span holding `share` of the rows' first
    sightings, widened to any row starting within one such span of it. A force present for years
    would otherwise squeeze a week's sightings into a millimetre; its bar runs off the edge, marked.
    """
    firsts = sorted(i.first for i in items)
    lasts = sorted(i.last for i in items)
    keep = max(1, math.ceil(share * len(firsts)))
    lo, hi = min(((firsts[n], firsts[n + keep - 1]) for n in range(len(firsts) - keep + 1)), key=lambda w: w[1] - w[0])
    span = max(hi - lo, timedelta(days=14))
    lo = min(f for f in firsts if f >= lo - span)
    hi = max([hi, *(f for f in firsts if f <= hi + span), *(x for x in lasts if x <= hi + span)])
    full_lo, full_hi = firsts[0], lasts[-1]
    if (hi - lo) > 0.5 * (full_hi - full_lo):
        lo, hi = full_lo, full_hi  # nothing to gain: show everything
    return lo, hi


def timeline_png(items: list[TimelineItem], since: date | None = None) -> bytes | None:
    """Systems as bars from first to last seen, one row each, grouped under event headings."""
    fig = timeline_figure(items, since)
    return _png(fig) if fig is not None else None


def timeline_figure(items: list[TimelineItem], since: date | None = None) -> Figure | None:
    """The timeline as a Figure with an Agg canvas; None when there is nothing dated."""
    if not items:
        return None
    lo, hi = zoom(items)
    margin = max(timedelta(days=5), (hi - lo) * 0.06)
    left, right = lo - margin, hi + margin
    rows: list[tuple[str, TimelineItem | None]] = []
    for item in items:
        if (
            item.event
            and (not rows or rows[-1][1] is None or rows[-1][1].event != item.event)
            and not any(r[1] is not None and r[1].event == item.event for r in rows)
        ):
            rows.append((item.event, None))
        rows.append((item.label, item))
    height = max(2.2, 1.2 + 0.19 * len(rows))  # room for the title and legend even with one row
    fig = Figure(figsize=(FIGURE_WIDTH, height), dpi=150)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for n, (_, item) in enumerate(rows):
        if item is None:
            ax.axhspan(n - 0.5, n + 0.5, color="#f1efe9", zorder=0, linewidth=0)
            continue
        color = COLORS.get(item.certainty, "#777777")
        start, end = max(item.first, left), min(item.last, right)
        if end >= start:
            ax.plot([start, end], [n, n], color=color, linewidth=4, solid_capstyle="round", zorder=2)
        if left <= item.first <= right:
            ax.scatter(
                [item.first],
                [n],
                s=12 + 10 * min(item.sources, 8),
                color=color,
                zorder=3,
                marker="s" if item.kind == "construction" else "o",
                edgecolor="white",
                linewidth=0.6,
            )
        if item.first < left:
            ax.annotate(
                f"◀ from {item.first_written or item.first.isoformat()}",
                (left, n),
                xytext=(3, 5),
                textcoords="offset points",
                fontsize=7,
                color="#555555",
                va="bottom",
            )
        if item.last > right:
            ax.annotate(
                f"to {item.last.isoformat()} ▶",
                (right, n),
                xytext=(-3, 5),
                textcoords="offset points",
                fontsize=7,
                color="#555555",
                va="bottom",
                ha="right",
            )
    ax.set_yticks(range(len(rows)), [plain(label, 50) for label, _ in rows], fontsize=7)
    for tick, (_, item) in zip(ax.get_yticklabels(), rows, strict=False):
        if item is None:
            tick.set_fontweight("bold")
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(left, right)
    if since is not None and left < since <= right and since > min(i.first for i in items):
        ax.axvline(since, color="#888888", linestyle="--", linewidth=0.8, zorder=1)
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    locator = AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=7)
    present = [c for c in COLORS if any(i.certainty == c for i in items)]
    handles = [ax.scatter([], [], color=COLORS[c], label=c) for c in present]
    fig.legend(
        handles=handles,
        fontsize=7,
        loc="lower right",
        frameon=False,
        ncols=len(present),
        bbox_to_anchor=(0.99, 0.0),
        title="wording of the strongest source",
        title_fontsize=7,
        alignment="right",
    )
    fig.suptitle(
        "Sightings over time: one row per system, under its event (bar: first to last seen; "
        "marker size: sources; ■ construction)",
        fontsize=7.5,
        x=0.01,
        ha="left",
        y=0.995,
    )
    ax.grid(axis="x", color="#dddddd", linewidth=0.5, zorder=0)
    fig.tight_layout(rect=(0, 0.45 / height, 1, 1 - 0.25 / height))
    return fig
