"""Read routes: each parses its query, calls one `orbat.query` / `orbat.evidence` function, shapes JSON.

No SQL here (DESIGN: read-side queries are written once). Plain `def` routes: FastAPI runs them
in its thread pool, and the store's engine gives each thread its own connection.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from orbat import evidence, query
from orbat.errors import UserError
from orbat.reviews import NotFound
from orbat.serve.auth import reader
from orbat.serve.convert import claim_json, feature, observation_json
from orbat.store import Store

router = APIRouter(prefix="/api", dependencies=[Depends(reader)])
MAX_LIMIT = 5000
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


def filters(country: str | None = None, place: str | None = None, actor: str | None = None,
            equipment: str | None = None, equipment_class: Annotated[str | None, Query(alias="class")] = None,
            event: str | None = None, certainty: str | None = None, since: str | None = None,
            until: str | None = None, q: str | None = None) -> query.Filters:
    """The shared filters of list routes; dates are checked as the CLI checks them."""
    from orbat.cli.knowledge import check_date

    return query.Filters(country=country or None, place=place or None, actor=actor or None,
                         equipment=equipment or None, equipment_class=equipment_class or None,
                         event=event or None, certainty=certainty or None,
                         since=check_date(since or None, "since"), until=check_date(until or None, "until"),
                         q=q or None)


Filtered = Annotated[query.Filters, Depends(filters)]


def store_of(request: Request) -> Store:
    return request.app.state.store


StoreDep = Annotated[Store, Depends(store_of)]


def _or_empty(call, *args: Any) -> list:
    """An empty database answers with empty lists (the page loads) rather than an error."""
    try:
        return call(*args)
    except UserError as exc:
        if "holds no documents" in str(exc):
            return []
        raise


@router.get("/observations")
def list_observations(store: StoreDep, f: Filtered, limit: Limit = 500) -> dict[str, Any]:
    """Observations matching the filters, oldest first, and how many match in all."""
    found, total = query.search_observations(store, f, limit)
    return {"observations": [observation_json(o) for o in found], "total": total}


@router.get("/observations/{observation_id}")
def get_observation(store: StoreDep, observation_id: str) -> dict[str, Any]:
    """One observation with every claim behind it (sentence, source, reviews, status)."""
    found = query.by_ids(store, [observation_id])
    if not found:
        raise NotFound(f"no observation {observation_id!r}")
    claims = evidence.claim_views(store, found[0].claim_ids)
    return {**observation_json(found[0]), "claims": [claim_json(c) for c in claims]}


@router.get("/claims")
def list_claims(store: StoreDep, f: Filtered, limit: Limit = 500) -> dict[str, Any]:
    """Claims of the latest extraction runs matching the filters."""
    found, total = evidence.search_claims(store, f, limit)
    return {"claims": [claim_json(c) for c in found], "total": total}


@router.get("/claims/{claim_id}")
def get_claim(store: StoreDep, claim_id: str) -> dict[str, Any]:
    """One claim with its sentence, source and review history."""
    return claim_json(evidence.claim(store, claim_id))


@router.get("/documents/{document_id}")
def get_document(store: StoreDep, document_id: str) -> dict[str, Any]:
    """The cleaned text that claims' offsets point into, with the source's metadata."""
    stored = store.document(document_id)
    if stored is None:
        raise NotFound(f"no document {document_id!r}")
    info = stored.info
    return {"id": info.id, "title": info.title, "url": info.url, "publisher": info.publisher,
            "published": info.published, "language": info.language, "text": stored.text}


@router.get("/posture/{country}")
def get_posture(store: StoreDep, country: str, since: str | None = None, until: str | None = None) -> dict:
    """Equipment present in a country, one row per system (as `orbat posture`)."""
    code = query.country_code(country)
    f = filters(since=since, until=until)
    rows = _or_empty(query.posture, store, code, f.since, f.until)
    return {"country": code, "posture": [asdict(r) for r in rows]}


@router.get("/timeline")
def get_timeline(store: StoreDep, country: str | None = None, since: str | None = None,
                 until: str | None = None, limit: Limit = MAX_LIMIT) -> dict[str, Any]:
    """Dated observations oldest first (as `orbat timeline`), in the list shape."""
    f = filters(since=since, until=until)
    rows = _or_empty(query.timeline, store, country or None, f.since, f.until, limit)
    found = query.by_ids(store, [r.id for r in rows])
    return {"observations": [observation_json(o) for o in found], "total": len(found)}


@router.get("/routes")
def get_routes(store: StoreDep, country: str | None = None) -> dict[str, Any]:
    """Transfers with a known origin or transit (as `orbat routes`)."""
    return {"routes": [asdict(r) for r in _or_empty(query.routes, store, country or None)]}


@router.get("/map.geojson")
def get_map(store: StoreDep, f: Filtered, limit: Limit = MAX_LIMIT) -> JSONResponse:
    """RFC 7946 FeatureCollection of the located observations matching the filters."""
    found, _total = query.search_observations(store, f, limit)
    features = [x for x in (feature(o) for o in found) if x is not None]
    return JSONResponse({"type": "FeatureCollection", "features": features,
                         "unlocated": len(found) - len(features)}, media_type="application/geo+json")


@router.get("/entities/{kind}/{ref}")
def get_entity(store: StoreDep, kind: str, ref: str, limit: Limit = 500) -> dict[str, Any]:
    """A system (where seen), an actor (what it has) or a place (what is there)."""
    view = evidence.entity(store, kind, ref, limit)
    return {"kind": view.kind, "id": view.id, "name": view.name, "equipment": view.equipment,
            "places": [asdict(p) for p in view.places], "total": view.total,
            "observations": [observation_json(o) for o in view.observations]}
