"""Read routes: each parses its query, calls one `orbat.query` / `orbat.evidence` function, shapes JSON.

No SQL here (DESIGN: read-side queries are written once). Plain `def` routes: FastAPI runs them
in its thread pool, and the store's engine gives each thread its own connection.

One limit policy: every list route takes `limit` (default 500, at most 5000) and `offset`, and
answers with `total`, so a client can always say "500 of 12 000" and page on. Filter values
outside their vocabulary answer 422 with the values that are allowed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from orbat import evidence, query
from orbat.errors import UserError
from orbat.query_filters import InvalidFilter, checked_filters
from orbat.reviews import NotFound
from orbat.serve.auth import reader
from orbat.serve.convert import claim_json, observation_json, route_json, timeline_item
from orbat.serve.review_queue import review_queue
from orbat.store import Store

router = APIRouter(prefix="/api", dependencies=[Depends(reader)])
DEFAULT_LIMIT = 500
MAX_LIMIT = 5000
Limit = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_LIMIT,
        description=(
            f"Most rows to return (default {DEFAULT_LIMIT}, at most {MAX_LIMIT}); `total` says how many match."
        ),
    ),
]
Offset = Annotated[int, Query(ge=0, description="Rows to skip, for paging through `total`.")]
DATE = "ISO date at any precision: YYYY, YYYY-MM or YYYY-MM-DD."
ObservationId = Annotated[str, Path(description="An observation id as the lists give it (obs-…).")]
ClaimId = Annotated[str, Path(description="A claim id as the lists and observations give it.")]
DocumentId = Annotated[str, Path(description="A document id (sha256:…), as claims give it in `document_id`.")]
CountryRef = Annotated[str, Path(description="ISO 3166-1 alpha-2 code or country name (ML, Mali).")]
EntityKind = Annotated[str, Path(description="equipment, actor or place.")]
EntityRef = Annotated[str, Path(description="A catalog id or a name (t-72b3, T-72B3, Wagner, Bamako).")]
Since = Annotated[str | None, Query(description="Seen on or after this date. " + DATE)]
Until = Annotated[str | None, Query(description="Seen on or before this date. " + DATE)]


def filters(
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 code or country name (ML, Mali).")] = None,
    place: Annotated[str | None, Query(description="Part of a place name.")] = None,
    actor: Annotated[
        str | None,
        Query(
            description=(
                "Operator name or alias; predecessors find their successors' observations (Wagner → Africa Corps)."
            )
        ),
    ] = None,
    equipment: Annotated[str | None, Query(description="System or family name (T-72, T-72B3) or catalog id.")] = None,
    equipment_class: Annotated[
        str | None,
        Query(alias="class", description=("Equipment class id, name or noun (main-battle-tank, tank, drone).")),
    ] = None,
    event: Annotated[str | None, Query(description="Event type or `presence` (422 lists the allowed values).")] = None,
    certainty: Annotated[
        str | None, Query(description=("confirmed, reported, probable, possible, speculative or denied."))
    ] = None,
    since: Since = None,
    until: Until = None,
    q: Annotated[str | None, Query(description="Text in the system, place, operators, publishers or origins.")] = None,
) -> query.Filters:
    """The shared filters of list routes, checked once: a value that can match nothing is a 422."""
    from orbat.cli.knowledge import check_date

    try:
        return checked_filters(
            query.Filters(
                country=country or None,
                place=place or None,
                actor=actor or None,
                equipment=equipment or None,
                equipment_class=equipment_class or None,
                event=event or None,
                certainty=certainty or None,
                since=check_date(since or None, "since"),
                until=check_date(until or None, "until"),
                q=q or None,
            )
        )
    except InvalidFilter as exc:
        raise HTTPException(422, detail={"message": str(exc), "allowed": exc.allowed}) from None
    except UserError as exc:
        raise HTTPException(422, detail={"message": str(exc), "allowed": []}) from None


Filtered = Annotated[query.Filters, Depends(filters)]


def store_of(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(store_of)]


def _or_empty(call, *args: Any, empty: Any = None) -> Any:
    """An empty database answers with empty lists (the page loads) rather than an error."""
    try:
        return call(*args)
    except UserError as exc:
        if "holds no documents" in str(exc):
            return [] if empty is None else empty
        raise


def _page(total: int, limit: int, offset: int) -> dict[str, int]:
    return {"total": total, "limit": limit, "offset": offset}


def _json_text(members: str, page: dict[str, Any], media_type: str = "application/json", **more: Any) -> Response:
    """A JSON object whose first member (`members`: `"name":[…]`) is stored JSON text, sent as it is."""
    tail = "".join(f",{json.dumps(k)}:{json.dumps(v)}" for k, v in {**more, **page}.items())
    return Response("{" + members + tail + "}", media_type=media_type)


@router.get("/observations", response_class=JSONResponse)
def list_observations(store: StoreDep, f: Filtered, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
    """Observations matching the filters, oldest first, and how many match in all."""
    found, total = query.search_views(store, f, limit, offset)
    return _json_text('"observations":[' + ",".join(v.body for v in found) + "]", _page(total, limit, offset))


@router.get("/observations/{observation_id}")
def get_observation(store: StoreDep, observation_id: ObservationId) -> dict[str, Any]:
    """One observation with every claim behind it (sentence, source, reviews, status)."""
    found = query.by_ids(store, [observation_id])
    if not found:
        raise NotFound(f"no observation {observation_id!r}")
    claims = evidence.claim_views(store, found[0].claim_ids)
    return {**observation_json(found[0]), "claims": [claim_json(c) for c in claims]}


@router.get("/claims")
def list_claims(store: StoreDep, f: Filtered, limit: Limit = DEFAULT_LIMIT) -> dict[str, Any]:
    """Claims of the latest extraction runs matching the filters."""
    found, total = evidence.search_claims(store, f, limit)
    return {"claims": [claim_json(c) for c in found], "total": total, "limit": limit}


@router.get("/review-queue")
def get_review_queue(store: StoreDep, f: Filtered, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    """Unreviewed claims behind the observations matching the filters, those behind the most
    observations first (then those that are an observation's only support)."""
    queued, total = review_queue(store, f, limit, offset)
    return {
        "claims": [
            {
                **claim_json(q.claim),
                "impact": q.observations,
                "sole_support": q.sole_support,
                "observation_ids": q.observation_ids,
            }
            for q in queued
        ],
        **_page(total, limit, offset),
    }


@router.get("/claims/{claim_id}")
def get_claim(store: StoreDep, claim_id: ClaimId) -> dict[str, Any]:
    """One claim with its sentence, source and review history."""
    return claim_json(evidence.claim(store, claim_id))


@router.get("/documents/{document_id}")
def get_document(store: StoreDep, document_id: DocumentId) -> dict[str, Any]:
    """The cleaned text that claims' offsets point into, with the source's metadata."""
    stored = store.document(document_id)
    if stored is None:
        raise NotFound(f"no document {document_id!r}")
    info = stored.info
    return {
        "id": info.id,
        "title": info.title,
        "url": info.url,
        "publisher": info.publisher,
        "published": info.published,
        "language": info.language,
        "text": stored.text,
    }


_POSTURE_FIELDS = [f.name for f in fields(query.PostureRow)]


@router.get("/posture/{country}", response_model=dict)
def get_posture(store: StoreDep, country: CountryRef, since: Since = None, until: Until = None) -> Response:
    """Equipment present in a country, one row per system (as `orbat posture`)."""
    f = filters(country=country, since=since, until=until)
    rows = _or_empty(query.posture, store, f.country, f.since, f.until)
    # What `asdict` and FastAPI's encoder made of it, without their deep copy and walk of every value
    # (two thirds of the route's time on a big country: rows carry every observation id).
    return JSONResponse({"country": f.country, "posture": [{n: getattr(r, n) for n in _POSTURE_FIELDS}
                                                           for r in rows]})


@router.get("/timeline", response_model=dict[str, Any])
def get_timeline(store: StoreDep, f: Filtered, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
    """Dated observations oldest first as timeline items: id, label, start, end, precision, certainty, group."""
    rows, total = query.timeline_rows(store, f, limit, offset)
    # Plain strings and numbers already: sent as they are, not walked again by FastAPI's encoder.
    return JSONResponse({"items": [timeline_item(r) for r in rows], **_page(total, limit, offset)})


@router.get("/routes")
def get_routes(store: StoreDep, f: Filtered, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    """Transfers with a known origin or transit, with a point for each stop (origin → transit → place)."""
    rows, total = query.routed_rows(store, f, limit, offset)
    return {"routes": [route_json(r) for r in rows], **_page(total, limit, offset)}


@router.get("/map.geojson", response_class=JSONResponse)
def get_map(store: StoreDep, f: Filtered, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> Response:
    """RFC 7946 FeatureCollection: observations at their place, or at their country's point
    (`located: "country"`) when sources named only the country."""
    found, total = query.search_views(store, f, limit, offset)
    features = [
        f'{{"type":"Feature","id":{json.dumps(v.id)},"geometry":{{"type":"Point","coordinates":'
        f'[{v.map_lon!r},{v.map_lat!r}]}},"properties":{v.body}}}'
        for v in found
        if v.map_lon is not None and v.map_lat is not None
    ]
    return _json_text(
        '"type":"FeatureCollection","features":[' + ",".join(features) + "]",
        _page(total, limit, offset),
        media_type="application/geo+json",
        unlocated=len(found) - len(features),
    )


@router.get("/entities/{kind}/{ref}")
def get_entity(store: StoreDep, kind: EntityKind, ref: EntityRef, limit: Limit = DEFAULT_LIMIT) -> dict[str, Any]:
    """A system (where seen), an actor (what it has) or a place (what is there)."""
    view = evidence.entity(store, kind, ref, limit)
    return {
        "kind": view.kind,
        "id": view.id,
        "name": view.name,
        "equipment": view.equipment,
        "places": [asdict(p) for p in view.places],
        "total": view.total,
        "observations": [observation_json(o) for o in view.observations],
    }
