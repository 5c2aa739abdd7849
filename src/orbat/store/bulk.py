"""Writing many documents at once: one statement (or one PostgreSQL `COPY`) per table per batch.

Why: a document's rows are eight small inserts plus three look-ups; written one document at a
time, the round trips, the statement set-up and the commit cost more than the rows themselves
(issue 14 measured `orbat ingest` at +147 % of extraction time on SQLite, +304 % on
PostgreSQL). Here the documents of a batch the store has never seen, neither their hash nor
their canonical URL, are told apart in one query and go in together; `Store.save_many` sends
every other document through the one-document path, each inside a savepoint of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, islice
from operator import itemgetter
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    Connection,
    Dialect,
    Engine,
    Index,
    String,
    Table,
    any_,
    bindparam,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError

from orbat.store.rows import RecordRows, store_json
from orbat.store.schema import (
    captures,
    claim_actors,
    claim_equipment,
    claims,
    documents,
    entities,
    extraction_runs,
    sightings,
)

BULK_LOCK_KEY = 0x0_6F62_6C64  # one bulk load at a time may set indexes aside (`secondary_indexes_aside`)
INDEX_BUILDERS = 2  # connections rebuilding the set-aside indexes at once
INDEX_LOCK_WAIT = "5s"  # longest wait for another session's hold on a table before indexes are dropped
LOOKUP_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit
EXECUTEMANY_ROWS = 2000  # rows per executemany on SQLite
#: Parent tables before children, as the foreign keys require.
BULK_ORDER: tuple[tuple[Table, str], ...] = (
    (documents, "document"),
    (captures, "capture"),
    (sightings, "sighting"),
    (extraction_runs, "run"),
    (entities, "entities"),
    (claims, "claims"),
    (claim_equipment, "equipment"),
    (claim_actors, "actors"),
)


def stored_duplicates(conn: Connection, batch: Sequence[RecordRows]) -> set[int]:
    """Positions of documents the store holds already with this very run and this very sighting.

    For those, `_save_rows` would find the document by its hash, add no sighting (the key is
    stored) and no run (its id is stored): a duplicate with nothing to write. Telling them apart
    with two queries per batch spares decoding and re-checking each one, which made reloading a
    loaded folder cost twice the first load. Nothing is ever deleted from these tables, so what
    this finds stays true until the batch is written.
    """
    run_ids = [r.run["id"] for r in batch]
    keys = [r.sighting["key"] for r in batch]
    stored_runs: set[tuple[str, str]] = set()
    stored_keys: set[str] = set()
    for chunk in _lookup_chunks(conn, len(batch)):
        query = select(extraction_runs.c.id, extraction_runs.c.document_id).where(
            _among(conn, extraction_runs.c.id, run_ids[chunk])
        )
        stored_runs.update((run, doc) for run, doc in conn.execute(query))
        query = select(sightings.c.key).where(_among(conn, sightings.c.key, keys[chunk]))
        stored_keys.update(conn.execute(query).scalars())
    return {
        position
        for position, rows in enumerate(batch)
        if (rows.run["id"], rows.document["id"]) in stored_runs and rows.sighting["key"] in stored_keys
    }


def split_fresh(conn: Connection, batch: Sequence[RecordRows]) -> tuple[list[int], list[int]]:
    """Positions of documents new to the store and to this batch, and positions of the others.

    A document is fresh when neither its hash nor its canonical URL is stored or appears
    earlier in the batch; only fresh documents can be written without looking anything up.
    """
    ids = [r.document["id"] for r in batch]
    urls = [r.document["canonical_url"] for r in batch if r.document["canonical_url"]]
    seen_ids: set[str] = set()
    seen_urls: set[str] = set()
    for chunk in _lookup_chunks(conn, max(len(ids), len(urls))):
        condition = or_(_among(conn, documents.c.id, ids[chunk]), _among(conn, documents.c.canonical_url, urls[chunk]))
        for doc_id, url in conn.execute(select(documents.c.id, documents.c.canonical_url).where(condition)):
            seen_ids.add(doc_id)
            if url:
                seen_urls.add(url)
    fresh, known = [], []
    for position, rows in enumerate(batch):
        doc_id, url = rows.document["id"], rows.document["canonical_url"]
        if doc_id in seen_ids or (url and url in seen_urls):
            known.append(position)
            continue
        seen_ids.add(doc_id)
        if url:
            seen_urls.add(url)
        fresh.append(position)
    return fresh, known


def _lookup_chunks(conn: Connection, count: int) -> list[slice]:
    """The slices of a batch's keys one look-up takes: all of them on PostgreSQL (one array
    parameter), `LOOKUP_CHUNK` at a time on SQLite (an IN list, under its parameter limit)."""
    step = max(count, 1) if conn.dialect.name == "postgresql" else LOOKUP_CHUNK
    return [slice(start, start + step) for start in range(0, count, step)]


def _among(conn: Connection, column: Any, values: list[str]) -> ColumnElement[bool]:
    """`column IN values`: on PostgreSQL `= ANY(array)`, one parameter, where an IN list of 500
    was 500 parameters for SQLAlchemy to render and psycopg to parse on every look-up."""
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(String)))
    return column.in_(values)


def table_rows(batch: Sequence[RecordRows], part: str) -> list[dict[str, Any]]:
    """Every row of one table across the batch, documents in order."""
    if part in ("document", "capture", "sighting", "run"):
        return [getattr(rows, part) for rows in batch]
    if part == "entities":
        return [row for rows in batch for row in rows.entities]
    if part == "claims":
        return [parts.claim for rows in batch for parts in rows.claims]
    return [row for rows in batch for parts in rows.claims for row in getattr(parts, part)]


def insert_fresh(conn: Connection, backend: str, batch: Sequence[RecordRows]) -> None:
    """Insert whole documents known to be fresh (`split_fresh`): COPY on PostgreSQL, executemany else.

    Every table gets its rows documents in order, as in one statement per table. Entities are
    streamed, and claims go `EXECUTEMANY_ROWS` at a time, each slice followed by its systems and
    actors (the foreign keys want the claim first): the rows `record_rows` builds when read
    then exist a slice at a time, not a 4.9 MB report's 43,000 claims at once.
    """
    write = copy_rows if backend == "postgresql" else sqlite_insert
    for table, part in BULK_ORDER[:4]:
        write(conn, table, table_rows(batch, part))
    write(conn, entities, (row for rows in batch for row in rows.entities))
    every_claim = (parts for rows in batch for parts in rows.claims)
    while chunk := list(islice(every_claim, EXECUTEMANY_ROWS)):
        write(conn, claims, [parts.claim for parts in chunk])
        write(conn, claim_equipment, [row for parts in chunk for row in parts.equipment])
        write(conn, claim_actors, [row for parts in chunk for row in parts.actors])


def sqlite_insert(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """Rows (dicts with the same keys) into a SQLite table, through the driver's executemany.

    Why not `conn.execute(insert(table), rows)`: SQLAlchemy then does per-row bookkeeping in
    Python (a parameter dict per row, every value through its bind processor), which cost more
    CPU than SQLite's own work: most of the save of a 4.9 MB report's 43,000 claims. Here each
    row becomes a tuple and only the columns whose type has a bind processor go through it:
    the same processors SQLAlchemy applies (JSON text, floats, booleans as integers), so the
    stored values are the same. The statement is SQLAlchemy's own INSERT for those columns,
    and a failure is raised as SQLAlchemy's exception (`IntegrityError`, ...), as before.

    In slices of `EXECUTEMANY_ROWS`: one executemany holds every row's bound (JSON-encoded)
    parameters at once, +100 MB for the 43,000 claims of a 4.9 MB report in one go.
    """
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    keys = tuple(first)
    statement, processors = _sqlite_statement(conn.dialect, table, keys)
    values = itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))

    def encoded(row: dict[str, Any]) -> tuple:
        if len(row) != len(keys):
            raise ValueError(f"{table.name}: rows of one insert must have the same columns")
        params = values(row)
        if not processors:
            return params
        params = list(params)
        for n, process in processors:
            params[n] = process(params[n])
        return tuple(params)

    batch = [encoded(first)]
    for row in iterator:
        if len(batch) >= EXECUTEMANY_ROWS:
            conn.exec_driver_sql(statement, batch)
            batch = []
        batch.append(encoded(row))
    conn.exec_driver_sql(statement, batch)


@lru_cache(maxsize=256)
def _sqlite_statement(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> tuple[str, list[tuple[int, Callable]]]:
    """SQLAlchemy's INSERT for these columns, and (position, bind processor) of those that have one.

    Made once per table and column set: compiling it per call was a twentieth of a refresh."""
    statement = str(insert(table).compile(dialect=dialect, column_keys=list(keys)))
    processors = [(n, table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) for n, key in enumerate(keys)]
    return statement, [(n, process) for n, process in processors if process is not None]


def copy_rows(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """PostgreSQL `COPY … FROM STDIN` through psycopg 3; JSON columns sent as their JSON text.

    The text is what SQLAlchemy's JSON type would send (`rows.store_json`), so rows read back the
    same whichever path wrote them. Nothing is sent when there are no rows.

    In the binary format when every column's type has a binary dumper (`BINARY_DUMPERS`): each
    value then goes with its length, and the server reads it without scanning it for escapes
    and delimiters (documents' texts and captures' raw bytes are most of a load's bytes).
    """
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return
    columns = [c.name for c in table.columns if c.name in first]
    json_positions = [n for n, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    values = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    names = ", ".join(f'"{name}"' for name in columns)
    raw = conn.connection.driver_connection
    types = column_types(raw, table.name)
    dumpers = [BINARY_DUMPERS.get(types.get(name, "")) for name in columns]
    binary = all(dumpers)
    with raw.cursor() as cursor, \
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN{" (FORMAT binary)" if binary else ""}') as copy:
        if binary:
            copy.set_types(dumpers)
        for row in chain([first], iterator):
            params = values(row)
            if json_positions:  # only these go through Python per value: the rest as they are
                params = list(params)
                for n in json_positions:
                    if params[n] is not None:
                        params[n] = store_json(params[n])
            copy.write_row(params)


#: psycopg's binary dumper for each PostgreSQL column type `copy_rows` writes in binary: the
#: textual types (and JSON, whose binary form is its text) all take the text dumper.
BINARY_DUMPERS = {"varchar": "text", "text": "text", "bpchar": "text", "json": "text", "int2": "int2",
                  "int4": "int4", "int8": "int8", "float4": "float4", "float8": "float8", "bool": "bool",
                  "bytea": "bytea"}
_COLUMN_TYPES: WeakKeyDictionary[Any, dict[str, dict[str, str]]] = WeakKeyDictionary()


def column_types(raw: Any, table: str) -> dict[str, str]:
    """{column: PostgreSQL type name} of a table as the server holds it, asked once per
    connection: the binary format must match each column's type exactly, whatever the schema
    module says, and a store's tables keep their types once migrated (before any write)."""
    known = _COLUMN_TYPES.setdefault(raw, {})
    if table not in known:
        known[table] = dict(raw.execute(
            "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE a.attrelid = (SELECT c.oid FROM pg_class c WHERE c.relname = %s "
            "AND c.relnamespace = current_schema()::regnamespace) AND a.attnum > 0 AND NOT a.attisdropped",
            (table,)).fetchall())
    return known[table]


def secondary_indexes(tables: Iterable[Table]) -> list[Index]:
    """The schema's indexes on `tables` that no rule depends on: not unique, not a primary key.

    Only queries use them, so a load may go without them for a while and get the same rows."""
    return [index for table in tables for index in sorted(table.indexes, key=lambda i: i.name or "")
            if not index.unique]


class IndexesAside:
    """The secondary indexes a bulk load set aside (`secondary_indexes_aside`), to be built again.

    `rebuild_meanwhile` starts the build at once, in a process of its own, so that what the load
    does next (the observation refresh, which needs none of these indexes) runs beside it: on
    a 100,000-document load the build (two connections, each index a scan and a sort) left one
    of two cores idle for several seconds, and the refresh's first step is the server sorting
    every fact while the client waits. The indexes are built whether or not it is called: when
    the load ends, the build started is awaited, or one is run there.
    """

    def __init__(self, engine: Engine | None, indexes: list[Index], log: Callable[[str], None]):
        self.engine, self.indexes, self.log = engine, indexes, log  # engine None: nothing set aside
        self._builder: tuple[Any, Any] | None = None  # (process, receiving end) of `rebuild_meanwhile`

    def rebuild_meanwhile(self) -> None:
        """Build the indexes in a forked process while the caller goes on (Linux; elsewhere when
        the load ends). The caller must have no other thread running: the fork copies only this
        one, and a lock another thread held would stay held in the child."""
        import multiprocessing
        import sys

        if self.engine is None or self._builder is not None or sys.platform != "linux":
            return
        missing = _missing_announced(self.engine, self.indexes, self.log)
        if not missing:
            self.engine = None
            return
        context = multiprocessing.get_context("fork")
        receiving, sending = context.Pipe(duplex=False)
        url = self.engine.url.render_as_string(hide_password=False)
        process = context.Process(target=_build_in_child, args=(os.getpid(), url, missing, sending),
                                  name="orbat-index-build", daemon=True)
        process.start()
        sending.close()  # only the child's end stays open: recv sees its end if it dies
        self._builder = (process, receiving)

    def finish(self) -> None:
        """Wait for the build `rebuild_meanwhile` started, or build the indexes now."""
        if self.engine is None:
            return
        if self._builder is None:
            _build_missing(self.engine, self.indexes, self.log)
            return
        process, receiving = self._builder
        try:
            failure = receiving.recv()
        except EOFError:
            failure = "the process building them ended before saying it was done"
        finally:
            receiving.close()
            process.join()
        if failure is not None:
            raise RuntimeError(f"building the set-aside indexes failed ({failure}); "
                               "the next `orbat batch load` builds them")


@contextmanager
def secondary_indexes_aside(engine: Engine, tables: Sequence[Table], incoming: int,
                            log: Callable[[str], None]) -> Iterator[IndexesAside]:
    """PostgreSQL only: a load of more than twice as many documents as are stored goes in without
    the secondary indexes of `tables`, which are built again after it, from sorted keys
    (`IndexesAside`).

    Why: entering half a million claims' keys one by one into thirteen B-trees was a third of
    the server's CPU on a 100,000-document load (52 CPU-seconds with them, 35 without, and 8
    to build them afterwards). PostgreSQL's own advice for populating a database says the
    same. Only while the load would at least triple the store: building an index reads the whole
    table, so into a large store adding the new keys costs less (and reloading a loaded folder,
    every document a duplicate, writes nothing to them).

    Safe to interrupt: unique keys and primary keys, which idempotency relies on, stay; the
    indexes left out only speed queries. A load killed before the end leaves them out until the
    next `batch load`, which first builds any of them missing. One bulk load at a time sets
    them aside (a session advisory lock, freed if the process dies); a second one running
    meanwhile loads with the indexes as it finds them.
    """
    indexes = secondary_indexes(tables)
    with engine.connect() as holder:
        if not holder.execute(select(func.pg_try_advisory_lock(BULK_LOCK_KEY))).scalar_one():
            holder.rollback()
            yield IndexesAside(None, indexes, log)
            return
        try:
            _build_missing(engine, indexes, log)  # left out by a load that was killed
            stored = holder.execute(select(func.count()).select_from(documents)).scalar_one()
            holder.commit()
            aside = IndexesAside(engine if incoming > 2 * stored and _dropped(engine, indexes, log) else None,
                                 indexes, log)
            try:
                yield aside
            finally:
                aside.finish()
        finally:
            holder.execute(select(func.pg_advisory_unlock(BULK_LOCK_KEY)))
            holder.commit()


def _dropped(engine: Engine, indexes: list[Index], log: Callable[[str], None]) -> bool:
    """Drop `indexes` in one transaction, unless a table stays locked by another session for
    `INDEX_LOCK_WAIT`; say whether they were dropped.

    Dropping an index waits for every transaction reading its table, and every query after it
    waits behind the drop: a session left idle in a transaction would hold the load, and the
    readers queued after it, indefinitely. Then the load writes with the indexes instead.
    """
    try:
        with engine.begin() as conn:
            conn.execute(text(f"SET LOCAL lock_timeout = '{INDEX_LOCK_WAIT}'"))
            for index in indexes:
                conn.execute(text(f'DROP INDEX IF EXISTS "{index.name}"'))
    except DBAPIError:
        log("orbat batch load: another session holds the tables; loading with their indexes")
        return False
    return True


def _missing(engine: Engine, indexes: list[Index]) -> list[Index]:
    """The `indexes` the database lacks, largest tables first."""
    with engine.connect() as conn:
        present = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"))
                      .scalars())
        sizes = dict(conn.execute(text("SELECT relname, pg_relation_size(oid) FROM pg_class WHERE relkind = 'r' "
                                       "AND relnamespace = current_schema()::regnamespace")).all())
    return sorted((i for i in indexes if i.name not in present), key=lambda i: -(sizes.get(i.table.name) or 0))


def _missing_announced(engine: Engine, indexes: list[Index], log: Callable[[str], None]) -> list[Index]:
    """`_missing`, and a line saying how many are to be built when there are any."""
    missing = _missing(engine, indexes)
    if missing:
        log(f"orbat batch load: building {len(missing)} indexes")
    return missing


def _build_missing(engine: Engine, indexes: list[Index], log: Callable[[str], None]) -> None:
    """Build the `indexes` the database lacks, `INDEX_BUILDERS` at a time, largest tables first."""
    missing = _missing_announced(engine, indexes, log)
    if missing:
        _build(engine, missing)


def _build(engine: Engine, indexes: list[Index]) -> None:
    def build(index: Index) -> None:
        with engine.begin() as conn:
            index.create(conn, checkfirst=True)

    with ThreadPoolExecutor(INDEX_BUILDERS, thread_name_prefix="orbat-index") as pool:
        for done in [pool.submit(build, index) for index in indexes]:
            done.result()


def _build_in_child(parent: int, url: str, indexes: list[Index], sending: Any) -> None:
    """`IndexesAside.rebuild_meanwhile`'s process: build `indexes` on an engine of its own, then
    send None, or what failed."""
    from orbat.forked import die_with
    from orbat.store.database import create_engine_for

    die_with(parent)  # a killed load's build stops with it: the next load builds what is missing
    try:
        engine = create_engine_for(url)
        _build(engine, indexes)
        engine.dispose()
        sending.send(None)
    except BaseException as error:  # noqa: BLE001  (reported to the parent, which fails the load)
        sending.send(f"{type(error).__name__}: {error}")
