"""Read-side questions behind the evidence views: claims with their reviews, documents, entities.

Written once, like `orbat.query`, for the API and any later front end. A claim naming three
systems is one `ClaimView` with three systems (storage keeps one fact per system); its review
history comes along so every reader sees the same status (`orbat.reviews.status`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import distinct, exists, func, or_, select

from orbat.model import ClaimFact, Observation
from orbat.query import Filters, _like, country_code, search_observations, where
from orbat.query_filters import actor_names
from orbat.reviews import NotFound, Review, reviews_for, status
from orbat.store import Store
from orbat.store.read import facts_query, load_facts
from orbat.store.schema import claim_actors, claim_equipment, claims, entities

ENTITY_KINDS = ("equipment", "actor", "place")


@dataclass(slots=True)
class ClaimView:
    """One claim: the sentence and where it sits in its document, what it names, its reviews."""

    id: str
    event: str
    certainty: str
    sentence: str
    sentence_start: int
    sentence_end: int
    document_id: str
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    attributed_to: str | None
    date: str | None
    country: str | None
    place: str | None
    lat: float | None
    lon: float | None
    equipment: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    status: str = "unreviewed"


def _claim_conditions(filters: Filters) -> list:
    f = filters
    conditions = []
    if f.place:
        conditions.append(_like(claims.c.place_name, f.place))
    if f.equipment_class:
        conditions.append(_like(claim_equipment.c.equipment_class, f.equipment_class))
    if f.certainty:
        conditions.append(claims.c.certainty == f.certainty.strip().lower())
    if f.actor:
        # the same names the observation filter searches: "FAMa" finds claims about the Malian Armed Forces
        names = or_(*(_like(claim_actors.c.name, name) for name in actor_names(f.actor)))
        conditions.append(exists().where(claim_actors.c.claim_id == claims.c.id, names))
    if f.q:
        conditions.append(or_(_like(claims.c.sentence, f.q), _like(claim_equipment.c.name, f.q)))
    return conditions


def search_claims(store: Store, filters: Filters, limit: int = 500) -> tuple[list[ClaimView], int]:
    """Claims of the latest runs matching the filters (dated first, oldest first), and how many match."""
    f = filters
    query = facts_query(place_country=country_code(f.country) if f.country else None, equipment=f.equipment,
                        event=f.event.strip().lower() if f.event else None, since=f.since, until=f.until)
    query = query.where(*_claim_conditions(f))
    with store.engine.connect() as conn:
        total = conn.execute(select(func.count(distinct(query.order_by(None).subquery().c.id)))).scalar_one()
        ids = list(dict.fromkeys(row.id for row in conn.execute(query.with_only_columns(claims.c.id))))[:limit]
    return claim_views(store, ids), total


def claim_views(store: Store, claim_ids: list[str]) -> list[ClaimView]:
    """The claims named, in that order, each with its systems, actors and reviews."""
    with store.engine.connect() as conn:
        facts: list[ClaimFact] = []
        for i in range(0, len(claim_ids), 400):
            facts.extend(load_facts(conn, facts_query(latest_only=False).where(
                claims.c.id.in_(claim_ids[i:i + 400]))))
        history = reviews_for(conn, claim_ids)
    by_claim: dict[str, list[ClaimFact]] = {}
    for fact in facts:
        by_claim.setdefault(fact.claim_id, []).append(fact)
    return [_view(by_claim[c], history.get(c, [])) for c in claim_ids if c in by_claim]


def _view(facts: list[ClaimFact], history: list[Review]) -> ClaimView:
    first = facts[0]
    equipment = [{"name": f.equipment_name, "catalog_id": f.equipment_catalog_id, "class": f.equipment_class,
                  "family": f.equipment_family, "quantity_min": f.quantity_min, "quantity_max": f.quantity_max}
                 for f in facts if f.equipment_name]
    return ClaimView(
        id=first.claim_id, event=first.event, certainty=first.certainty, sentence=first.sentence,
        sentence_start=first.sentence_start, sentence_end=first.sentence_end, document_id=first.document_id,
        title=first.title, publisher=first.publisher, url=first.url, published=first.published,
        attributed_to=first.attributed_to, date=first.date, country=first.place_country,
        place=first.place_name, lat=first.place_lat, lon=first.place_lon, equipment=equipment,
        actors=[{"name": a.name, "role": a.role, "catalog_id": a.catalog_id} for a in first.actors],
        evidence=list(first.evidence), reviews=history, status=status(history))


def claim(store: Store, claim_id: str) -> ClaimView:
    found = claim_views(store, [claim_id.strip()])
    if not found:
        raise NotFound(f"no claim {claim_id!r}")
    return found[0]


@dataclass(slots=True)
class EntityView:
    """Where a system was seen, what an actor has, or what is at a place."""

    kind: str
    id: str
    name: str
    observations: list[Observation]
    total: int
    places: list[Any] = field(default_factory=list)
    equipment: list[str] = field(default_factory=list)


def entity(store: Store, kind: str, ref: str, limit: int = 500) -> EntityView:
    """An entity by catalog id or name, with the observations it appears in."""
    if kind not in ENTITY_KINDS:
        raise NotFound(f"no entity kind {kind!r}: use {', '.join(ENTITY_KINDS)}")
    name = _entity_name(store, kind, ref.strip())
    filters = {"equipment": Filters(equipment=name), "actor": Filters(actor=name), "place": Filters(place=name)}[kind]
    found, total = search_observations(store, filters, limit)
    if kind == "place":
        found = [o for o in found if (o.place_name or "").casefold() == name.casefold()] or found
    if not found:
        raise NotFound(f"nothing recorded about {kind} {ref!r}")
    places = where(store, name) if kind == "equipment" else []
    systems = sorted({o.equipment_name for o in found if o.equipment_name})
    return EntityView(kind, ref, name, found, total, places, systems)


def _entity_name(store: Store, kind: str, ref: str) -> str:
    """A catalog id ("ml-air-base-101", "africa-corps") to the name claims use; else the ref itself."""
    with store.engine.connect() as conn:
        name = conn.execute(select(entities.c.name).where(entities.c.kind == kind, entities.c.catalog_id == ref)
                            .limit(1)).scalar()
    return name or ref
