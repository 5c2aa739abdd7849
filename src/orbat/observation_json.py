"""An observation as the HTTP API's list shape, and its JSON text, computed once per merge.

Why a module of its own: the shape is a contract with the web page (`equipment`, `place`,
`headline`, `sources` …) and used to be built per request from the whole stored record —
decoding it, building a dict and encoding it again cost 0.5–1 ms an observation, most of
`/api/map.geojson`'s time. The observation index (`orbat.observation_index`) now stores this
text beside each observation when it merges it, so list routes send stored text. The shape is
written here once, for both the index and the routes that still build it from an `Observation`.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

from orbat.model import Observation

PRECISION = {4: "year", 7: "month", 10: "day"}
OPERATOR_ROLES = ("operator", "recipient", "owner")  # the force that has the equipment


@lru_cache(maxsize=512)  # every observation asks (`country_lat`); the index's read costs ~15 µs a call
def country_point(code: str | None) -> tuple[float, float] | None:
    """The country's point, checked: the one extraction pins a country at (`orbat.gazetteer.country_point`).

    Not the middle of its outline's box: that puts Russia in the North Sea's latitude band and
    Fiji on the 180° line.
    """
    from orbat.export.data import point
    from orbat.gazetteer import country_point as pinned

    found = pinned(code)
    checked = point(found[0], found[1]) if found else None
    return (checked.lat, checked.lon) if checked else None


def country_anchor(o: Observation) -> tuple[float, float] | None:
    """Where a country-level observation is drawn: the point its place carries from extraction when
    the place is the country itself (what `orbat extract` printed), else its country's point."""
    from orbat.export.data import point

    if o.place_feature == "country" and (own := point(o.place_lat, o.place_lon)) is not None:
        return own.lat, own.lon
    return country_point(o.country)


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
    from orbat.export.data import point  # here: orbat.export reads the query module, which reads this one

    # a country is never a pin: "based in Mali" is drawn at the country's point, in the country-level
    # style, whether the text named the country or relate inferred it from a force
    where = point(o.place_lat, o.place_lon) if o.place_feature != "country" else None
    anchor = country_anchor(o)
    return {
        "id": o.id,
        "equipment": o.equipment_name,
        "catalog_id": o.equipment_catalog_id,
        "equipment_class": o.equipment_class,
        "family": o.equipment_family,
        "event_group": o.event_group,
        "events": o.events,
        "country": o.country,
        "country_name": country_name(o.country),
        "place": o.place_name,
        "place_feature": o.place_feature,
        "lat": where.lat if where else None,
        "lon": where.lon if where else None,
        "located": "place" if where else "country" if anchor else None,
        "country_lat": anchor[0] if anchor else None,
        "country_lon": anchor[1] if anchor else None,
        "first_seen": o.first_seen,
        "last_seen": o.last_seen,
        "first_precision": precision(o.first_seen),
        "last_precision": precision(o.last_seen),
        "quantity_min": o.quantity_min,
        "quantity_max": o.quantity_max,
        "headline": o.quantity_headline,
        "sources": o.publisher_count,
        "publishers": o.publishers,
        "certainty": o.certainty,
        "certainty_rule": o.certainty_rule,
        "operators": sorted({a.name for a in o.actors if a.role in OPERATOR_ROLES}),
        "actors": [{"name": a.name, "role": a.role} for a in o.actors],
        "origins": o.origins,
        "transit": o.transit,
        "claim_count": len(o.claim_ids),
        "disagreements": [{"kind": d.kind, "values": d.values} for d in o.disagreements],
        "evidence": o.evidence,
        "markings": o.markings,
    }


def map_point(data: dict[str, Any]) -> tuple[float, float] | None:
    """Where the map draws an observation of this shape, as (lon, lat): its place, else its country."""
    if data["located"] == "place":
        return data["lon"], data["lat"]
    if data["located"] == "country":
        return data["country_lon"], data["country_lat"]
    return None


def dumps(data: Any) -> str:
    """Compact JSON text as the API sends it; a non-finite number (no JSON for it) becomes null."""
    try:
        return json.dumps(data, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite(data), separators=(",", ":"), allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
