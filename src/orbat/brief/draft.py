"""Drafting a brief: a `Scope` of query answers becomes a `Brief` (sections, notes, figure data).

The order of sections follows the seed analysis an analyst writes by hand: the finding first,
then what is new, what is there, what is being built, how it came, who has it, and where the
sources disagree; the footnote on likelihood words and the numbered source notes close it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from pathlib import Path

from orbat.brief import judgments, sections
from orbat.brief.certainty import SCALE
from orbat.brief.content import Brief, MapData, MapPoint, MapRoute, MapStop, MapSystem, TimelineItem
from orbat.brief.scope import RANK, Notes, Scope, country_scope, equipment_scope
from orbat.merge import parse_day
from orbat.normalize import fold
from orbat.query import ObservationRow, RouteRow
from orbat.store import Store

TIMELINE_ROWS = 30
EVENT_DAYS = 7  # sightings at one place within a week of the first are one event
SEA_CUES = Path(__file__).with_name("sea_cues.json")


def _country_level(row: ObservationRow) -> bool:
    """A sighting placed only at its country (its point is the country's, `orbat.gazetteer.country_point`)."""
    from orbat.brief import places

    return bool(row.place_name) and places.is_country(row.place_name or "")


def _system(row: ObservationRow, scope: Scope) -> MapSystem:
    return MapSystem(
        row.equipment_name or row.event_group,
        row.equipment_class or row.event_group,
        sections.figure(row, scope),
        row.certainty,
    )


def map_data(scope: Scope) -> MapData:
    """One point per place with one symbol per system (and its count), reference points, routes.

    Sightings placed only at the country go to `unplaced`: a dot in the middle of the country would
    say they were seen there.
    """
    from orbat.brief import places

    by_place: dict[tuple[str, float, float], MapPoint] = {}
    unplaced: dict[str, MapSystem] = {}
    for row in sorted(scope.rows, key=lambda r: (RANK.get(r.certainty, 9), -r.independent_sources)):
        if _country_level(row):  # listed whether or not the country's place carries a point
            if row.equipment_name:
                unplaced.setdefault(row.equipment_name, _system(row, scope))
            continue
        if row.place_lat is None or row.place_lon is None:
            continue
        key = (row.place_name or "", row.place_lat, row.place_lon)
        point = by_place.setdefault(key, MapPoint(key[0], key[1], key[2], "observation", key[0], 0))
        point.weight = max(point.weight, row.independent_sources)
        if all(s.name != (row.equipment_name or row.event_group) for s in point.systems):
            point.systems.append(_system(row, scope))
    references = [MapPoint(n, lat, lon, "installation", n) for n, lat, lon in places.installations(scope.codes)]
    references += [MapPoint(t.name, t.lat, t.lon, "town", t.name) for t in places.towns(scope.codes)]
    return MapData(
        focus=scope.codes,
        points=list(by_place.values()),
        references=references,
        routes=[r for row in scope.routes for r in _map_routes(scope, row)],
        unplaced=list(unplaced.values()),
    )


def _stop(name: str) -> MapStop:
    from orbat.brief import places

    lat, lon = places.locate(name) or (None, None)
    return MapStop(name, lat, lon)


@cache
def _sea_cues() -> re.Pattern[str]:
    cues = json.loads(SEA_CUES.read_text(encoding="utf-8"))["cues"]
    return re.compile(r"\b(?:" + "|".join(re.escape(fold(c)) for c in sorted(cues, key=len, reverse=True)) + r")\b")


def by_sea(stop: str, sentences: list[str]) -> bool:
    """Whether a source says the leg into (or out of) `stop` went by sea: a sea cue in the clause naming it."""
    name = fold(stop)
    if not name:
        return False
    for sentence in sentences:
        for clause in re.split(r"[;:()]|, (?:and|but|while|et|mais) |\. ", fold(sentence)):
            if name in clause and _sea_cues().search(clause):
                return True
    return False


def _map_routes(scope: Scope, row: RouteRow) -> list[MapRoute]:
    """One arrow per origin, through the transit points, to the observation's place."""
    detail = scope.details.get(row.observation_id)
    if detail and detail.observation.place_lat is not None:
        destination = MapStop(row.destination or "", detail.observation.place_lat, detail.observation.place_lon)
    else:
        destination = _stop(row.destination or row.country or "")
    transit = [_stop(t) for t in row.transit]
    origins = row.origins or ([row.transit[0]] if row.transit else [])
    facts = scope.facts([row.observation_id])
    level, _ = sections.route_level(facts)
    hedged = RANK.get(level, 9) >= RANK["possible"]
    sentences = [f.sentence for f in facts if f.origin_name or f.transit]
    routes = []
    for origin in origins:
        if origin in row.transit:
            continue
        stops = [_stop(origin), *transit, destination]
        # a leg is by sea when a source puts a sea cue in the clause naming the stop it reaches
        sea = [by_sea(b.name, sentences) for b in stops[1:]]
        routes.append(MapRoute(stops, f"{row.equipment or 'equipment'} from {origin}", hedged, sea))
    return routes


def timeline_items(scope: Scope) -> list[TimelineItem]:
    """One row per system (its sightings at every place widen it), grouped by event, oldest first.

    An event is what was seen at one place within `EVENT_DAYS` of its first sighting (the
    17 January footage in Bamako); each row carries the event's caption so the chart can group
    them under one heading.
    """
    rows = sorted(scope.rows, key=lambda r: (-r.independent_sources, RANK.get(r.certainty, 9)))
    items: dict[str, TimelineItem] = {}
    places: dict[str, str] = {}
    written: dict[str, str] = {}  # the first date as sources gave it ("2021", "2024-10", "2025-01-17")
    for row in rows:
        first = parse_day(row.first_seen)
        if first is None:
            continue
        last = max(first, parse_day(row.last_seen) or first)
        label = row.equipment_name or row.event_group
        item = items.get(label)
        if item is None and len(items) < TIMELINE_ROWS:
            items[label] = TimelineItem(label, first, last, row.certainty, row.independent_sources, row.event_group)
            places[label] = row.place_name or row.country or "?"
            written[label] = row.first_seen or ""
        elif item is not None:
            if first < item.first:
                places[label] = row.place_name or row.country or "?"
                written[label] = row.first_seen or ""
            item.first, item.last = min(item.first, first), max(item.last, last)
            item.sources += row.independent_sources
    ordered = sorted(items.values(), key=lambda i: (i.first, places[i.label], i.label))
    start: TimelineItem | None = None
    for item in ordered:
        # a month known only as a month ("2024-12") is not the same event as a dated day in it
        if (
            start is None
            or places[item.label] != places[start.label]
            or (item.first - start.first).days > EVENT_DAYS
            or len(written[item.label]) != len(written[start.label])
        ):
            start = item
        item.event = f"{_day_text(written[start.label])} · {places[start.label]}"
        item.first_written = written[item.label]
    return sorted(
        ordered,
        key=lambda i: (
            next(o.first for o in ordered if o.event == i.event),
            i.event,
            RANK.get(i.certainty, 9),
            i.label,
        ),
    )


def _day_text(value: str) -> str:
    """A date at the precision sources gave it: "17 January 2025", "October 2024", "2021"."""
    day = parse_day(value)
    if day is None or len(value) <= 4:
        return value
    return f"{day:%B %Y}" if len(value) <= 7 else f"{day.day} {day:%B %Y}"


def draft(scope: Scope, title: str) -> Brief:
    """Build every section in reading order, so source notes are numbered as a reader meets them."""
    notes = Notes()
    _fold(scope)
    headline, headline_notes = sections.headline(scope, notes)
    built = [
        judgments.key_judgments(scope, notes),
        sections.new_section(scope, notes),
        sections.equipment_section(scope, notes),
        sections.infrastructure_section(scope, notes),
        sections.routes_section(scope, notes),
        judgments.competing_section(scope, notes),
        judgments.succession_section(scope, notes),
        sections.operators_section(scope, notes),
        sections.disagreements_section(scope, notes),
    ]
    built = [s for s in built if s.has_rows]  # an empty section is left out, not printed
    observations = scope.observations()
    documents = {d for o in observations for d in o.document_ids}
    publishers = {p for o in observations for p in o.publishers}
    scope_line = (
        f"Drawn from {sections.plural(len(observations), 'observation')} "
        f"({sections.plural(len(documents), 'document')}, {sections.plural(len(publishers), 'publisher')}) "
        f"in orbat's knowledge base, seen on or after {scope.since}."
    )
    return Brief(
        title=title,
        subject=scope.subject,
        since=scope.since,
        generated=date.today().isoformat(),
        headline=headline,
        headline_notes=headline_notes,
        scope=scope_line,
        sections=built,
        notes=notes.notes,
        scale=SCALE,
        map=map_data(scope),
        timeline=timeline_items(scope),
        omitted=scope.omitted,
    )


def _fold(scope: Scope) -> None:
    """Class-level sightings folded into their named system leave every section."""
    kept = {o.id for o in judgments.fold_classes(scope.observations())}
    gone = set(scope.details) - kept
    scope.folded = gone
    scope.details = {k: v for k, v in scope.details.items() if k not in gone}
    scope.rows = [r for r in scope.rows if r.id not in gone]
    scope.new = [r for r in scope.new if r.id not in gone]
    # its route too: the claims stating it went with the observation, so it would print with no
    # source and no note (the named system's own route keeps what they said)
    scope.routes = [r for r in scope.routes if r.observation_id not in gone]


def window_text(scope: Scope, since: str | None) -> str:
    return f"since {scope.since}" if since else f"whole record (from {scope.since})"


def country_brief(store: Store, country: str, since: str | None = None) -> Brief:
    """A brief on one country: what is there, what is new, who has it, how sure anyone is."""
    scope = country_scope(store, country, since)
    return draft(scope, f"{scope.subject}: military equipment and forces, {window_text(scope, since)}")


def equipment_brief(store: Store, equipment: str, since: str | None = None) -> Brief:
    """A brief on one system (or family): where it was seen, in what numbers, by whom."""
    scope = equipment_scope(store, equipment, since)
    return draft(scope, f"{scope.subject}: sightings, {window_text(scope, since)}")
