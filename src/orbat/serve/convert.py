"""Dataclasses to the JSON the API promises (`docs/cli.md`, HTTP API): one shape per kind.

Why by hand rather than `asdict` everywhere: the observation shape is a contract with the web
page (`equipment`, `place`, `headline`, `sources` …), named for readers rather than for the
merge code, and coordinates are checked on the way out so no NaN or out-of-range value is sent.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from typing import Any

from orbat.evidence import ClaimView
from orbat.export.data import point
from orbat.model import Observation
from orbat.observation_json import country_name, country_point, map_point, observation_json, precision
from orbat.query import ObservationRow, route_row

__all__ = ["claim_json", "country_name", "country_point", "feature", "observation_json", "precision",
           "route_json", "timeline_item"]

@lru_cache(maxsize=2048)
def named_point(name: str) -> tuple[float, float] | None:
    """A point for a route stop named in text: installation, country, then the largest town."""
    from orbat.brief.places import locate

    found = locate(name)
    checked = point(found[0], found[1]) if found else None
    return (checked.lat, checked.lon) if checked else None



def claim_json(view: ClaimView) -> dict[str, Any]:
    """A claim with its sentence offsets, source, systems, actors and review history."""
    data = asdict(view)
    where = point(view.lat, view.lon)
    data["lat"], data["lon"] = (where.lat, where.lon) if where else (None, None)
    return data


def feature(o: Observation) -> dict[str, Any] | None:
    """An RFC 7946 Point feature (`[lon, lat]`) at the place, else at the country's point, else None."""
    properties = observation_json(o)
    where = map_point(properties)
    if where is None:
        return None
    return {"type": "Feature", "id": o.id, "geometry": {"type": "Point", "coordinates": list(where)},
            "properties": properties}


def timeline_item(r: ObservationRow) -> dict[str, Any]:
    """What a timeline draws: a label, a start and an end at the precision sources gave, a group."""
    label = (r.equipment_name or r.event_group) + (f" @ {r.place_name}" if r.place_name else "") + (
        f" ({r.quantity_headline})" if r.quantity_headline else "")
    return {"id": r.id, "label": label, "start": r.first_seen, "end": r.last_seen or r.first_seen,
            "precision": precision(r.first_seen), "end_precision": precision(r.last_seen or r.first_seen),
            "certainty": r.certainty, "group": r.country or "unknown"}


def route_json(o: ObservationRow) -> dict[str, Any]:
    """A route with a point for each stop: origin and transit by name, the destination where the
    observation is (its place, else its country's point). A stop with no known point has `null`."""
    r = route_row(o)
    end = point(o.place_lat, o.place_lon)
    end_point = [end.lat, end.lon] if end else (list(country_point(o.country) or []) or None)
    stops = [("origin", n, named_point(n)) for n in r.origins[:1]] + [("transit", n, named_point(n))
                                                                         for n in r.transit]
    return {**asdict(r), "stops": [{"role": role, "name": name, "point": list(p) if p else None}
                                   for role, name, p in stops],
            "destination_point": end_point}
