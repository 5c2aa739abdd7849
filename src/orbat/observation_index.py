"""Observation index: merged observations kept beside the claims, refreshed when claims change.

Why an index: merging is Python work proportional to the facts merged, and `orbat where T-72B3`
over a million claims would merge tens of thousands of facts on every call. Observations are
derived data — a deterministic function of the latest runs' claims — so they are kept in tables
of their own, created on first use rather than by the store's migrations: like a search index,
they can be dropped and rebuilt at any time and never hold anything that is not in the claims.

Freshness, checked before every read: the number of extraction runs and the newest run's time.
When either moved, the runs not yet merged (an anti-join against `orbat_observation_runs`)
name the documents whose claims changed; only the partitions (country × equipment family) those
documents touch are merged again. Bumping `INDEX_VERSION` (merge rules changed) rebuilds it all.
"""

from __future__ import annotations

import dataclasses
import os
import time
import weakref
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    event,
    exists,
    func,
    insert,
    inspect,
    or_,
    select,
)

from orbat.forked import die_with
from orbat.gc_pause import collector_paused
from orbat.merge import merge
from orbat.model import CERTAINTY_ORDER, ClaimFact, Disagreement, Observation, ObservationActor
from orbat.observation_json import OPERATOR_ROLES, dumps, map_point, observation_json
from orbat.reviews import excluded_and_corrected
from orbat.store import Store
from orbat.store.bulk import copy_rows, sqlite_insert
from orbat.store.migrate import locked_transaction
from orbat.store.read import FACT_COLUMNS, FACTS_FROM, facts_from_result, latest_run_ids, load_facts
from orbat.store.rows import equipment_key
from orbat.store.schema import claim_equipment, claims, documents, extraction_runs, reviews

INDEX_VERSION = "7"  # bump when merge rules or the stored record change: the index is rebuilt
#: Bump when the API's observation shape changes: only `observation_views` is written again,
#: from the stored records, without merging anything.
VIEWS_VERSION = "1"
WINDOW_DAYS = 45
BATCH_ROWS = 5000  # rows per INSERT
BATCH_FACTS = 50_000  # facts merged per batch: bounds memory on a full rebuild
PG_LOCK_KEY = 0x0_6F62_7378  # one refresher at a time on PostgreSQL
SORT_MEMORY = "128MB"  # PostgreSQL `work_mem` of the one-pass read of every fact (`_facts_in_one_pass`)
SEP = "\x1f"  # ASCII unit separator: joins list columns; no name contains it
RANK = {c: n for n, c in enumerate(CERTAINTY_ORDER)}
SEEN_GROUPS = ("presence", "loss", "withdrawal")  # event groups that put a system somewhere

metadata = MetaData()

observation_rows = Table(
    "orbat_observations", metadata,
    Column("id", String, primary_key=True),
    Column("part_country", String, nullable=False),  # partition the row was merged in
    Column("part_family", String, nullable=False),
    Column("event_group", String, nullable=False),
    Column("events", String, nullable=False),  # lists below are joined with SEP
    Column("equipment_name", String),
    Column("catalog_id", String),
    Column("name_key", String),  # `equipment_key` of the designation, for any spelling
    Column("family_key", String),
    Column("equipment_class", String),
    Column("country", String),
    Column("place_name", String),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("first_seen", String),
    Column("last_seen", String),
    Column("quantity_min", Integer),
    Column("quantity_max", Integer),
    Column("quantity_headline", Integer),
    Column("certainty", String, nullable=False),
    Column("certainty_rank", Integer, nullable=False),  # position in CERTAINTY_ORDER: min is strongest
    Column("publisher_count", Integer, nullable=False),
    Column("independent_sources", Integer, nullable=False),  # distinct primary evidence
    Column("claim_count", Integer, nullable=False),
    Column("publishers", Text, nullable=False),
    Column("operators", Text, nullable=False),
    Column("origins", Text, nullable=False),
    Column("transit", Text, nullable=False),
    Column("disagreements", String, nullable=False),  # the kinds: count, recipient, origin, denied
    Column("routed", Boolean, nullable=False),  # has an origin or a transit
)
Index("ix_orbat_observations_part", observation_rows.c.part_country, observation_rows.c.part_family)
Index("ix_orbat_observations_country", observation_rows.c.country, observation_rows.c.event_group,
      observation_rows.c.first_seen)
Index("ix_orbat_observations_catalog_id", observation_rows.c.catalog_id)
Index("ix_orbat_observations_name_key", observation_rows.c.name_key)
Index("ix_orbat_observations_family_key", observation_rows.c.family_key)
Index("ix_orbat_observations_first_seen", observation_rows.c.first_seen)
Index("ix_orbat_observations_timeline", observation_rows.c.country, observation_rows.c.first_seen,
      observation_rows.c.id)

#: The whole Observation as JSON, for `show`; apart so list queries scan compact rows.
observation_records = Table("orbat_observation_records", metadata, Column("id", String, primary_key=True),
                            Column("record", JSON, nullable=False))
# PostgreSQL keeps a record of more than 2 kB out of line, and by default tries to compress it
# first: records are mostly claim ids, hex digits that barely compress (117 MB to 110 MB for the
# 183 observations of a 100,000-document load), and the attempts cost the server 3.3 CPU-seconds
# of that refresh against 0.8 without them, on the refresh's one writing connection. Set when
# the table is made (a store made before keeps compressing until its index is rebuilt anew).
event.listen(observation_records, "after_create",
             DDL("ALTER TABLE orbat_observation_records ALTER COLUMN record SET STORAGE EXTERNAL")
             .execute_if(dialect="postgresql"))

#: Per partition, system and place: where a system was seen, summed up once at refresh time so
#: `where T-72B3` reads one row per place instead of aggregating every sighting.
place_rows = Table(
    "orbat_observation_places", metadata,
    Column("part_country", String, nullable=False),
    Column("part_family", String, nullable=False),
    Column("name_key", String, nullable=False),
    Column("family_key", String),
    Column("equipment_name", String, nullable=False),
    Column("country", String),
    Column("place_name", String),
    Column("place_lat", Float),
    Column("place_lon", Float),
    Column("first_seen", String),
    Column("last_seen", String),
    Column("observations", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("quantity_max", Integer),
    Column("events", Text, nullable=False),
    Column("publishers", Text, nullable=False),
    Column("sources", Integer, nullable=False),  # distinct publishers (documents when none named)
)
Index("ix_orbat_observation_places_part", place_rows.c.part_country, place_rows.c.part_family)
Index("ix_orbat_observation_places_name_key", place_rows.c.name_key)
Index("ix_orbat_observation_places_family_key", place_rows.c.family_key)

#: Each observation as the API's list shape (`orbat.observation_json`), as JSON text, with the
#: point the map draws it at: list routes and the map send this text as it is, instead of
#: decoding the record and encoding a dict per request (most of `/api/map.geojson`'s time).
observation_views = Table("orbat_observation_views", metadata, Column("id", String, primary_key=True),
                          Column("map_lon", Float), Column("map_lat", Float),
                          Column("body", Text, nullable=False))

merged_runs = Table("orbat_observation_runs", metadata, Column("run_id", String, primary_key=True))
# The runs one refresh merges (`_capture_new_runs`): per connection, dropped before it commits.
refresh_runs = Table("orbat_refresh_runs", MetaData(), Column("run_id", String, primary_key=True),
                     Column("document_id", String, nullable=False), prefixes=["TEMPORARY"])
index_state = Table("orbat_observation_state", metadata, Column("key", String, primary_key=True),
                    Column("value", String, nullable=False))

CLAIM_JOIN = claims.outerjoin(claim_equipment, claim_equipment.c.claim_id == claims.c.id)
PART_COUNTRY = func.coalesce(claims.c.place_country, "")
PART_FAMILY = func.coalesce(claim_equipment.c.family, claim_equipment.c.catalog_id,
                            claim_equipment.c.name_key, "")


#: Facts grouped by partition (country, family), partitions in order: what `_load` reads.
_Facts = list[tuple[tuple[str, str], list[ClaimFact]]]


@dataclass(slots=True)
class RefreshReport:
    """What a refresh did: how many partitions were merged again, into how many observations."""

    partitions: int = 0
    observations: int = 0
    full: bool = False
    seconds: float = 0.0


# --- observations as JSON --------------------------------------------------------------------


_OBSERVATION_FIELDS = [f.name for f in dataclasses.fields(Observation)]


def to_record(obs: Observation) -> dict[str, Any]:
    """The observation as JSON-able data (by hand: `dataclasses.asdict` deep-copies, 10x slower)."""
    data = {name: getattr(obs, name) for name in _OBSERVATION_FIELDS}
    data["actors"] = [{"name": a.name, "catalog_id": a.catalog_id, "role": a.role, "reported_as": a.reported_as}
                      for a in obs.actors]
    data["disagreements"] = [{"kind": d.kind, "values": d.values, "claim_ids": d.claim_ids}
                             for d in obs.disagreements]
    return data


def from_record(data: dict[str, Any]) -> Observation:
    values = dict(data)
    values["actors"] = [ObservationActor(**a) for a in values.get("actors", [])]
    values["disagreements"] = [Disagreement(**d) for d in values.get("disagreements", [])]
    return Observation(**values)


def _row(obs: Observation, part: tuple[str, str]) -> dict[str, Any]:
    """The columns list queries read and aggregate: no JSON to decode on the way."""
    return {"id": obs.id, "part_country": part[0], "part_family": part[1], "event_group": obs.event_group,
            "events": SEP.join(obs.events), "equipment_name": obs.equipment_name,
            "catalog_id": obs.equipment_catalog_id,
            "name_key": equipment_key(obs.equipment_name) if obs.equipment_name else None,
            "family_key": equipment_key(obs.equipment_family) if obs.equipment_family else None,
            "equipment_class": obs.equipment_class, "country": obs.country, "place_name": obs.place_name,
            "place_lat": obs.place_lat, "place_lon": obs.place_lon, "first_seen": obs.first_seen,
            "last_seen": obs.last_seen, "quantity_min": obs.quantity_min, "quantity_max": obs.quantity_max,
            "quantity_headline": obs.quantity_headline, "certainty": obs.certainty,
            "certainty_rank": RANK.get(obs.certainty, len(RANK)), "publisher_count": obs.publisher_count,
            "independent_sources": obs.independent_sources or obs.publisher_count,
            "claim_count": len(obs.claim_ids), "publishers": SEP.join(obs.publishers),
            "operators": SEP.join(sorted({a.name for a in obs.actors if a.role in OPERATOR_ROLES})),
            "origins": SEP.join(obs.origins), "transit": SEP.join(obs.transit),
            "disagreements": SEP.join(d.kind for d in obs.disagreements),
            "routed": bool(obs.origins or obs.transit)}


def view_row(obs: Observation) -> dict[str, Any]:
    """The API's list shape of an observation as JSON text, with the point the map draws it at."""
    data = observation_json(obs)
    where = map_point(data)
    return {"id": obs.id, "map_lon": where[0] if where else None, "map_lat": where[1] if where else None,
            "body": dumps(data)}


class ObservationView(NamedTuple):
    """An `observation_views` row: the observation's list-shape JSON and its map point (None: not drawn)."""

    id: str
    map_lon: float | None
    map_lat: float | None
    body: str


def split(value: str | None) -> list[str]:
    """A SEP-joined column (or several, aggregated with SEP) back to its distinct values."""
    return [v for v in dict.fromkeys(value.split(SEP)) if v] if value else []


# --- reading ---------------------------------------------------------------------------------


def full_observations(store: Store, ids: list[str]) -> list[Observation]:
    """Whole observations (disagreements, claim ids, actors) by id, after a freshness check."""
    ensure_fresh(store)
    with store.engine.connect() as conn:
        rows = conn.execute(select(observation_records.c.record).where(observation_records.c.id.in_(ids)))
        return [from_record(r) for r in rows.scalars()]


def count(store: Store) -> int:
    ensure_fresh(store)
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(observation_rows)).scalar_one()


def views(conn: Connection, *conditions: ColumnElement[bool], order_by: list, limit: int,
          offset: int = 0) -> list[ObservationView]:
    """One page of observations' list-shape JSON, by conditions on `observation_rows`, in one query.

    The page's ids are chosen first, in a subquery over the compact rows, and only they are joined
    to their JSON: joining first made SQLite carry every match's JSON through the sort (slower
    than decoding the records had been, on an unfiltered list). The caller checks freshness
    (`ensure_fresh`) first, once per request."""
    keys = [expression.label(f"k{n}") for n, expression in enumerate(order_by)]
    page = (select(observation_rows.c.id.label("page_id"), *keys).where(*conditions)
            .order_by(*order_by).limit(limit).offset(offset).subquery())
    v = observation_views.c
    query = (select(v.id, v.map_lon, v.map_lat, v.body).join(page, page.c.page_id == v.id)
             .order_by(*(page.c[key.name] for key in keys)))
    return [ObservationView(*row) for row in conn.execute(query)]


def _runs_mark(conn: Connection) -> str:
    """What changes whenever claims do, in two index lookups (no table scan on a million rows).

    Runs are append-only, so their count grows with every new run (a new document or a
    reprocessed one); the newest document's time guards against a restore of another database.
    """
    runs = conn.execute(select(func.count()).select_from(extraction_runs)).scalar_one()
    newest = conn.execute(select(func.max(documents.c.created))).scalar()
    return f"{INDEX_VERSION}|{runs}|{newest}|views{VIEWS_VERSION}|{_reviews_mark(conn)}"


def _reviews_mark(conn: Connection) -> str:
    """Reviews are append-only too: their count and newest id change with every verdict.

    A verdict can move any claim, so when this part of the mark moved the whole index is merged
    again (reviews written by another process, or a downgrade that dropped them, included).
    """
    count_, newest = conn.execute(select(func.count(), func.max(reviews.c.id))).one()
    return f"reviews:{count_}:{newest}"


#: Engines whose index tables are known to exist: asking the catalog each time (SQLAlchemy's
#: `has_table`) cost ~10 ms a request on SQLite. Refreshes drop and create them in one
#: transaction, so once they exist they stay.
_tables_seen: weakref.WeakSet[Engine] = weakref.WeakSet()


def _state(conn: Connection) -> str | None:
    if conn.engine not in _tables_seen:
        if not inspect(conn).has_table(index_state.name):
            return None
        _tables_seen.add(conn.engine)
    return conn.execute(select(index_state.c.value).where(index_state.c.key == "runs")).scalar()


def ensure_fresh(store: Store, *, processes: int = 1) -> RefreshReport | None:
    """Refresh only if runs were added since the last refresh (two cheap aggregates otherwise).

    `processes`: see `refresh`."""
    with store.engine.connect() as conn:
        if _state(conn) == _runs_mark(conn):
            return None
    return refresh(store.engine, processes=processes)


# --- refreshing ------------------------------------------------------------------------------


def refresh(engine: Engine, *, full: bool = False, processes: int = 1) -> RefreshReport:
    """Merge again what changed (or everything) and record the runs now merged.

    `processes` above 1: a full rebuild on PostgreSQL large enough for it merges part of its
    batches in a second process (`_Helper`). Only for callers that own their process and know
    no other thread is running (`orbat batch load`): the helper is a fork of this process.
    """
    started = time.perf_counter()
    conn = locked_transaction(engine, PG_LOCK_KEY)  # two refreshers never interleave
    try:
        stored = _state(conn)
        if stored is not None and not stored.startswith(INDEX_VERSION + "|"):
            metadata.drop_all(conn)  # another layout: derived data, so rebuild it from the claims
            stored = None
        metadata.create_all(conn, checkfirst=True)
        mark = _runs_mark(conn)
        if stored == mark and not full:
            conn.rollback()
            return RefreshReport()
        full = full or stored is None or stored.rsplit("|", 1)[-1] != mark.rsplit("|", 1)[-1]
        if not full and f"|views{VIEWS_VERSION}|" not in (stored or ""):
            _rebuild_views(conn)  # the API's shape changed (or is new): no merging needed
        if full:
            _clear(conn)
        _capture_new_runs(conn)  # after the mark: a run saved in between is merged now, counted next time
        report = _rebuild_every_part(conn, processes=processes) if full else _rebuild_changed(conn)
        _mark_merged(conn, mark)
        refresh_runs.drop(conn)
        conn.commit()
    finally:
        conn.close()
    report.seconds = time.perf_counter() - started
    return report


def _capture_new_runs(conn: Connection) -> None:
    """Note, once, the runs this refresh merges: those not merged yet, as they stand now.

    On PostgreSQL each statement of the refresh sees what other sessions committed before it
    (READ COMMITTED). Asking "which runs are new?" twice — once to choose the partitions, once to
    mark the runs merged — would mark a run saved between the two questions without having merged
    its claims, and no later refresh would look at it again. One answer, kept in a temporary table
    for both (its ids never come to the client), leaves such a run new for the next refresh.
    """
    refresh_runs.drop(conn, checkfirst=True)
    refresh_runs.create(conn)
    unmerged = ~exists().where(merged_runs.c.run_id == extraction_runs.c.id)
    conn.execute(insert(refresh_runs).from_select(
        ["run_id", "document_id"], select(extraction_runs.c.id, extraction_runs.c.document_id).where(unmerged)))


def _mark_merged(conn: Connection, mark: str) -> None:
    """Record the runs this refresh merged (`_capture_new_runs`), and the mark they were merged at.

    One `INSERT … SELECT`: the runs' ids never come to the client. Fetched and sent back as
    one insert per id, they cost a 20,000-document load 20,000 statements on each side.
    """
    conn.execute(insert(merged_runs).from_select(["run_id"], select(refresh_runs.c.run_id)))
    conn.execute(delete(index_state).where(index_state.c.key == "runs"))
    conn.execute(insert(index_state), {"key": "runs", "value": mark})


def _clear(conn: Connection) -> None:
    for table in (observation_rows, observation_records, observation_views, place_rows, merged_runs):
        conn.execute(delete(table))


def _rebuild_every_part(conn: Connection, *, processes: int = 1) -> RefreshReport:
    parts = conn.execute(select(PART_COUNTRY, PART_FAMILY, func.count()).select_from(CLAIM_JOIN)
                         .group_by(PART_COUNTRY, PART_FAMILY)).all()
    report = _rebuild_parts(conn, [tuple(p) for p in parts], every_partition=True, processes=processes)
    report.full = True
    return report


def _rebuild_views(conn: Connection) -> None:
    """Write `observation_views` again from the stored records, a batch at a time by id."""
    conn.execute(delete(observation_views))
    last = ""
    while True:
        batch = conn.execute(select(observation_records.c.id, observation_records.c.record)
                             .where(observation_records.c.id > last)
                             .order_by(observation_records.c.id).limit(BATCH_ROWS)).all()
        if not batch:
            return
        conn.execute(insert(observation_views), [view_row(from_record(record)) for _, record in batch])
        last = batch[-1][0]


def _rebuild_changed(conn: Connection) -> RefreshReport:
    """Merge again the partitions touched by documents that gained a run since last time."""
    changed_docs = select(refresh_runs.c.document_id)
    parts = conn.execute(select(PART_COUNTRY, PART_FAMILY).distinct().select_from(CLAIM_JOIN)
                         .where(claims.c.document_id.in_(changed_docs))).all()
    return _rebuild_parts(conn, [(country, family, 0) for country, family in parts])


def _rebuild_parts(conn: Connection, parts: list[tuple[str, str, int]], *,
                   every_partition: bool = False, processes: int = 1) -> RefreshReport:
    """Delete and merge again the given partitions, a bounded batch of facts at a time.

    `every_partition`: `parts` holds every partition there is, with its count of facts, and the
    index tables were just emptied (`_clear`): nothing to delete first. Then, with
    `processes` above 1 on PostgreSQL, the last batches may be merged by a `_Helper` meanwhile.
    """
    report = RefreshReport()
    superseded, verdicts = _any_superseded(conn), excluded_and_corrected(conn)
    batches = list(_batches(parts, every_partition=every_partition))
    helper = _Helper.start(conn, superseded, verdicts, batches) if every_partition and processes > 1 else None
    mine = batches[:helper.first] if helper else batches
    facts_of_batches = _facts_of_batches(conn, superseded, verdicts, [(c, f) for c, f, _ in mine],
                                         in_one_pass=every_partition, until=helper.country if helper else None)
    # facts and observations are acyclic, and a batch's memory is bounded; paused for the whole
    # loop, as the thread reading ahead makes facts too and the pause is the process's. Closed
    # on the way out, so a failed batch also ends the read ahead and returns its connection.
    try:
        with closing(facts_of_batches), collector_paused():
            for (countries, families, partitions), groups in zip(mine, facts_of_batches, strict=True):
                if not every_partition:
                    _delete_batch(conn, countries[0], families)
                _write_merged(conn, _merged(groups), report)
                report.partitions += partitions
                if helper:
                    helper.write_ready(conn, report)
            if helper:
                helper.write_rest(conn, report)
    finally:
        if helper:
            helper.stop()
    return report


def _facts_of_batches(conn: Connection, superseded: bool, verdicts: tuple[set[str], dict[str, dict[str, Any]]],
                      batches: list[tuple[list[str], list[str] | None]], *,
                      in_one_pass: bool = False, until: str | None = None) -> Iterator[_Facts]:
    """Each batch's facts (`_load`), in order; on PostgreSQL the next batch's are read meanwhile.

    Why: reading a batch's facts is a query the server works on for a while (joining, sorting
    and sending 50,000 rows), and merging them is Python work; one after the other, each waited
    for the other (about 2.5 s of a 20,000-document load's refresh). A second connection reads
    the next batch, on a thread, while this one merges: claims are only read there, and what
    they hold does not depend on the index tables this transaction is rewriting. Two batches of
    facts are in memory at once. SQLite reads on this connection, one batch at a time: its
    readers and its one writer share a file lock.

    `in_one_pass` (the batches cover every partition, a full rebuild): on PostgreSQL every batch
    comes from one query over all the facts in partition order (`_facts_in_one_pass`), up to the
    country `until` if given (where a `_Helper`'s batches start).
    """

    def read(on: Connection, countries: list[str], families: list[str] | None) -> _Facts:
        return _load(on, superseded, verdicts, _of_countries(countries),
                     *([] if families is None else [PART_FAMILY.in_(families)]))

    if conn.dialect.name != "postgresql" or len(batches) < 2:
        for countries, families in batches:
            yield read(conn, countries, families)
        return
    with conn.engine.connect() as reader, ThreadPoolExecutor(1, thread_name_prefix="orbat-refresh-read") as pool:
        if in_one_pass:
            stream = _facts_in_one_pass(reader, superseded, verdicts, batches, until=until)
            try:
                ahead = pool.submit(next, stream)
                for _ in batches:
                    groups = ahead.result()
                    ahead = pool.submit(next, stream, None)
                    yield groups
                ahead.result()
            finally:
                pool.submit(stream.close).result()  # on the thread that ran it: its cursor is closed there
            return
        ahead = pool.submit(read, reader, *batches[0])
        for following in [*batches[1:], None]:
            groups = ahead.result()
            if following is not None:
                ahead = pool.submit(read, reader, *following)
            yield groups


def _facts_in_one_pass(conn: Connection, superseded: bool, verdicts: tuple[set[str], dict[str, dict[str, Any]]],
                       batches: list[tuple[list[str], list[str] | None]], *, since: str | None = None,
                       until: str | None = None) -> Iterator[_Facts]:
    """The facts of every batch (`_batches` of every partition), in order, from one query.

    Why: a batch's query (its countries, or one country's families) cannot pick its claims by
    an index that helps, as claims lie in the order they were loaded, not by country: PostgreSQL
    read every claim and every claim's systems for each batch. At 100,000 documents (780,000
    facts, 21 batches) that was 20 of the refresh's server CPU-seconds, and it grows with the
    square of the knowledge base. Here the facts are read once, in partition order, from a
    server-side cursor, and cut into the batches as they come: the server sorts them once
    (some 5 CPU-seconds at 100,000 documents) and memory still holds a batch or two.

    The order is byte order (`COLLATE "C"`), which is the order in which `_batches` lists
    countries and families (Python compares strings by code point; UTF-8 keeps that order).
    `since` and `until`: only the countries from `since` on, before `until` (the batches' own;
    the others' facts are left on the server).

    PostgreSQL only (its callers read SQLite batch by batch). The sort may take `SORT_MEMORY` for
    this transaction: at the default 4 MB it sorted on disk, in an external merge of some 400 MB
    at 100,000 documents (8 of the server's CPU-seconds and 10 s before the first fact arrived;
    6.5 and 8.9 with 64 MB).
    """
    conn.exec_driver_sql(f"SET LOCAL work_mem = '{SORT_MEMORY}'")
    batch_of: dict[tuple[str, str | None], int] = {}
    for number, (countries, families) in enumerate(batches):
        for country in countries:
            for family in [None] if families is None else families:
                batch_of[(country, family)] = number
    query = (select(*FACT_COLUMNS, PART_COUNTRY, PART_FAMILY).select_from(FACTS_FROM)
             .order_by(PART_COUNTRY.collate("C"), PART_FAMILY.collate("C")))
    if superseded:
        query = query.where(claims.c.run_id.concat("").in_(latest_run_ids()))
    if since is not None:
        query = query.where(PART_COUNTRY.collate("C") >= since)
    if until is not None:
        query = query.where(PART_COUNTRY.collate("C") < until)
    width = len(FACT_COLUMNS)
    current, rows = 0, []
    result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
    with closing(result):
        for chunk in result.partitions():
            for row in chunk:
                country, family = row[width], row[width + 1]
                number = batch_of.get((country, family), batch_of.get((country, None)))
                if number is None:  # a partition that came after the batches were made: next refresh
                    continue
                if number < current:
                    raise RuntimeError(f"facts out of partition order at {country!r}, {family!r}")
                while number > current:
                    yield _grouped(facts_from_result(conn, rows), verdicts)
                    current, rows = current + 1, []
                rows.append(row)
    while current < len(batches):
        yield _grouped(facts_from_result(conn, rows), verdicts)
        current, rows = current + 1, []


def _delete_batch(conn: Connection, country: str, families: list[str] | None) -> None:
    """The observations and places of a country's families (None: all of them), before they are merged again."""
    in_families = [] if families is None else [observation_rows.c.part_family.in_(families)]
    old = select(observation_rows.c.id).where(observation_rows.c.part_country == country, *in_families)
    conn.execute(delete(observation_records).where(observation_records.c.id.in_(old)))
    conn.execute(delete(observation_views).where(observation_views.c.id.in_(old)))
    conn.execute(delete(observation_rows).where(observation_rows.c.id.in_(old)))
    conn.execute(delete(place_rows).where(place_rows.c.part_country == country,
                                          *([] if families is None else [place_rows.c.part_family.in_(families)])))


def _of_countries(countries: list[str]) -> ColumnElement[bool]:
    """Claims placed in these countries; "" names the claims placed in no country."""
    named = [country for country in countries if country]
    conditions = [claims.c.place_country == named[0] if len(named) == 1 else claims.c.place_country.in_(named)]
    if len(named) < len(countries):
        conditions = [claims.c.place_country.is_(None), *(conditions if named else [])]
    return or_(*conditions) if len(conditions) > 1 else conditions[0]


#: The rows of a batch's observations: (observation rows, records, views, places).
_IndexRows = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]


def _merged(groups: _Facts) -> list[tuple[Observation, tuple[str, str]]]:
    """One batch of `_rebuild_parts` (whole countries, or one country's families): its facts by
    partition (`_load`), merged, each observation with its partition."""
    return [(obs, part) for part, facts in groups for obs in merge(facts, window_days=WINDOW_DAYS)]


def _index_rows(merged: list[tuple[Observation, tuple[str, str]]]) -> _IndexRows:
    """A batch's index rows at once: what a `_Helper` sends (this process builds them a chunk at a
    time, `_write_merged`)."""
    return (*_observation_rows(merged), _place_rows(merged))


def _observation_rows(merged: list[tuple[Observation, tuple[str, str]]]) -> tuple[list[dict[str, Any]], ...]:
    return ([_row(obs, part) for obs, part in merged], [{"id": obs.id, "record": to_record(obs)} for obs, _ in merged],
            [view_row(obs) for obs, _ in merged])


def _write_merged(conn: Connection, merged: list[tuple[Observation, tuple[str, str]]], report: RefreshReport) -> None:
    """A batch merged in this process, written `BATCH_ROWS` observations at a time, each chunk's
    rows built just before it is written: a dense document's batch holds some 46,000
    observations, and building all their rows first raised its ingest's peak memory by ~120 MB."""
    for i in range(0, len(merged), BATCH_ROWS):
        _write_rows(conn, (*_observation_rows(merged[i:i + BATCH_ROWS]), []), report)
    _write_rows(conn, ([], [], [], _place_rows(merged)), report)


def _write_rows(conn: Connection, rows: _IndexRows, report: RefreshReport) -> None:
    """A batch's observations and places into the index tables, `BATCH_ROWS` at a time."""
    observations, records, views, places = rows
    for i in range(0, len(observations), BATCH_ROWS):
        _insert(conn, observation_rows, observations[i:i + BATCH_ROWS])
        _insert(conn, observation_records, records[i:i + BATCH_ROWS])
        _insert(conn, observation_views, views[i:i + BATCH_ROWS])
    for i in range(0, len(places), BATCH_ROWS):
        _insert(conn, place_rows, places[i:i + BATCH_ROWS])
    report.observations += len(observations)


class _Helper:
    """A second process that merges the last batches of a full rebuild while this one merges the
    first ones, and hands their rows over to be written in this process's transaction.

    Why: merging is Python work on one core, and on PostgreSQL a large first build (a `batch
    load` of 100,000 documents: 780,000 facts, about 15 CPU-seconds of merging) left the other
    core to the server's little share. The helper reads its batches' facts itself, on its own
    connection, in one pass (`_facts_in_one_pass`, from the first country of its batches on),
    and sends each batch's rows as soon as they are merged; this process writes them between
    its own batches. The index is the same: partitions are merged alone whichever process
    merges them. A fork (the catalogs are already loaded), so only where fork is the way
    (Linux) and only for a rebuild of at least `HELPER_MIN_BATCHES` batches.
    """

    def __init__(self, process: Any, queue: Any, first: int, country: str, batches: list[tuple[list[str], Any, int]]):
        self.process, self.queue, self.first, self.country = process, queue, first, country
        self.partitions = [partitions for _, _, partitions in batches[first:]]
        self.received = 0

    @classmethod
    def start(cls, conn: Connection, superseded: bool, verdicts: tuple[set[str], dict[str, dict[str, Any]]],
              batches: list[tuple[list[str], list[str] | None, int]]) -> _Helper | None:
        import multiprocessing
        import sys

        if conn.dialect.name != "postgresql" or len(batches) < HELPER_MIN_BATCHES or sys.platform != "linux":
            return None
        first = _helper_share(batches)
        if first is None:
            return None
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        url = conn.engine.url.render_as_string(hide_password=False)
        share = [(countries, families) for countries, families, _ in batches[first:]]
        process = context.Process(target=_merge_in_helper, args=(os.getpid(), url, superseded, verdicts, share, queue),
                                  name="orbat-refresh-helper", daemon=True)
        process.start()
        return cls(process, queue, first, batches[first][0][0], batches)

    def _take(self, conn: Connection, report: RefreshReport, message: Any) -> None:
        if isinstance(message, str):
            raise RuntimeError(f"the refresh's helper process failed: {message}")
        _write_rows(conn, message, report)
        report.partitions += self.partitions[self.received]
        self.received += 1

    def write_ready(self, conn: Connection, report: RefreshReport) -> None:
        """Write what the helper has merged so far, without waiting for more."""
        import queue as queues

        while self.received < len(self.partitions):
            try:
                message = self.queue.get_nowait()
            except queues.Empty:
                return
            self._take(conn, report, message)

    def write_rest(self, conn: Connection, report: RefreshReport) -> None:
        """Wait for the helper's other batches and write them."""
        import queue as queues

        while self.received < len(self.partitions):
            try:
                message = self.queue.get(timeout=1.0)
            except queues.Empty:
                if not self.process.is_alive():
                    raise RuntimeError(f"the refresh's helper process ended (exit code {self.process.exitcode})") \
                        from None
                continue
            self._take(conn, report, message)

    def stop(self) -> None:
        if self.process.is_alive() and self.received < len(self.partitions):
            self.process.terminate()
        self.process.join()
        self.queue.close()
        self.queue.join_thread()


#: Fewest batches (of `BATCH_FACTS`) a full rebuild needs before a `_Helper` merges part of them.
HELPER_MIN_BATCHES = 4


def _helper_share(batches: list[tuple[list[str], list[str] | None, int]]) -> int | None:
    """Where the helper's batches start: at a country's first batch, near half of the partitions
    (a proxy for the work: `_batches` fills each batch up to `BATCH_FACTS` facts); None if no
    country starts past the first batch."""
    starts = [n for n in range(1, len(batches)) if batches[n][0][0] != batches[n - 1][0][-1]]
    if not starts:
        return None
    return min(starts, key=lambda n: abs(2 * n - len(batches)))


def _merge_in_helper(parent: int, url: str, superseded: bool, verdicts: tuple[set[str], dict[str, dict[str, Any]]],
                     batches: list[tuple[list[str], list[str] | None]], queue: Any) -> None:
    """The helper process: its batches' facts read in one pass from the first country of its
    batches on, merged, and each batch's index rows put on `queue` (a text if it failed).

    It has its own engine: the connections it inherited are the parent's, never used here (the
    process ends without closing them, as a forked `multiprocessing` child does). It dies with
    its parent (`parent`): alive, it would hold the parent's connections open, and with them
    the refresh's transaction and lock, so a rerun after a killed load would wait for ever."""
    from orbat.store.database import create_engine_for

    die_with(parent)
    try:
        engine = create_engine_for(url)
        with engine.connect() as reader, collector_paused():
            stream = _facts_in_one_pass(reader, superseded, verdicts, batches, since=batches[0][0][0])
            for groups in stream:
                queue.put(_index_rows(_merged(groups)))
        engine.dispose()
    except BaseException as error:  # noqa: BLE001  (reported to the parent, which fails the refresh)
        queue.put(f"{type(error).__name__}: {error}")


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Without SQLAlchemy's per-row work: on SQLite `bulk.sqlite_insert` (it was a third of a
    refresh's CPU), on PostgreSQL `COPY` (`bulk.copy_rows`; the same values, JSON as the same text)."""
    if conn.dialect.name == "sqlite":
        sqlite_insert(conn, table, rows)
    elif conn.dialect.name == "postgresql":
        copy_rows(conn, table, rows)
    elif rows:
        conn.execute(insert(table), rows)


def _place_rows(merged: list[tuple[Observation, tuple[str, str]]]) -> list[dict[str, Any]]:
    """One row per partition, system and place where the system was seen."""
    groups: dict[tuple, list[Observation]] = defaultdict(list)
    for obs, part in merged:
        if obs.event_group in SEEN_GROUPS and obs.equipment_name:
            groups[(*part, obs.equipment_name, obs.country or "", obs.place_name or "")].append(obs)
    rows = []
    for (part_country, part_family, *_), group in groups.items():
        first, dates = group[0], sorted(d for o in group for d in (o.first_seen, o.last_seen) if d)
        highs = [o.quantity_max for o in group if o.quantity_max is not None]
        publishers = sorted({p for o in group for p in o.publishers})
        rows.append({
            "part_country": part_country, "part_family": part_family,
            "name_key": equipment_key(first.equipment_name or ""),
            "family_key": equipment_key(first.equipment_family) if first.equipment_family else None,
            "equipment_name": first.equipment_name, "country": first.country, "place_name": first.place_name,
            "place_lat": first.place_lat, "place_lon": first.place_lon,
            "first_seen": dates[0] if dates else None, "last_seen": dates[-1] if dates else None,
            "observations": len(group), "claims": sum(len(o.claim_ids) for o in group),
            "quantity_max": max(highs) if highs else None,
            "events": SEP.join(sorted({e for o in group for e in o.events})),
            "publishers": SEP.join(publishers), "sources": len(publishers) or sum(o.publisher_count for o in group)})
    return rows


def _batches(parts: list[tuple[str, str, int]], *,
              every_partition: bool = False) -> Iterator[tuple[list[str], list[str] | None, int]]:
    """(countries, families, partitions): what one batch merges, up to BATCH_FACTS facts (or 400
    named families); `families` None means every family of those countries.

    When `parts` holds every partition there is (`every_partition`, a full rebuild), countries
    whose facts fit in one batch come whole and unnamed, as many as fit together: read by their
    country alone, in one query for all of them. Named 400 at a time, the 3,000 families of a
    country in a 4.9 MB report had all its claims read eight times over; a batch per country
    cost a dozen round trips for each of a load's thirty countries. Otherwise (or for a country
    too large for one batch) a batch is one country's families, named. Either way the batches
    follow the countries' and families' order, so observations are written in the same order.
    """
    by_country: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for country, family, facts in parts:
        by_country[country].append((family, facts))
    whole: list[str] = []
    whole_facts = whole_parts = 0
    for country, families in sorted(by_country.items()):
        facts_of_country = sum(facts for _, facts in families)
        if every_partition and facts_of_country <= BATCH_FACTS:
            if whole and whole_facts + facts_of_country > BATCH_FACTS:
                yield whole, None, whole_parts
                whole, whole_facts, whole_parts = [], 0, 0
            whole.append(country)
            whole_facts += facts_of_country
            whole_parts += len(families)
            continue
        if whole:
            yield whole, None, whole_parts
            whole, whole_facts, whole_parts = [], 0, 0
        batch: list[str] = []
        size = 0
        for family, facts in sorted(families):
            if batch and (size + facts > BATCH_FACTS or len(batch) == 400):
                yield [country], batch, len(batch)
                batch, size = [], 0
            batch.append(family)
            size += facts
        if batch:
            yield [country], batch, len(batch)
    if whole:
        yield whole, None, whole_parts


def _any_superseded(conn: Connection) -> bool:
    """Whether some document has more than one run (reprocessed): only then can a run be stale."""
    return conn.execute(select(extraction_runs.c.document_id).group_by(extraction_runs.c.document_id)
                        .having(func.count() > 1).limit(1)).first() is not None


def _load(conn: Connection, superseded: bool, verdicts: tuple[set[str], dict[str, dict[str, Any]]],
          *conditions: ColumnElement[bool]) -> _Facts:
    """Facts of the latest runs grouped by partition, without the claim JSON merge never reads.

    Reviews count here (`verdicts`, read once per refresh by `excluded_and_corrected`): rejected
    claims are left out and agreed corrections replace the extractor's values, so every reader of
    observations sees the analysts' verdicts.

    The batch's country picks its claims (`ix_claims_place_country`). Given `run_id IN (latest
    runs)` as it is, SQLite went from every latest run to its claims instead, reading all the
    claims of the database for each batch (~100 ms a batch at 10⁵ claims, growing with the
    database). So the run test is written on an expression (`run_id || ''`), which no index
    serves, and left out when no document has a second run (`superseded` false): every run is
    then its document's latest and the test is true of every claim.
    """
    query = select(*FACT_COLUMNS).select_from(FACTS_FROM).where(*conditions)
    if superseded:
        query = query.where(claims.c.run_id.concat("").in_(latest_run_ids()))
    return _grouped(load_facts(conn, query), verdicts)


def _grouped(facts: list[ClaimFact], verdicts: tuple[set[str], dict[str, dict[str, Any]]]) -> _Facts:
    """Facts by partition, partitions in order, with the analysts' verdicts applied (`_load`)."""
    rejected, corrected = verdicts
    groups: dict[tuple[str, str], list[ClaimFact]] = defaultdict(list)
    for fact in facts:
        if fact.claim_id in rejected:  # analysts rejected it: the claim stays, its weight goes
            continue
        if fact.claim_id in corrected:
            fact = dataclasses.replace(fact, **corrected[fact.claim_id])
        groups[_partition_of(fact)].append(fact)
    return sorted(groups.items())


def _partition_of(fact: ClaimFact) -> tuple[str, str]:
    """The partition in Python, as `PART_COUNTRY` and `PART_FAMILY` compute it in SQL."""
    family = fact.equipment_family or fact.equipment_catalog_id or (
        equipment_key(fact.equipment_name) if fact.equipment_name else "")
    return fact.place_country or "", family
