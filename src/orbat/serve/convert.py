"""Dataclasses to the JSON the API promises (`docs/cli.md`, HTTP API): one shape per kind.

Why by hand rather than `asdict` everywhere: the observation shape is a contract with the web
page (`equipment`, `place`, `headline`, `sources` …), named for readers rather than for the
merge code, and coordinates are checked on the way out so no NaN or out-of-range value is sent.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from orbat.evidence import ClaimView
from orbat.export.data import point
from orbat.model import Observation
from orbat.observation_index import OPERATOR_ROLES


def observation_json(o: Observation) -> dict[str, Any]:
    """The list shape of an observation (`GET /api/observations`)."""
    where = point(o.place_lat, o.place_lon)
    return {
        "id": o.id, "equipment": o.equipment_name, "catalog_id": o.equipment_catalog_id,
        "equipment_class": o.equipment_class, "family": o.equipment_family, "event_group": o.event_group,
        "events": o.events, "country": o.country, "place": o.place_name, "place_feature": o.place_feature,
        "lat": where.lat if where else None, "lon": where.lon if where else None,
        "first_seen": o.first_seen, "last_seen": o.last_seen, "quantity_min": o.quantity_min,
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
    """An RFC 7946 Point feature (`[lon, lat]`), or None for an observation with no valid position."""
    properties = observation_json(o)
    if properties["lat"] is None or properties["lon"] is None:
        return None
    return {"type": "Feature", "id": o.id,
            "geometry": {"type": "Point", "coordinates": [properties["lon"], properties["lat"]]},
            "properties": properties}
