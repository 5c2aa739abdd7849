"""What every export reads: the observations a filter selects, with their claims, places and routes.

Why one module for all formats: a CSV and a GeoJSON written with the same filters must hold the
same observations, so selection, dates and coordinates are decided once, here. Reading goes
through `orbat.query` (`timeline`, `routes`, `details`, `records`); no SQL lives in exports. The
observations, their claims and the documents' records are read together, a few queries per 500
rather than several for each one, so an export's time follows the data it writes, not a query count.

Coordinates are checked where they leave orbat (RELIABILITY row 18): a NaN, an infinity or a
latitude beyond ±90 / longitude beyond ±180 is never written; the observation is then exported
as unlocated. Kept coordinates are rounded to 7 decimals (about 1 cm), RFC 7946's advice.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from orbat.errors import InputError
from orbat.model import ClaimFact, Observation
from orbat.query import ObservationDetail, country_code, details, records, routes, timeline
from orbat.store import Store
from orbat.store.rows import equipment_key

DECIMALS = 7
RECORDS_PAGE = 200  # documents' records read at a time by a JSON Lines export: memory stays bounded
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
OPERATOR_ROLES = ("operator", "owner", "recipient")  # who holds the equipment (ACLED's actor1)
SUPPLIER_ROLES = ("supplier", "source", "state")  # who sent it (actor2)


@dataclass(slots=True, frozen=True)
class ExportFilters:
    """The same filters as the query commands; None means "everything"."""

    country: str | None = None
    equipment: str | None = None
    since: str | None = None
    until: str | None = None

    def any(self) -> bool:
        return any((self.country, self.equipment, self.since, self.until))


@dataclass(slots=True, frozen=True)
class Point:
    """A checked WGS 84 position; `precision` is "place", or "country" for a vertex named only by its country."""

    lat: float
    lon: float
    name: str = ""
    precision: str = "place"

    @property
    def lon_lat(self) -> list[float]:
        return [self.lon, self.lat]


@dataclass(slots=True, frozen=True)
class Period:
    """An ISO date at its own precision ("2025-01") and the first and last day it covers."""

    value: str
    start: date
    end: date
    precision: str  # day | month | year


@dataclass(slots=True)
class Item:
    """One exported observation with the claims behind it and its checked position."""

    observation: Observation
    claims: list[ClaimFact]
    point: Point | None
    first: Period | None
    last: Period | None

    @property
    def actors(self) -> list[str]:
        return _names(self.observation, OPERATOR_ROLES)

    @property
    def suppliers(self) -> list[str]:
        return _names(self.observation, SUPPLIER_ROLES)


@dataclass(slots=True)
class Place:
    """A located place and the observations made there (a map layer of its own)."""

    name: str
    country: str | None
    feature: str | None
    point: Point
    observation_ids: list[str] = field(default_factory=list)
    systems: list[str] = field(default_factory=list)
    first: Period | None = None
    last: Period | None = None


@dataclass(slots=True)
class Route:
    """One path a source gave: origin → transit… → destination; `points` empty when unplaceable."""

    item: Item
    names: list[str]
    points: list[Point]


# --- checks ----------------------------------------------------------------------------------


def point(lat: Any, lon: Any, name: str = "", precision: str = "place") -> Point | None:
    """A position fit to write, or None: non-numbers, NaN, ±inf and out-of-range values are refused."""
    if (
        isinstance(lat, bool)
        or isinstance(lon, bool)
        or not isinstance(lat, int | float)
        or not isinstance(lon, int | float)
    ):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return Point(round(float(lat), DECIMALS) + 0.0, round(float(lon), DECIMALS) + 0.0, name or "", precision)


def period(value: str | None) -> Period | None:
    """Parse "2025", "2025-01" or "2025-01-17"; anything else (or an impossible date) is None."""
    match = DATE.match(value or "")
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return Period(value, date(year, 1, 1), date(year, 12, 31), "year")
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return Period(value, date(year, month, 1), date(year, month, last), "month")
        return Period(value, date(year, month, day), date(year, month, day), "day")
    except ValueError:
        return None


def joined(values: Iterable[Any]) -> str:
    """Lists become one flat text value ("a; b") so every format keeps flat properties."""
    return "; ".join(str(v) for v in values if v not in (None, ""))


def span_text(low: Any, high: Any, dash: str = "–") -> str:
    """ "5–12", or "5" when both ends agree; "" when neither is known (quantities, dates)."""
    if low is None and high is None:
        return ""
    if low == high or high is None or low is None:
        return str(low if low is not None else high)
    return f"{low}{dash}{high}"


def _names(observation: Observation, roles: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(a.name for a in observation.actors if a.role in roles))


# --- selection -------------------------------------------------------------------------------


def select(store: Store, filters: ExportFilters) -> list[Item]:
    """The observations the filters select, oldest first, each with its claims.

    `timeline` applies country and dates in SQL; equipment is matched here on the rows it
    returns (any spelling, a catalog id, or a family's variants) before details are read.
    """
    if filters.equipment is not None and not filters.equipment.strip():
        raise InputError("--equipment is empty: name a system such as T-72B3")
    code = country_code(filters.country) if filters.country else None
    rows = timeline(store, code, filters.since, filters.until)
    if filters.equipment:
        keys = equipment_keys(filters.equipment)
        rows = [r for r in rows if (r.catalog_id in keys or equipment_key(r.equipment_name or "") in keys)]
    return items_for(store, [row.id for row in rows])


def items_for(store: Store, observation_ids: list[str]) -> list[Item]:
    """Items for observations chosen elsewhere (the web page's filters), in the order given."""
    return [_item(detail) for detail in details(store, observation_ids)]


def _item(detail: ObservationDetail) -> Item:
    obs = detail.observation
    return Item(
        obs,
        detail.claims,
        point(obs.place_lat, obs.place_lon, obs.place_name or ""),
        period(obs.first_seen),
        period(obs.last_seen),
    )


def equipment_keys(value: str) -> set[str]:
    """Keys that match `value`: its folded spelling, a catalog id, and a family's variants."""
    from orbat.catalog import load_catalogs

    key, wanted = equipment_key(value), value.strip().lower()
    keys = {key, wanted}
    for entry in load_catalogs().equipment.values():
        if entry.id == wanted or equipment_key(entry.family) == key:
            keys.update({entry.id, equipment_key(entry.name)})
    return keys


def documents(store: Store, items: list[Item], filters: ExportFilters) -> Iterator[dict[str, Any]]:
    """Extraction records: every stored document, or with filters those behind the items."""
    wanted = None if not filters.any() else {d for i in items for d in i.observation.document_ids}
    ids = [info.id for info in store.documents() if wanted is None or info.id in wanted]
    for start in range(0, len(ids), RECORDS_PAGE):
        page = ids[start:start + RECORDS_PAGE]
        found = records(store, page)
        yield from (found[document_id] for document_id in page if document_id in found)


# --- places and routes -----------------------------------------------------------------------


def places(items: list[Item]) -> list[Place]:
    """Located places, one per name and position, with what was seen there and when."""
    found: dict[tuple[str, float, float], Place] = {}
    for item in items:
        obs, pt = item.observation, item.point
        if pt is None:
            continue
        place = found.setdefault((pt.name, pt.lat, pt.lon), Place(pt.name, obs.country, obs.place_feature, pt))
        place.observation_ids.append(obs.id)
        if obs.equipment_name and obs.equipment_name not in place.systems:
            place.systems.append(obs.equipment_name)
        if item.first and (place.first is None or item.first.start < place.first.start):
            place.first = item.first
        if item.last and (place.last is None or item.last.end > place.last.end):
            place.last = item.last
    return sorted(found.values(), key=lambda p: (p.country or "", p.name))


def route_paths(store: Store, items: list[Item], filters: ExportFilters) -> list[Route]:
    """Each distinct path the claims of a routed observation give, placed where possible.

    `query.routes` says which observations are transfers; each claim's own origin and transit
    make its path, so "from Syria via Russia" and "from Russia" stay two lines.
    """
    code = country_code(filters.country) if filters.country else None
    routed = {r.observation_id for r in routes(store, code)}
    routed_items = [item for item in items if item.observation.id in routed]
    by_document = records(store, [claim.document_id for item in routed_items for claim in item.claims])
    found: list[Route] = []
    for item in routed_items:
        seen: set[tuple[str, ...]] = set()
        for claim in item.claims:
            names = [n for n in dict.fromkeys([claim.origin_name or "", *claim.transit]) if n]
            key = tuple(names)
            if not names or key in seen:
                continue
            seen.add(key)
            found.append(_route(item, claim, names, by_document.get(claim.document_id)))
    return found


def _route(item: Item, claim: ClaimFact, names: list[str], record: dict[str, Any] | None) -> Route:
    """Place every vertex; one that cannot be placed leaves the route without geometry."""
    entities = (record or {}).get("entities", [])
    destination = item.point or _country_point(item.observation.country, item.observation.place_name or "")
    points = [_entity_point(entities, name) for name in names] + [destination]
    all_names = [*names, item.observation.place_name or item.observation.country or ""]
    if any(p is None for p in points):
        return Route(item, all_names, [])
    kept = [p for n, p in enumerate(points) if n == 0 or p.lon_lat != points[n - 1].lon_lat]
    return Route(item, all_names, kept if len(kept) >= 2 else [])


def _entity_point(entities: list[dict[str, Any]], name: str) -> Point | None:
    """A vertex from the document's own place entity, else its country's point (flagged)."""
    entity = next((e for e in entities if e.get("kind") == "place" and e.get("name") == name), None)
    if entity is None:
        return None
    return point(entity.get("lat"), entity.get("lon"), name) or _country_point(entity.get("country"), name)


def _country_point(country: str | None, name: str) -> Point | None:
    """A vertex named only by its country, at the point extraction gives a country, flagged `country`.

    Route lines need two ends; a source that says only "from Russia" is drawn from Russia's point
    (`orbat.gazetteer.country_point`, where the map and briefs put it too), and the vertex is
    flagged so no one reads it as a precise origin.
    """
    from orbat.gazetteer import country_point

    found = country_point(country)
    return point(found[0], found[1], name, "country") if found else None
