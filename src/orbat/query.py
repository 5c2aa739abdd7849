"""Read-side questions over the knowledge base, written once for the CLI, the API, briefs and exports.

Every function takes an open `Store`, checks its input (a country code, a non-empty database)
with errors a user can act on, and returns dataclasses — never Rich objects or dicts — so each
front end formats the same answer its own way. Filtering (country, system, dates) happens in SQL
on the observation index (`orbat.observation_index`), so the answer costs the same on ten
documents or on a million claims.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, exists, func, literal, or_, select

from orbat.errors import InputError, UserError
from orbat.model import CERTAINTY_ORDER, ClaimFact, Observation
from orbat.observation_index import PART_FAMILY, observation_rows, observations
from orbat.observation_index import count as count_observations
from orbat.store import Store
from orbat.store.read import facts_query, load_facts
from orbat.store.rows import equipment_key
from orbat.store.schema import claims, documents

#: Event groups that put a system somewhere (a contract or a factory does not).
SEEN_GROUPS = ("presence", "loss", "withdrawal")
#: Actor roles listed as the force that has the equipment.
OPERATOR_ROLES = ("operator", "recipient", "owner")

obs = observation_rows.c


@dataclass(slots=True)
class PostureRow:
    """One system in one country: what sightings add up to.

    `quantity_min` is the largest headline (lowest reported figure) of any one sighting — at
    least that many were there at once; `quantity_max` sums every sighting's highest figure —
    no more than that, even if no two sightings were the same vehicles.
    """

    equipment_class: str | None
    equipment: str
    catalog_id: str | None
    quantity_min: int | None
    quantity_max: int | None
    first_seen: str | None
    last_seen: str | None
    certainty: str
    observations: int
    claims: int
    sources: int
    publishers: list[str] = field(default_factory=list)
    operators: list[str] = field(default_factory=list)
    observation_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class WhereRow:
    """One place (or a country, when sources named no place) where a system was seen."""

    country: str | None
    place: str | None
    lat: float | None
    lon: float | None
    first_seen: str | None
    last_seen: str | None
    observations: int
    claims: int
    sources: int
    quantity_max: int | None
    systems: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    publishers: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RouteRow:
    """Where equipment came from, through where, to where."""

    origins: list[str]
    transit: list[str]
    destination: str | None
    country: str | None
    equipment: str | None
    quantity: int | None
    first_seen: str | None
    last_seen: str | None
    certainty: str
    publishers: int
    observation_id: str


@dataclass(slots=True)
class ObservationDetail:
    observation: Observation
    claims: list[ClaimFact]


@dataclass(slots=True)
class Stats:
    documents: int
    sightings: int
    runs: int
    claims: int
    facts: int
    observations: int
    extractors: list[str]
    catalogs: list[str]
    backend: str


# --- input checks ----------------------------------------------------------------------------


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code from a code or a country name ("ml", "Mali", "Russie")."""
    from orbat.catalog import load_catalogs

    countries = load_catalogs().countries
    wanted = value.strip()
    if wanted.upper() in countries:
        return wanted.upper()
    folded = wanted.casefold()
    for code, entry in countries.items():
        if folded in (entry.name.casefold(), *(a.casefold() for a in entry.aliases)):
            return code
    raise InputError(f"unknown country {value!r}: give an ISO 3166-1 alpha-2 code such as ML or UA")


def require_documents(store: Store) -> None:
    """Queries on an empty database would print empty tables; say what to do instead."""
    with store.engine.connect() as conn:
        if conn.execute(select(documents.c.id).limit(1)).first() is None:
            raise UserError("the database holds no documents yet: run `orbat ingest SOURCES` first")


def _since(column, since: str | None) -> list[ColumnElement[bool]]:
    """Compare ISO dates at the stored value's precision: "2025-01" is within since 2025-01-17."""
    return [column >= func.substr(literal(since), 1, func.length(column))] if since else []


def _until(column, until: str | None) -> list[ColumnElement[bool]]:
    return [func.substr(column, 1, len(until)) <= until] if until else []


def _system(equipment: str) -> ColumnElement[bool]:
    key = equipment_key(equipment)
    return or_(obs.catalog_id == equipment.strip().lower(), obs.name_key == key, obs.family_key == key)


def _sources(group: list[Observation]) -> int:
    """Distinct publishers; documents stand in when no source named its publisher."""
    return len({p for o in group for p in o.publishers} or {d for o in group for d in o.document_ids})


def _strongest(values: list[str]) -> str:
    rank = {c: n for n, c in enumerate(CERTAINTY_ORDER)}
    return min(values, key=lambda c: rank.get(c, len(rank))) if values else "reported"


# --- questions -------------------------------------------------------------------------------


def posture(store: Store, country: str, since: str | None = None,
            until: str | None = None) -> list[PostureRow]:
    """Equipment present in a country, one row per system, grouped by class."""
    code = country_code(country)
    require_documents(store)
    found = observations(store, obs.country == code, obs.event_group == "presence",
                         obs.name_key.is_not(None), *_since(obs.last_seen, since),
                         *_until(obs.first_seen, until))
    by_system: dict[str, list[Observation]] = defaultdict(list)
    for o in found:
        by_system[o.equipment_catalog_id or equipment_key(o.equipment_name or "")].append(o)
    rows = [_posture_row(group) for group in by_system.values()]
    return sorted(rows, key=lambda r: (r.equipment_class or "~", r.equipment))


def _posture_row(group: list[Observation]) -> PostureRow:
    first = group[0]
    heads = [o.quantity_headline for o in group if o.quantity_headline is not None]
    highs = [o.quantity_max for o in group if o.quantity_max is not None]
    dates = sorted(d for o in group for d in (o.first_seen, o.last_seen) if d)
    return PostureRow(
        equipment_class=first.equipment_class, equipment=first.equipment_name or "",
        catalog_id=first.equipment_catalog_id, quantity_min=max(heads) if heads else None,
        quantity_max=sum(highs) if highs else None, first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None, certainty=_strongest([o.certainty for o in group]),
        observations=len(group), claims=sum(len(o.claim_ids) for o in group), sources=_sources(group),
        publishers=sorted({p for o in group for p in o.publishers}),
        operators=sorted({a.name for o in group for a in o.actors if a.role in OPERATOR_ROLES}),
        observation_ids=[o.id for o in group])


def where(store: Store, equipment: str) -> list[WhereRow]:
    """Countries and places a system (or any variant of a family) was seen, oldest first."""
    if not equipment.strip():
        raise InputError("name a system, e.g. `orbat where T-72B3`")
    require_documents(store)
    found = observations(store, _system(equipment), obs.event_group.in_(SEEN_GROUPS))
    by_place: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for o in found:
        by_place[(o.country or "", o.place_name or "")].append(o)
    rows = [_where_row(group) for group in by_place.values()]
    return sorted(rows, key=lambda r: (r.first_seen or "9999", r.country or "", r.place or ""))


def _where_row(group: list[Observation]) -> WhereRow:
    first = group[0]
    dates = sorted(d for o in group for d in (o.first_seen, o.last_seen) if d)
    highs = [o.quantity_max for o in group if o.quantity_max is not None]
    return WhereRow(
        country=first.country, place=first.place_name, lat=first.place_lat, lon=first.place_lon,
        first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
        observations=len(group), claims=sum(len(o.claim_ids) for o in group), sources=_sources(group),
        quantity_max=max(highs) if highs else None,
        systems=sorted({o.equipment_name for o in group if o.equipment_name}),
        events=sorted({e for o in group for e in o.events}),
        publishers=sorted({p for o in group for p in o.publishers}))


def timeline(store: Store, country: str | None = None, since: str | None = None,
             until: str | None = None, limit: int | None = None) -> list[Observation]:
    """Dated observations, oldest first (all countries unless one is named)."""
    conditions = [obs.first_seen.is_not(None), *_since(obs.last_seen, since), *_until(obs.first_seen, until)]
    if country:
        conditions.append(obs.country == country_code(country))
    require_documents(store)
    return observations(store, *conditions, limit=limit)


def new_sightings(store: Store, since: str, country: str | None = None) -> list[Observation]:
    """The first sighting of each system in each country, when it falls on or after `since`."""
    if not since:
        raise InputError("give --since DATE (ISO, e.g. 2025-01-01)")
    require_documents(store)
    earlier = observation_rows.alias("earlier")
    system = func.coalesce(obs.catalog_id, obs.name_key)
    seen_before = exists().where(
        earlier.c.country == obs.country, earlier.c.event_group == "presence",
        func.coalesce(earlier.c.catalog_id, earlier.c.name_key) == system,
        earlier.c.first_seen < obs.first_seen)
    conditions = [obs.event_group == "presence", obs.name_key.is_not(None), obs.country.is_not(None),
                  *_since(obs.first_seen, since), ~seen_before]
    if country:
        conditions.append(obs.country == country_code(country))
    return observations(store, *conditions)


def routes(store: Store, country: str | None = None) -> list[RouteRow]:
    """Transfers with a known origin or transit: origin → (transit) → destination."""
    conditions = [obs.routed.is_(True), obs.event_group == "presence"]
    if country:
        conditions.append(obs.country == country_code(country))
    require_documents(store)
    return [RouteRow(origins=o.origins, transit=o.transit, destination=o.place_name, country=o.country,
                     equipment=o.equipment_name, quantity=o.quantity_headline, first_seen=o.first_seen,
                     last_seen=o.last_seen, certainty=o.certainty, publishers=o.publisher_count,
                     observation_id=o.id)
            for o in observations(store, *conditions)]


def show(store: Store, observation_id: str) -> ObservationDetail:
    """One observation with every claim behind it: sentence, source, date, certainty."""
    wanted = observation_id.strip()
    found = observations(store, obs.id == wanted)
    if not found:
        raise InputError(f"no observation {wanted!r} (ids look like obs-3f2a9c1b20de; see `orbat timeline`)")
    with store.engine.connect() as conn:
        family = conn.execute(select(obs.part_family).where(obs.id == wanted)).scalar_one()
    observation = found[0]
    return ObservationDetail(observation, store_facts(store, observation.claim_ids, family))


def store_facts(store: Store, claim_ids: list[str], part_family: str) -> list[ClaimFact]:
    """The facts of the given claims that belong to one partition (a claim may name several systems)."""
    with store.engine.connect() as conn:
        found: list[ClaimFact] = []
        for i in range(0, len(claim_ids), 400):
            query = facts_query(latest_only=False).where(claims.c.id.in_(claim_ids[i:i + 400]),
                                                         part_family == PART_FAMILY)
            found.extend(load_facts(conn, query))
    order = {cid: n for n, cid in enumerate(claim_ids)}
    return sorted(found, key=lambda f: order.get(f.claim_id, len(order)))


def stats(store: Store) -> Stats:
    """Counts of what the knowledge base holds, observations included."""
    s = store.stats()
    return Stats(documents=s.documents, sightings=s.sightings, runs=s.runs, claims=s.claims, facts=s.facts,
                 observations=count_observations(store), extractors=s.extractors, catalogs=s.catalogs,
                 backend=s.backend)

