"""GeoJSON (RFC 7946) for QGIS, Leaflet and the like: observations, places and routes.

Why these choices:
- positions are `[lon, lat]` in WGS 84, at most 7 decimals, checked by `data.point` — a NaN or
  an out-of-range value is never written (RELIABILITY row 18), and `allow_nan=False` makes the
  serializer refuse one that slipped through;
- properties are flat (lists joined with "; ") because QGIS and shapefile-minded tools cannot
  show nested values;
- `start` and `end` are full ISO dates (the first and last day of the period a source gave) so
  QGIS's temporal controller can use them directly; `first_seen`/`last_seen` keep the dates at
  the precision sources gave;
- an observation with no usable position is a feature with `"geometry": null` (RFC 7946 §3.2)
  rather than left out, so the attribute table still lists it; the top-level `unlocated` count
  (a foreign member, §6.1) says how many there are. Routes that cannot be placed are kept the
  same way.
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO

from orbat.export.acled import event_type
from orbat.export.data import Item, Period, Place, Route, joined


def _dates(first: Period | None, last: Period | None) -> dict[str, Any]:
    return {"first_seen": first.value if first else None, "last_seen": last.value if last else None,
            "start": first.start.isoformat() if first else None, "end": last.end.isoformat() if last else None,
            "date_precision": first.precision if first else None}


def observation_feature(item: Item) -> dict[str, Any]:
    obs = item.observation
    kind, sub = event_type(obs.events, obs.equipment_class)
    properties = {
        "kind": "observation", "id": obs.id, "event_group": obs.event_group, "events": joined(obs.events),
        "event_type": kind, "sub_event_type": sub, "equipment": obs.equipment_name,
        "catalog_id": obs.equipment_catalog_id, "equipment_class": obs.equipment_class,
        "family": obs.equipment_family, "country": obs.country, "place": obs.place_name,
        "place_feature": obs.place_feature, **_dates(item.first, item.last),
        "quantity": obs.quantity_headline, "quantity_min": obs.quantity_min, "quantity_max": obs.quantity_max,
        "certainty": obs.certainty, "certainty_rule": obs.certainty_rule, "actors": joined(item.actors),
        "suppliers": joined(item.suppliers), "origins": joined(obs.origins), "transit": joined(obs.transit),
        "publishers": joined(obs.publishers), "publisher_count": obs.publisher_count,
        "claim_count": len(obs.claim_ids), "disagreements": joined(d.kind for d in obs.disagreements),
        "evidence": joined(obs.evidence), "markings": joined(obs.markings)}
    geometry = {"type": "Point", "coordinates": item.point.lon_lat} if item.point else None
    return {"type": "Feature", "id": obs.id, "geometry": geometry, "properties": properties}


def place_feature(place: Place) -> dict[str, Any]:
    properties = {"kind": "place", "name": place.name, "country": place.country, "place_feature": place.feature,
                  "observations": len(place.observation_ids), "systems": joined(place.systems),
                  "observation_ids": joined(place.observation_ids), **_dates(place.first, place.last)}
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": place.point.lon_lat},
            "properties": properties}


def route_feature(route: Route) -> dict[str, Any]:
    obs = route.item.observation
    properties = {"kind": "route", "observation_id": obs.id, "path": " → ".join(route.names),
                  "origin": route.names[0], "destination": route.names[-1], "country": obs.country,
                  "equipment": obs.equipment_name, "quantity": obs.quantity_headline, "certainty": obs.certainty,
                  "country_level_vertices": joined(p.name for p in route.points if p.precision == "country"),
                  **_dates(route.item.first, route.item.last)}
    geometry = {"type": "LineString", "coordinates": [p.lon_lat for p in route.points]} if route.points else None
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def collection(items: list[Item], places: list[Place], routes: list[Route]) -> dict[str, Any]:
    """The FeatureCollection: observations, then places, then routes."""
    features = [observation_feature(i) for i in items] + [place_feature(p) for p in places] \
        + [route_feature(r) for r in routes]
    return {"type": "FeatureCollection", "name": "orbat", "features": features,
            "unlocated": sum(1 for i in items if i.point is None),
            "unlocated_routes": sum(1 for r in routes if not r.points)}


def write(items: list[Item], places: list[Place], routes: list[Route], out: BinaryIO) -> dict[str, Any]:
    """Serialize as UTF-8 JSON; returns the collection (for counts)."""
    data = collection(items, places, routes)
    out.write(json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1).encode("utf-8"))
    out.write(b"\n")
    return data
