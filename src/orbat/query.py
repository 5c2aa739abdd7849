"""Read-side questions over the knowledge base, written once for the CLI, the API, briefs and exports.

Every function takes an open `Store`, checks its input (a country code, a non-empty database)
with errors a user can act on, and returns dataclasses — never Rich objects or dicts — so each
front end formats the same answer its own way. Filtering (country, system, dates) happens in SQL
on the observation index (`orbat.observation_index`), so the answer costs the same on ten
documents or on a million claims.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import ColumnElement, Connection, exists, func, literal, or_, select

from orbat.errors import InputError, UserError
from orbat.gc_pause import collector_paused
from orbat.model import CERTAINTY_ORDER, ClaimFact, Observation
from orbat.observation_index import (
    PART_FAMILY,
    SEP,
    ObservationView,
    ensure_fresh,
    from_record,
    full_observations,
    observation_records,
    observation_rows,
    place_rows,
    split,
    views,
)
from orbat.observation_index import count as count_observations
from orbat.query_filters import actor_names, class_name, country_code
from orbat.store import Store
from orbat.store.read import facts_from_result, facts_query, latest_records_json
from orbat.store.rows import equipment_key
from orbat.store.schema import claims, documents

obs = observation_rows.c
_CHUNK = 500  # ids per IN list: far below both backends' bound-parameter limits


@dataclass(slots=True)
class ObservationRow:
    """An observation as list queries return it: what a timeline row shows, read from columns.

    The whole `Observation` (claim ids, disagreements with who said what, actors with the names
    sources used) is one `show(store, id)` away; list queries skip it to stay fast.
    """

    id: str
    event_group: str
    events: list[str]
    equipment_name: str | None
    catalog_id: str | None
    equipment_class: str | None
    country: str | None
    place_name: str | None
    place_lat: float | None
    place_lon: float | None
    first_seen: str | None
    last_seen: str | None
    quantity_min: int | None
    quantity_max: int | None
    quantity_headline: int | None
    certainty: str
    publisher_count: int
    independent_sources: int
    claim_count: int
    publishers: list[str]
    operators: list[str]
    origins: list[str]
    transit: list[str]
    disagreements: list[str]


_ROW_COLUMNS = [obs[f.name] for f in fields(ObservationRow)]
_LIST_FIELDS = [n for n, f in enumerate(fields(ObservationRow)) if f.type == "list[str]"]


@dataclass(slots=True)
class PostureRow:
    """One system in one country: what its sightings add up to.

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
    independent_sources: int = 0  # primary evidence behind its sightings, however many outlets repeated it


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


@dataclass(slots=True, frozen=True)
class Filters:
    """What the API's list routes filter by; None means "any". Text matches ignore case."""

    country: str | None = None
    place: str | None = None
    actor: str | None = None
    equipment: str | None = None
    equipment_class: str | None = None
    event: str | None = None
    certainty: str | None = None
    since: str | None = None
    until: str | None = None
    q: str | None = None


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
    ingest_errors: int = 0


# --- input checks ----------------------------------------------------------------------------


def require_documents(store: Store) -> None:
    """Queries on an empty database would print empty tables; say what to do instead.

    Then bring the observation index up to date, so every question reads current claims.
    """
    with store.engine.connect() as conn:
        if conn.execute(select(documents.c.id).limit(1)).first() is None:
            raise UserError("the database holds no documents yet: run `orbat ingest SOURCES` first")
    ensure_fresh(store)


def _since(column, since: str | None) -> list[ColumnElement[bool]]:
    """Compare ISO dates at the stored value's precision: "2025-01" is within since 2025-01-17."""
    return [column >= func.substr(literal(since), 1, func.length(column))] if since else []


def _until(column, until: str | None) -> list[ColumnElement[bool]]:
    return [func.substr(column, 1, len(until)) <= until] if until else []


def _rows(store: Store, *conditions: ColumnElement[bool], limit: int | None = None) -> list[ObservationRow]:
    """Observation rows matching SQL conditions, oldest first."""
    query = select(*_ROW_COLUMNS).where(*conditions).order_by(obs.first_seen, obs.id)
    if limit is not None:
        query = query.limit(limit)
    with store.engine.connect() as conn, collector_paused():
        return [_observation_row(list(row)) for row in conn.execute(query).all()]


def _observation_row(values: list) -> ObservationRow:
    """Columns to a row; one observation's list columns hold distinct values already."""
    for n in _LIST_FIELDS:
        values[n] = values[n].split(SEP) if values[n] else []
    return ObservationRow(*values)


def _grouped(store: Store, keys: list, aggregates: dict, *conditions: ColumnElement[bool]) -> list:
    """One SQL GROUP BY over the index: sums and ranges in the database, not in Python."""
    query = select(*keys, *(a.label(n) for n, a in aggregates.items())).where(*conditions).group_by(*keys)
    with store.engine.connect() as conn, collector_paused():
        return [row._mapping for row in conn.execute(query).all()]


def _joined(column) -> ColumnElement:
    return func.aggregate_strings(column, SEP)


def _sources(publishers: Collection[str], publisher_counts: int) -> int:
    """Distinct publishers; with none named, each observation's own count of documents."""
    return len(publishers) if publishers else publisher_counts


# --- questions -------------------------------------------------------------------------------


def posture(store: Store, country: str, since: str | None = None,
            until: str | None = None) -> list[PostureRow]:
    """Equipment present in a country, one row per system, sorted by class."""
    code = country_code(country)
    require_documents(store)
    system = func.coalesce(obs.catalog_id, obs.name_key)
    found = _grouped(store, [system.label("system")], {
        "equipment": func.min(obs.equipment_name), "equipment_class": func.min(obs.equipment_class),
        "catalog_id": func.min(obs.catalog_id), "heads": func.max(obs.quantity_headline),
        "highs": func.sum(obs.quantity_max), "first": func.min(obs.first_seen), "last": func.max(obs.last_seen),
        "rank": func.min(obs.certainty_rank), "n": func.count(),
        "claims": func.sum(obs.claim_count), "counts": func.sum(obs.publisher_count),
        "independent": func.sum(obs.independent_sources), "publishers": _joined(obs.publishers),
        "operators": _joined(obs.operators), "ids": _joined(obs.id)},
        obs.country == code, obs.event_group == "presence", obs.name_key.is_not(None),
        *_since(obs.last_seen, since), *_until(obs.first_seen, until))
    rows = [PostureRow(
        equipment_class=r["equipment_class"], equipment=r["equipment"], catalog_id=r["catalog_id"],
        quantity_min=r["heads"], quantity_max=r["highs"], first_seen=r["first"],
        last_seen=r["last"],
        certainty=CERTAINTY_ORDER[r["rank"]] if r["rank"] < len(CERTAINTY_ORDER) else "reported",
        observations=r["n"], claims=r["claims"], sources=_sources(split(r["publishers"]), r["counts"]),
        publishers=sorted(split(r["publishers"])), operators=sorted(split(r["operators"])),
        observation_ids=split(r["ids"]), independent_sources=r["independent"]) for r in found]
    return sorted(rows, key=lambda r: (r.equipment_class or "~", r.equipment))


def where(store: Store, equipment: str) -> list[WhereRow]:
    """Countries and places a system (or any variant of a family) was seen, oldest first."""
    if not equipment.strip():
        raise InputError("name a system, e.g. `orbat where T-72B3`")
    require_documents(store)
    key = equipment_key(equipment)
    places = place_rows.c
    with store.engine.connect() as conn:
        family = conn.execute(select(places.name_key).where(places.family_key == key).limit(1)).first()
        found = conn.execute(select(place_rows).where(
            places.family_key == key if family else places.name_key == key)).all()
    by_place: dict[tuple[str, str], list] = defaultdict(list)
    for row in found:
        by_place[(row.country or "", row.place_name or "")].append(row)
    rows = [_where_row(group) for group in by_place.values()]
    return sorted(rows, key=lambda r: (r.first_seen or "9999", r.country or "", r.place or ""))


def _where_row(group: list) -> WhereRow:
    """One place: its systems' rows (one per variant seen there) added together."""
    first = group[0]
    dates = sorted(d for r in group for d in (r.first_seen, r.last_seen) if d)
    highs = [r.quantity_max for r in group if r.quantity_max is not None]
    sources = first.sources if len(group) == 1 else _sources(
        {p for r in group for p in split(r.publishers)}, sum(r.sources for r in group))
    return WhereRow(
        country=first.country, place=first.place_name, lat=first.place_lat, lon=first.place_lon,
        first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
        observations=sum(r.observations for r in group), claims=sum(r.claims for r in group),
        sources=sources, quantity_max=max(highs) if highs else None,
        systems=sorted({r.equipment_name for r in group}),
        events=sorted({e for r in group for e in split(r.events)}))


def timeline(store: Store, country: str | None = None, since: str | None = None,
             until: str | None = None, limit: int | None = None) -> list[ObservationRow]:
    """Dated observations, oldest first (all countries unless one is named)."""
    conditions = [obs.first_seen.is_not(None), *_since(obs.last_seen, since), *_until(obs.first_seen, until)]
    if country:
        conditions.append(obs.country == country_code(country))
    require_documents(store)
    return _rows(store, *conditions, limit=limit)


def new_sightings(store: Store, since: str, country: str | None = None) -> list[ObservationRow]:
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
    return _rows(store, *conditions)


def routes(store: Store, country: str | None = None) -> list[RouteRow]:
    """Transfers with a known origin or transit: origin → (transit) → destination."""
    conditions = [obs.routed.is_(True), obs.event_group == "presence"]
    if country:
        conditions.append(obs.country == country_code(country))
    require_documents(store)
    return [route_row(o) for o in _rows(store, *conditions)]


def show(store: Store, observation_id: str) -> ObservationDetail:
    """One observation with every claim behind it: sentence, source, date, certainty."""
    wanted = observation_id.strip()
    found = details(store, [wanted])
    if not found:
        raise InputError(f"no observation {wanted!r} (ids look like obs-3f2a9c1b20de; see `orbat timeline`)")
    return found[0]


def details(store: Store, observation_ids: list[str]) -> list[ObservationDetail]:
    """Observations with every claim behind them, as `show` gives one, in the order of the ids
    (unknown ids are left out).

    Why not `show` for each: exports read every observation they write, and four queries an
    observation (~7 ms) made an export of a large knowledge base take minutes. Here the records,
    the claims and their actors are read a few queries per 500 observations.
    """
    ensure_fresh(store)
    distinct = list(dict.fromkeys(observation_ids))
    found: dict[str, tuple[Observation, str]] = {}
    records = observation_records.c
    with store.engine.connect() as conn, collector_paused():
        for i in range(0, len(distinct), _CHUNK):
            query = (select(records.id, records.record, obs.part_family)
                     .join(observation_rows, obs.id == records.id).where(records.id.in_(distinct[i:i + _CHUNK])))
            found.update((oid, (from_record(record), family)) for oid, record, family in conn.execute(query))
        facts = _facts_by_partition(conn, {(cid, family) for o, family in found.values() for cid in o.claim_ids})
    return [ObservationDetail(o, _in_claim_order(o.claim_ids, family, facts))
            for o, family in (found[i] for i in observation_ids if i in found)]


def _facts_by_partition(conn: Connection, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], list[ClaimFact]]:
    """The facts of the wanted (claim id, equipment family) pairs, in `facts_query` order.

    A claim naming several systems has a fact for each; an observation holds those of its own
    partition's family only (the index merged it from those).
    """
    claim_ids = sorted({claim_id for claim_id, _ in wanted})
    found: dict[tuple[str, str], list[ClaimFact]] = defaultdict(list)
    for i in range(0, len(claim_ids), _CHUNK):
        query = (facts_query(latest_only=False).add_columns(PART_FAMILY.label("orbat_part_family"))
                 .where(claims.c.id.in_(claim_ids[i:i + _CHUNK])))
        rows = [row for row in conn.execute(query) if (row.id, row.orbat_part_family) in wanted]
        for row, fact in zip(rows, facts_from_result(conn, rows), strict=True):
            found[(row.id, row.orbat_part_family)].append(fact)
    return found


def _in_claim_order(claim_ids: list[str], family: str,
                    facts: dict[tuple[str, str], list[ClaimFact]]) -> list[ClaimFact]:
    """An observation's facts in the order of its claim ids (a claim's own facts in query order)."""
    order = {claim_id: n for n, claim_id in enumerate(claim_ids)}
    return [fact for claim_id in sorted(order, key=order.__getitem__) for fact in facts.get((claim_id, family), [])]


def records(store: Store, document_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The extraction records (latest run) of several documents, by id, in a few queries for all.

    `Store.record` reads one in four queries: JSON Lines exports and route lines read many.
    """
    with store.engine.connect() as conn:
        return latest_records_json(conn, list(dict.fromkeys(document_ids)))


def stats(store: Store) -> Stats:
    """Counts of what the knowledge base holds, observations included."""
    s = store.stats()
    return Stats(documents=s.documents, sightings=s.sightings, runs=s.runs, claims=s.claims, facts=s.facts,
                 observations=count_observations(store), extractors=s.extractors, catalogs=s.catalogs,
                 backend=s.backend, ingest_errors=s.ingest_errors)


# --- searching observations (the API's list, map and entity views) ----------------------------


def _like(column, value: str) -> ColumnElement[bool]:
    """Case-insensitive substring match, the same on SQLite and PostgreSQL."""
    return func.lower(column).contains(value.strip().lower(), autoescape=True)


def observation_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The filters as SQL over the observation index."""
    f = filters
    conditions = [*_since(obs.last_seen, f.since), *_until(obs.first_seen, f.until)]
    if f.country:
        conditions.append(obs.country == country_code(f.country))
    if f.place:
        conditions.append(_like(obs.place_name, f.place))
    if f.actor:
        conditions.append(or_(*(_like(obs.operators, name) for name in actor_names(f.actor))))
    if f.equipment:
        key = equipment_key(f.equipment)
        conditions.append(or_(obs.name_key == key, obs.family_key == key,
                              obs.catalog_id == f.equipment.strip().lower()))
    if f.equipment_class:
        conditions.append(func.lower(obs.equipment_class) == class_name(f.equipment_class).lower())
    if f.event:
        wanted = f.event.strip().lower()
        conditions.append(or_(obs.event_group == wanted,
                              (literal(SEP) + obs.events + literal(SEP)).contains(SEP + wanted + SEP)))
    if f.certainty:
        conditions.append(obs.certainty == f.certainty.strip().lower())
    if f.q:
        conditions.append(or_(*(_like(c, f.q) for c in (obs.equipment_name, obs.place_name, obs.operators,
                                                           obs.publishers, obs.equipment_class, obs.origins))))
    return conditions


def search_observations(store: Store, filters: Filters, limit: int = 500,
                        offset: int = 0) -> tuple[list[Observation], int]:
    """Whole observations matching the filters, oldest first (undated last), and how many match."""
    ids, total = search_ids(store, filters, limit, offset)
    return by_ids(store, ids), total


#: List order: oldest first, undated last (NULLs sort first on SQLite, last on PostgreSQL).
_LIST_ORDER = [obs.first_seen.is_(None), obs.first_seen, obs.id]


def _total(conn, conditions: list[ColumnElement[bool]]) -> int:
    return conn.execute(select(func.count()).select_from(observation_rows).where(*conditions)).scalar_one()


def search_ids(store: Store, filters: Filters, limit: int = 500, offset: int = 0,
               *extra: ColumnElement[bool]) -> tuple[list[str], int]:
    """One page of matching observation ids, oldest first (undated last), and how many match in all."""
    conditions = [*observation_conditions(filters), *extra]
    ensure_fresh(store)
    with store.engine.connect() as conn:
        total = _total(conn, conditions)
        ids = conn.execute(select(obs.id).where(*conditions).order_by(*_LIST_ORDER)
                           .limit(limit).offset(offset)).scalars().all()
    return list(ids), total


def search_rows(store: Store, filters: Filters, limit: int = 500, offset: int = 0,
                *extra: ColumnElement[bool], order: list | None = None) -> tuple[list[ObservationRow], int]:
    """As `search_ids`, but the light list rows (timeline items, routes) rather than whole observations.

    One query for the page's rows (not ids, then the rows by id: a 500-value IN list cost more
    to build than the rows themselves)."""
    conditions = [*observation_conditions(filters), *extra]
    ensure_fresh(store)
    query = select(*_ROW_COLUMNS).where(*conditions).order_by(*(order or _LIST_ORDER)).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        total = _total(conn, conditions)
        with collector_paused():
            rows = [_observation_row(list(row)) for row in conn.execute(query).all()]
    return rows, total


def search_views(store: Store, filters: Filters, limit: int = 500,
                 offset: int = 0) -> tuple[list[ObservationView], int]:
    """As `search_observations`, but each observation as the API's list-shape JSON text, stored
    at merge time (`observation_index.observation_views`): nothing to decode or encode per row."""
    conditions = observation_conditions(filters)
    ensure_fresh(store)
    with store.engine.connect() as conn:
        total, dated = conn.execute(select(func.count(), func.count(obs.first_seen))
                                    .select_from(observation_rows).where(*conditions)).one()
        found = []
        for extra, order, size, skip in _list_parts(total, dated, limit, offset):
            found += views(conn, *conditions, extra, order_by=order, limit=size, offset=skip)
    return found, total


def _list_parts(total: int, dated: int, limit: int, offset: int) -> list[tuple[ColumnElement[bool], list, int, int]]:
    """`_LIST_ORDER`'s page as at most two reads an index can hand over in order, dated then undated.

    Sorting on `first_seen IS NULL` first kept SQLite from reading (country, first_seen, id) in
    order: every match was sorted for each page (425,000 rows for the unfiltered list at 10⁶
    claims). The dated rows in (first_seen, id) order, then the undated ones by id, are the same
    rows in the same order; `dated` (how many matches have a date) says where the page falls.
    """
    parts: list[tuple[ColumnElement[bool], list, int, int]] = []
    if offset < dated:
        size = min(limit, dated - offset)
        parts.append((obs.first_seen.is_not(None), [obs.first_seen, obs.id], size, offset))
        limit, offset = limit - size, 0
    else:
        offset -= dated
    if limit > 0 and offset < total - dated:
        parts.append((obs.first_seen.is_(None), [obs.id], limit, offset))
    return parts


def timeline_rows(store: Store, filters: Filters, limit: int = 500,
                  offset: int = 0) -> tuple[list[ObservationRow], int]:
    """Dated observations under the list filters, oldest first: the API's timeline.

    Ordered by (first_seen, id) alone — the same order, since none is undated — so the index on
    (country, first_seen, id) hands a country's first page over without sorting all of it."""
    return search_rows(store, filters, limit, offset, obs.first_seen.is_not(None), order=[obs.first_seen, obs.id])


def routed_rows(store: Store, filters: Filters, limit: int = 500,
                offset: int = 0) -> tuple[list[ObservationRow], int]:
    """Transfers with a known origin or transit, under every filter the observation list takes."""
    return search_rows(store, filters, limit, offset, obs.routed.is_(True), obs.event_group == "presence")


def route_row(o: ObservationRow) -> RouteRow:
    return RouteRow(origins=o.origins, transit=o.transit, destination=o.place_name, country=o.country,
                    equipment=o.equipment_name, quantity=o.quantity_headline, first_seen=o.first_seen,
                    last_seen=o.last_seen, certainty=o.certainty, publishers=o.publisher_count,
                    observation_id=o.id)


def by_ids(store: Store, ids: list[str]) -> list[Observation]:
    """Whole observations in the order of `ids` (unknown ids are left out)."""
    found = {o.id: o for o in full_observations(store, ids)}
    return [found[i] for i in ids if i in found]
