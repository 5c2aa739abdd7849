"""Drafting a brief: a `Scope` of query answers becomes a `Brief` (sections, notes, figure data).

The order of sections follows the seed analysis an analyst writes by hand: the finding first,
then what is new, what is there, what is being built, how it came, who has it, and where the
sources disagree; the footnote on likelihood words and the numbered source notes close it.
"""

from __future__ import annotations

from datetime import date

from orbat.brief import judgments, sections
from orbat.brief.certainty import SCALE
from orbat.brief.content import Brief, MapData, MapPoint, MapRoute, MapStop, TimelineItem
from orbat.brief.scope import RANK, Notes, Scope, country_scope, equipment_scope
from orbat.merge import parse_day
from orbat.query import RouteRow
from orbat.store import Store

TIMELINE_ROWS = 30


def map_data(scope: Scope) -> MapData:
    """Observation points (one per place, weighted by sources), reference points and route arrows."""
    from orbat.brief import places

    by_place: dict[tuple[str, float, float], MapPoint] = {}
    for row in scope.rows:
        if row.place_lat is None or row.place_lon is None:
            continue
        key = (row.place_name or "", row.place_lat, row.place_lon)
        point = by_place.setdefault(key, MapPoint(key[0], key[1], key[2], "observation", key[0], 0))
        point.weight = max(point.weight, row.independent_sources)
    references = [MapPoint(n, lat, lon, "installation", n) for n, lat, lon in places.installations(scope.codes)]
    references += [MapPoint(t.name, t.lat, t.lon, "town", t.name) for t in places.towns(scope.codes)]
    return MapData(focus=scope.codes, points=list(by_place.values()), references=references,
                   routes=[r for row in scope.routes for r in _map_routes(scope, row)])


def _stop(name: str) -> MapStop:
    from orbat.brief import places

    lat, lon = places.locate(name) or (None, None)
    return MapStop(name, lat, lon)


def _map_routes(scope: Scope, row: RouteRow) -> list[MapRoute]:
    """One arrow per origin, through the transit points, to the observation's place."""
    detail = scope.details.get(row.observation_id)
    if detail and detail.observation.place_lat is not None:
        destination = MapStop(row.destination or "", detail.observation.place_lat, detail.observation.place_lon)
    else:
        destination = _stop(row.destination or row.country or "")
    transit = [_stop(t) for t in row.transit]
    origins = row.origins or ([row.transit[0]] if row.transit else [])
    level, _ = sections.route_level(scope.facts([row.observation_id]))
    hedged = RANK.get(level, 9) >= RANK["possible"]
    return [MapRoute([_stop(o), *transit, destination], f"{row.equipment or 'equipment'} from {o}", hedged)
            for o in origins if o not in row.transit]


def timeline_items(scope: Scope) -> list[TimelineItem]:
    """The best-sourced observations in scope, oldest first, for the chart."""
    rows = sorted(scope.rows, key=lambda r: (-r.independent_sources, RANK.get(r.certainty, 9)))
    items: dict[str, TimelineItem] = {}  # one row per system (and place): its sightings widen it
    for row in rows:
        first = parse_day(row.first_seen)
        if first is None:
            continue
        last = max(first, parse_day(row.last_seen) or first)
        label = f"{row.equipment_name or row.event_group} · {row.place_name or row.country or '?'}"
        item = items.get(label)
        if item is None and len(items) < TIMELINE_ROWS:
            items[label] = TimelineItem(label, first, last, row.certainty, row.independent_sources, row.event_group)
        elif item is not None:
            item.first, item.last = min(item.first, first), max(item.last, last)
            item.sources += row.independent_sources
    return sorted(items.values(), key=lambda i: (i.first, i.label))


def draft(scope: Scope, title: str) -> Brief:
    """Build every section in reading order, so source notes are numbered as a reader meets them."""
    notes = Notes()
    _fold(scope)
    headline, headline_notes = sections.headline(scope, notes)
    built = [judgments.key_judgments(scope, notes), sections.new_section(scope, notes),
             sections.equipment_section(scope, notes),
             sections.infrastructure_section(scope, notes), sections.routes_section(scope, notes),
             judgments.competing_section(scope, notes), judgments.succession_section(scope, notes),
             sections.operators_section(scope, notes), sections.disagreements_section(scope, notes)]
    built = [s for s in built if s.has_rows]  # an empty section is left out, not printed
    observations = scope.observations()
    documents = {d for o in observations for d in o.document_ids}
    publishers = {p for o in observations for p in o.publishers}
    scope_line = (f"Drawn from {sections.plural(len(observations), 'observation')} "
                  f"({sections.plural(len(documents), 'document')}, {sections.plural(len(publishers), 'publisher')}) "
                  f"in orbat's knowledge base, seen on or after {scope.since}.")
    return Brief(title=title, subject=scope.subject, since=scope.since, generated=date.today().isoformat(),
                 headline=headline, headline_notes=headline_notes, scope=scope_line, sections=built,
                 notes=notes.notes, scale=SCALE, map=map_data(scope), timeline=timeline_items(scope),
                 omitted=scope.omitted)


def _fold(scope: Scope) -> None:
    """Class-level sightings folded into their named system leave every section."""
    kept = {o.id for o in judgments.fold_classes(scope.observations())}
    gone = set(scope.details) - kept
    scope.folded = gone
    scope.details = {k: v for k, v in scope.details.items() if k not in gone}
    scope.rows = [r for r in scope.rows if r.id not in gone]
    scope.new = [r for r in scope.new if r.id not in gone]


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
