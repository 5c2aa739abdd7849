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
from orbat.observation_index import OPERATOR_ROLES
from orbat.query import ObservationRow, route_row

PRECISION = {4: "year", 7: "month", 10: "day"}


@lru_cache(maxsize=512)
def country_point(code: str | None) -> tuple[float, float] | None:
    """The country's representative point (Natural Earth's label point, else its capital).

    Not the middle of its outline's box: that puts Russia in the North Sea's latitude band and
    Fiji on the 180° line.
    """
    from orbat.brief.places import country_point as representative

    if not code:
        return None
    found = representative(code)
    checked = point(found[0], found[1]) if found else None
    return (checked.lat, checked.lon) if checked else None


@lru_cache(maxsize=2048)
def named_point(name: str) -> tuple[float, float] | None:
    """A point for a route stop named in text: installation, country, then the largest town."""
    from orbat.brief.places import locate

    found = locate(name)
    checked = point(found[0], found[1]) if found else None
    return (checked.lat, checked.lon) if checked else None


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    from orbat.catalog import load_catalogs

    entry = load_catalogs().countries.get((code or "").upper())
    return entry.name if entry else None


def precision(date: str | None) -> str | None:
    """How much of a date sources gave: "2019" is a year, "2019-05" a month."""
    return PRECISION.get(len(date)) if date else None


def observation_json(o: Observation) -> dict[str, Any]:
    """The list shape of an observation (`GET /api/observations`)."""
    where = point(o.place_lat, o.place_lon)
    anchor = country_point(o.country)
    return {
        "id": o.id, "equipment": o.equipment_name, "catalog_id": o.equipment_catalog_id,
        "equipment_class": o.equipment_class, "family": o.equipment_family, "event_group": o.event_group,
        "events": o.events, "country": o.country, "country_name": country_name(o.country),
        "place": o.place_name, "place_feature": o.place_feature,
        "lat": where.lat if where else None, "lon": where.lon if where else None,
        "located": "place" if where else "country" if anchor else None,
        "country_lat": anchor[0] if anchor else None, "country_lon": anchor[1] if anchor else None,
        "first_seen": o.first_seen, "last_seen": o.last_seen, "first_precision": precision(o.first_seen),
        "last_precision": precision(o.last_seen), "quantity_min": o.quantity_min,
        "quantity_max": o.quantity_max, "headline": o.quantity_headline, "sources": o.publisher_count,
        "publishers": o.publishers, "certainty": o.certainty, "certainty_rule": o.certainty_rule,
        "operators": sorted({a.name for a in o.actors if a.role in OPERATOR_ROLES}),
        "actors": [{"name": a.name, "role": a.role} for a in o.actors],
        "origins": o.origins, "transit": o.transit, "claim_count": len(o.claim_ids),
        "disagreements": [{"kind": d.kind, "values": d.values} for d in o.disagreements],
        "evidence": o.evidence, "markings": o.markings,
    }


def claim_json(view: ClaimView) -> dict[str, Any]:
    """A claim with its sentence offsets, source, systems, actors and review history."""
    data = asdict(view)
    where = point(view.lat, view.lon)
    data["lat"], data["lon"] = (where.lat, where.lon) if where else (None, None)
    return data


def feature(o: Observation) -> dict[str, Any] | None:
    """An RFC 7946 Point feature (`[lon, lat]`) at the place, else at the country's point, else None."""
    properties = observation_json(o)
    if properties["located"] == "place":
        where = [properties["lon"], properties["lat"]]
    elif properties["located"] == "country":
        where = [properties["country_lon"], properties["country_lat"]]
    else:
        return None
    return {"type": "Feature", "id": o.id, "geometry": {"type": "Point", "coordinates": where},
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
