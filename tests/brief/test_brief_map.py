"""The brief's map and timeline as an analyst reads them: one symbol per system with its count,
labels that never overprint and print at 7 pt or more, sea legs over water, an inset and a legend;
a timeline with one row per system, grouped by event and zoomed to the sightings.

The map is drawn once for the module from the session's Mali brief (`mali`).
"""

from __future__ import annotations

from datetime import date

import pytest
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from orbat.brief import naturalearth
from orbat.brief.content import MapData, MapPoint, MapRoute, MapStop, MapSystem, TimelineItem
from orbat.brief.draft import by_sea
from orbat.brief.figures import MIN_FONT, frame, legs, map_figure, region, symbol, timeline_figure, zoom
from orbat.brief.searoute import sea_path


@pytest.fixture(scope="module")
def drawn(mali):
    return map_figure(mali.brief.map, mali.brief.title)


def shown_texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_one_symbol_per_system_with_its_count(mali):
    bamako = next(p for p in mali.brief.map.points if p.name == "Bamako")
    names = [s.name for s in bamako.systems]
    assert len(names) == len(set(names))  # one symbol per system, however many sightings
    counts = {s.name: s.count for s in bamako.systems}
    assert counts["T-72B3"] == "at least 5 to 7" and counts["BMP-3"] == "5"
    assert symbol("main battle tank")[0] != symbol("infantry fighting vehicle")[0]


def test_sightings_placed_only_at_the_country_are_listed_not_dotted(mali, drawn):
    data = mali.brief.map
    assert all(p.name != "Mali" for p in data.points)  # no dot in the middle of the country
    assert "Airbus C295" in {s.name for s in data.unplaced}  # "the Malian Air Force operates two C295"
    notes = " ".join(t.get_text() for t in shown_texts(drawn))
    assert "no place given" in notes and data.unplaced[0].name in notes


def test_every_label_prints_at_7_pt_or_more(drawn):
    small = [(t.get_text()[:30], t.get_fontsize()) for t in shown_texts(drawn) if t.get_fontsize() < MIN_FONT]
    assert not small, small


def test_map_labels_do_not_overprint_each_other(drawn):
    renderer = drawn.canvas.get_renderer()
    ax = drawn.axes[0]
    labels = [t for t in ax.texts if t.get_visible() and t.get_text().strip()]
    assert len(labels) >= 10  # callout, route entries, installations and towns
    boxes = [t.get_window_extent(renderer) for t in labels]
    clashes = [
        (labels[i].get_text()[:20], labels[j].get_text()[:20])
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert not clashes, clashes
    area = ax.get_window_extent(renderer)
    assert all(
        area.x0 - 1 <= b.x0 and b.x1 <= area.x1 + 1 and area.y0 - 1 <= b.y0 and b.y1 <= area.y1 + 1 for b in boxes
    )


def test_the_map_has_a_legend_and_a_regional_inset_holding_every_route(mali, drawn):
    legend = drawn.legends[0]
    entries = [t.get_text() for t in legend.get_texts()]
    assert "tanks" in entries and "sea leg (sources say by sea)" in entries and "installation" in entries
    assert len(drawn.axes) == 1 and len(drawn.axes[0].child_axes) == 1  # the map and its inset
    data = mali.brief.map
    wide, box = region(data, frame(data)), frame(data)
    assert wide[0] <= box[0] and wide[2] >= box[2] and wide[1] <= box[1] and wide[3] >= box[3]
    for route in data.routes:
        for stop in route.stops:
            if stop.lat is not None:
                assert wide[0] <= stop.lon <= wide[2] and wide[1] <= stop.lat <= wide[3], stop.name


def test_a_leg_is_by_sea_only_where_a_source_says_so():
    sentence = (
        "A rail code points to transport across Russia; posts describe a sea shipment through "
        "Conakry; others suggest the vehicles came from Syria."
    )
    assert by_sea("Conakry", [sentence]) and not by_sea("Syria", [sentence]) and not by_sea("Russia", [sentence])
    assert by_sea("Tartous", ["Le matériel a été débarqué d'un navire au port de Tartous."])
    assert not by_sea("Conakry", ["The shipment was flown to Conakry."])  # a shipment is not a ship


def test_the_mali_routes_mark_the_leg_into_conakry_as_by_sea(mali):
    flagged = [(r.stops[n + 1].name, sea) for r in mali.brief.map.routes for n, sea in enumerate(r.by_sea)]
    assert ("Conakry", True) in flagged and ("Bamako", True) not in flagged


def over_land(points: list[tuple[float, float]]) -> int:
    outlines = naturalearth.overlapping((-30.0, 0.0, 60.0, 72.0))
    rings = [MplPath(r[:: max(1, len(r) // 3000)]) for o in outlines for r in o.rings if len(r) >= 3]
    return sum(1 for p in points if sum(r.contains_point(p) for r in rings) % 2 == 1)


def test_sea_legs_are_drawn_over_water_not_across_africa():
    assert naturalearth.available()
    conakry, russia = (-13.68, 9.54), (44.69, 58.25)
    path = sea_path(russia, conakry, "RU")
    assert path and len(path) > 20
    inner = list(path[2:-2])
    assert over_land(inner) <= 0.05 * len(inner)  # a few points may graze a coast after smoothing
    straight = [
        (russia[0] + (conakry[0] - russia[0]) * t / 50, russia[1] + (conakry[1] - russia[1]) * t / 50)
        for t in range(1, 50)
    ]
    assert over_land(straight) > 0.5 * len(straight)  # what the straight arrow used to cross
    route = MapRoute(
        [MapStop("Russia", russia[1], russia[0]), MapStop("Conakry", conakry[1], conakry[0])], "x", False, [True]
    )
    assert legs(route)[0].sea and legs(route)[0].track[-1] == conakry


def test_timeline_has_one_row_per_system_grouped_by_event_and_zoomed_to_the_sightings(mali):
    items = mali.brief.timeline
    labels = [i.label for i in items]
    assert len(labels) == len(set(labels)) and "T-72B3" in labels
    assert all(i.event for i in items)
    events = [i.event for i in items]
    assert events == sorted(set(events), key=events.index) or all(  # each event's rows stay together
        events.index(e) + events.count(e) - 1 == len(events) - 1 - events[::-1].index(e) for e in set(events)
    )
    assert any(e.startswith("17 January 2025 · Bamako") for e in events)


def test_zoom_leaves_a_years_long_presence_off_the_edge():
    week = [
        TimelineItem(f"s{n}", date(2025, 1, 17), date(2025, 1, 17 + n), "reported", 1, "presence") for n in range(6)
    ]
    years = TimelineItem("force", date(2021, 12, 1), date(2025, 6, 6), "reported", 1, "presence")
    lo, hi = zoom([years, *week])
    assert lo >= date(2024, 12, 1) and hi <= date(2025, 2, 28)
    fig = timeline_figure([years, *week])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "◀ from 2021-12-01" in texts and "to 2025-06-06 ▶" in texts
    assert all(t.get_fontsize() >= MIN_FONT for t in shown_texts(fig))


def test_a_small_map_without_routes_still_gets_symbols_and_labels():
    data = MapData(
        focus=["ML"],
        points=[
            MapPoint(
                "Gao", 16.27, -0.04, "observation", "Gao", 1, [MapSystem("BM-21 Grad", "multiple rocket launcher", "6")]
            )
        ],
    )
    fig = map_figure(data, "Gao")
    assert any("BM-21 Grad: 6" in t.get_text() for t in fig.axes[0].texts)


def test_legend_notes_and_map_do_not_cover_each_other(drawn):
    renderer = drawn.canvas.get_renderer()
    legend = drawn.legends[0].get_window_extent(renderer)
    notes = drawn.texts[-1].get_window_extent(renderer)
    mapped = drawn.axes[0].get_window_extent(renderer)
    assert not legend.overlaps(notes) and not legend.overlaps(mapped) and not notes.overlaps(mapped)
    assert notes.x1 <= drawn.bbox.x1 and legend.x1 <= drawn.bbox.x1  # nothing runs off the page


def test_a_bar_off_the_edge_keeps_the_precision_sources_gave(mali):
    presence = [i for i in mali.brief.timeline if len(i.first_written) == 4]  # a year, as the source gave it
    fig = timeline_figure(presence + [i for i in mali.brief.timeline if len(i.first_written) == 10])
    marks = [t.get_text() for t in fig.axes[0].texts if t.get_text().startswith("◀")]
    assert all(len(m.removeprefix("◀ from ")) in (4, 7, 10) for m in marks)
    assert not presence or any(m == f"◀ from {presence[0].first_written}" for m in marks)


def test_label_point_is_the_largest_records_without_reading_outlines():
    """The API's index asks a point per country; it must be the label `country()` gives, read from
    the records alone (France's mainland, not Clipperton Island, which shares its code)."""
    for code in ("FR", "AU", "BR", "ML", "RU", "-99"):
        assert naturalearth.label(code) == naturalearth.country(code).label
    lat, lon = naturalearth.label("FR")
    assert 41 < lat < 52 and -5 < lon < 10
    assert naturalearth.label("XX") is None
