"""`orbat batch load`: the Parquet tables of a batch run into the knowledge base, in bulk.

Same ids and the same idempotency rules as `orbat ingest` (the rows were built by the same
`store.rows.record_rows` in the Spark task), so loading twice, or loading what was also
ingested, adds nothing. Speed comes from `Store.save_many`, the write path `orbat ingest`
uses too: documents the store has never seen go in with one bulk insert per table (PostgreSQL
`COPY`, SQLite `executemany`), everything else one document per savepoint, so one bad document
still fails alone. On PostgreSQL the entity, claim, claim equipment and claim actor rows go from
their Parquet columns to `COPY … (FORMAT binary)` through Arrow without becoming Python objects,
and straight into their tables: no row is decoded in Python or scanned by the server for
delimiters (`_copy_tables`).
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError

from orbat.batch.output import local_output, table_files
from orbat.batch.rows import (
    STORE_TABLES,
    json_columns,
    legacy_table_rows,
    record_rows_from_tables,
    store_columns,
    store_row,
)
from orbat.errors import InputError
from orbat.gc_pause import collector_paused
from orbat.ingest import IngestResult, IngestSummary
from orbat.store import SaveResult, Store, bulk
from orbat.store.rows import ClaimRows, RecordRows

BATCH_DOCUMENTS = 1000
PG_WRITERS = 2  # PostgreSQL connections writing batches at once (`load(writers=…)`)
REFRESH_PROCESSES = 2  # processes merging a large first build of the observation index (`refresh`)
SQLITE_LOAD_CACHE_KIB = 65536  # SQLite page cache of the loading connection (`_sqlite_bulk_settings`)
PART_READERS = 2  # threads reading and indexing a part's tables (`_part_tables`, `_PartRows`)
PART_BATCHES = 4  # batches' worth of documents, at least, read together (`_parts`)


def load(
    path: str,
    store: Store,
    *,
    batch_documents: int = BATCH_DOCUMENTS,
    writers: int | None = None,
    log: Callable[[str], None] = print,
) -> IngestSummary:
    """Load every published document of a batch output folder into `store`; counted as ingest counts.

    On PostgreSQL `writers` batches (default `PG_WRITERS`) are written at once, each on its own
    connection, while the next one is read: the server's work for a batch (parsing the COPY
    rows, index entries) is most of the load and runs on one core per connection.
    Batches hold distinct documents except when the folder repeats one; two writers racing on
    the same document are settled by the unique keys and the careful path, as for two `orbat
    ingest` processes. SQLite has one writer at a time whatever the number of connections.
    """
    from orbat.observation_index import ensure_fresh

    folder = local_output(path)
    if writers is None:
        writers = PG_WRITERS if store.backend == "postgresql" else 1
    if store.backend == "sqlite":
        _sqlite_bulk_settings(store)
    summary, started = IngestSummary(), time.monotonic()

    def count(batch: _Batch, results: list[SaveResult | Exception]) -> None:
        _count(batch, results, summary)
        rate = summary.total / max(time.monotonic() - started, 1e-6)
        log(f"orbat batch load: {summary.total} documents ({batch.month}), {rate:.0f} docs/s")

    indexes_aside = bulk.secondary_indexes_aside(store.engine, [table for table, _part in bulk.BULK_ORDER],
                                                 _documents_in(folder), log) \
        if store.backend == "postgresql" else nullcontext()
    with indexes_aside as aside:
        with _system_allocator():
            batches = _document_batches(folder, batch_documents)
            if writers <= 1:
                for batch in batches:
                    count(batch, _load_batch(store, batch))
            else:
                with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="orbat-load") as pool:
                    in_flight: deque[tuple[_Batch, Future]] = deque()
                    for batch in batches:
                        in_flight.append((batch, pool.submit(_load_batch, store, batch)))
                        while len(in_flight) >= writers:  # counted in order, so failures are listed in order
                            count(*_done(in_flight.popleft()))
                    for pair in in_flight:
                        count(*_done(pair))
        if aside is not None:  # the writers' and readers' threads have ended: the build may fork
            aside.rebuild_meanwhile()
        ensure_fresh(store, processes=REFRESH_PROCESSES)  # needs none of the indexes being built
    return summary


def _documents_in(folder: Path) -> int:
    """How many documents rows the folder holds, from the Parquet footers (nothing else is read)."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(file).metadata.num_rows for file in table_files(folder, "documents"))


def _sqlite_bulk_settings(store: Store) -> None:
    """This thread's SQLite connection (the one the load writes on) keeps its temporary files in
    memory and 64 MB of pages in its cache.

    Each row `executemany` inserts is a statement SQLite can roll back alone, with a statement
    journal that spills to a temporary file past 64 KB: half a million small writes to it per
    2,000 documents (most of the load's system CPU, 10 of 25 CPU-seconds for 20,000). A larger
    cache spares reading back index pages that hashed ids touch all over. Only this process's
    connection: a server's many connections keep SQLite's defaults.
    """
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_LOAD_CACHE_KIB}")
        cursor.close()
    finally:
        raw.close()


@contextmanager
def _system_allocator() -> Iterator[None]:
    """Arrow allocates from the C library's allocator meanwhile, then from what it used before.

    Its default (mimalloc) spent 0.6–0.9 s of system CPU per 2,000 documents here against
    0.25–0.3 s with the C library's, for the same user CPU: the load's buffers (a part's
    columns, each batch's CSV) are large and short-lived. Buffers keep the allocator they came
    from, so switching back is safe.
    """
    import pyarrow as pa

    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def _done(pair: tuple[_Batch, Future]) -> tuple[_Batch, list[SaveResult | Exception]]:
    return pair[0], pair[1].result()


@dataclass(slots=True)
class _PartRows:
    """One part's rows of the store tables (`_parts`) carried as typed columns, each row once, by document.

    Kept as the Arrow tables read (batch column names: `document_id` and the store's columns) with,
    per document, its span in an index of the rows in (document, key) order; a batch takes its
    documents' rows in one `take` per table, without a Python object per row.
    """

    tables: dict[str, Any]  # store table name -> pyarrow.Table
    order: dict[str, Any] = field(default_factory=dict)  # -> indices into the table, each row once
    spans: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)  # -> document -> span of `order`

    def __post_init__(self) -> None:
        with ThreadPoolExecutor(PART_READERS, thread_name_prefix="orbat-load-index") as pool:
            indexed = {name: pool.submit(_spans, table, ("document_id", *_KEYS[name]))
                       for name, table in self.tables.items()}
            for name, done in indexed.items():
                self.order[name], self.spans[name] = done.result()

    def of(self, document_ids: list[str]) -> dict[str, Any]:
        """Every row of these documents (distinct ids), per store table."""
        import pyarrow as pa

        taken = {}
        for name, table in self.tables.items():
            spans, order = self.spans[name], self.order[name]
            pieces = [order.slice(start, end - start) for start, end in (spans[d] for d in document_ids if d in spans)]
            taken[name] = table.take(pa.concat_arrays(pieces)) if pieces else table.slice(0, 0)
        return taken


@dataclass(slots=True)
class _Batch:
    """Documents loaded together, with the part's rows they take theirs from."""

    month: str
    documents: list[dict[str, Any]]  # `documents` table rows (`DOCUMENT_COLUMNS`)
    rows: _PartRows

    def heads(self) -> list[RecordRows]:
        """The document, capture, sighting and run rows of each document, without entities and claims."""
        return [record_rows_from_tables(document) for document in self.documents]

    def decoded(self, heads: list[RecordRows], positions: list[int]) -> list[RecordRows]:
        """Every row of the documents at `positions`, decoded: what `Store.save_many` takes."""
        ids = list(dict.fromkeys(heads[i].document["id"] for i in positions))
        by_document: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
        for name, table in self.rows.of(ids).items():
            for row in table.to_pylist():
                by_document[row["document_id"]][name].append(store_row(name, row))
        out = []
        for i in positions:
            head, parts = heads[i], by_document[heads[i].document["id"]]
            equipment, actors = defaultdict(list), defaultdict(list)
            for row in sorted(parts["claim_equipment"], key=lambda r: r["position"]):
                equipment[row["claim_id"]].append(row)
            for row in sorted(parts["claim_actors"], key=lambda r: r["position"]):
                actors[row["claim_id"]].append(row)
            claims = [ClaimRows(c, equipment[c["id"]], actors[c["id"]])
                      for c in sorted(parts["claims"], key=lambda r: r["position"])]
            entities = sorted(parts["entities"], key=lambda r: r["position"])
            out.append(RecordRows(head.document, head.capture, head.sighting, head.run, entities, claims))
        return out


def _spans(table: Any, keys: tuple[str, ...]) -> tuple[Any, dict[str, tuple[int, int]]]:
    """`_PartRows`'s index of one table: its rows once in `keys` order (`_once`), and each
    document's span of that order."""
    import pyarrow.compute as pc

    order = _once(table, keys)
    spans: dict[str, tuple[int, int]] = {}
    if len(order):
        documents = table.column("document_id").take(order).combine_chunks()
        runs = pc.run_end_encode(documents)
        ends = runs.run_ends.to_pylist()
        for doc_id, start, end in zip(runs.values.to_pylist(), [0, *ends[:-1]], ends, strict=True):
            spans[doc_id] = (start, end)
    return order, spans


def _document_batches(folder: Path, size: int) -> Iterator[_Batch]:
    """Part by part (`_parts`), so memory holds one part's entities and claims at a time, and
    writing starts once the first part is read, not the whole month; the next part is read
    on a thread meanwhile.

    The same bytes read from two input files are two `documents` rows with one id: every batch
    holding one of them takes that document's rows, since the copy whose batch commits first
    must carry them.
    """
    parts = [(month, names, by_name) for month in sorted({p.parent.name for p in table_files(folder, "documents")})
             for names, by_name in _parts(folder, month, size)]
    with ThreadPoolExecutor(1, thread_name_prefix="orbat-load-ahead") as ahead:
        def read(month: str, names: list[str], by_name: bool) -> _PartRows:
            return _PartRows(_part_tables(folder, month, names if by_name else None))

        upcoming = ahead.submit(read, *parts[0]) if parts else None
        for number, (month, names, _by_name) in enumerate(parts):
            rows = upcoming.result()
            upcoming = ahead.submit(read, *parts[number + 1]) if number + 1 < len(parts) else None
            batch: list[dict[str, Any]] = []
            for name in names:
                for document in _read(folder / "documents" / month / name, DOCUMENT_COLUMNS).to_pylist():
                    batch.append(document)
                    if len(batch) >= size:
                        yield _Batch(month, batch, rows)
                        batch = []
            if batch:
                yield _Batch(month, batch, rows)


def _parts(folder: Path, month: str, size: int) -> list[tuple[list[str], bool]]:
    """A month's `documents` file names in groups read together, each of `PART_BATCHES` batches or
    more, and whether the other tables' rows of a group are in the files of the same names (else
    in any file of the month).

    Every table's rows of a document are in files of the same name: a Spark task writes one file
    per table and month, all named after the task (`tasks.TaskTables`). So a group of names holds
    whole documents. Small files are grouped so that a batch is not cut short at every file. An
    output whose files are named otherwise (the first format's, written by Spark itself) has
    another table's file under a name `documents` lacks: its month is read whole, as one group
    with every file of the other tables.
    """
    import pyarrow.parquet as pq

    files = sorted((folder / "documents" / month).glob("*.parquet"))
    names = {file.name for file in files}
    if any(other.name not in names for table in STORE_TABLES for other in (folder / table / month).glob("*.parquet")):
        return [(sorted(names), False)] if names else []
    groups: list[list[str]] = []
    held = 0
    for file in files:
        if not groups or held >= size * PART_BATCHES:
            groups.append([])
            held = 0
        groups[-1].append(file.name)
        held += pq.ParquetFile(file).metadata.num_rows
    return [(group, True) for group in groups]


#: What loading needs of the documents table; its largest column, `record` (the whole
#: extraction record as JSON, for readers of the Parquet), is left on disk.
DOCUMENT_COLUMNS = ["document_id", "origin", "content_type", "raw", "store_rows", "claims"]
#: Columns a table's rows are ordered by after `document_id`, and that tell a repeated row: the
#: store's primary key (a document extracted twice has the same rows under the same keys).
_KEYS = {"entities": ("run_id", "entity_id"), "claims": ("claim_id",),
         "claim_equipment": ("claim_id", "position"), "claim_actors": ("claim_id", "position")}
#: Output written before the typed columns (format orbat.batch/1): the rows as JSON.
_LEGACY_JSON = {"entities": "store_row", "claims": "store_rows"}


def _read(file: Path, columns: list[str] | None = None) -> Any:
    """One Parquet file, read on this thread: the files are small, and Arrow's reading threads cost
    more CPU than they saved (in system time, on a busy machine) while the server needs the cores."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(file).read(columns=columns, use_threads=False)


def _arrow_schema(name: str) -> Any:
    import pyarrow as pa

    from orbat.batch.rows import COLUMNS

    arrow = {"string": pa.string(), "bigint": pa.int64(), "double": pa.float64(), "boolean": pa.bool_()}
    names = ["document_id", *(c for c in store_columns(name).values() if c != "document_id")]
    return pa.schema([(c, arrow[COLUMNS[name][c]]) for c in names])


def _part_tables(folder: Path, month: str, names: list[str] | None) -> dict[str, Any]:
    """Each store table's rows in the month's files of these names (None: every file), as read (a
    row may come twice: `_PartRows` keeps it once).

    The files are read `PART_READERS` at a time, each on one thread (`_read`); Arrow reads
    without holding Python's lock, so this goes on while the previous part is written.
    """
    with ThreadPoolExecutor(PART_READERS, thread_name_prefix="orbat-load-read") as pool:
        return _part_tables_read(folder, month, names, pool)


def _part_tables_read(folder: Path, month: str, names: list[str] | None, pool: ThreadPoolExecutor) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts: dict[str, list[Any]] = {name: [] for name in STORE_TABLES}
    legacy: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name in STORE_TABLES:
        wanted = _arrow_schema(name).names
        files = sorted((folder / name / month).glob("*.parquet")) if names is None else \
            [folder / name / month / file_name for file_name in names]
        for file in files:
            if not file.exists():  # a part that had no rows of this table
                continue
            columns = set(pq.read_schema(file).names)
            if columns >= set(wanted):
                parts[name].append(pool.submit(_read, file, wanted))
            elif _LEGACY_JSON.get(name) in columns:
                column = _LEGACY_JSON[name]
                table = _read(file, ["document_id", column])
                for doc_id, text in zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True):
                    entity_texts, claim_texts = ([text], []) if name == "entities" else ([], [text])
                    for part, row in legacy_table_rows(doc_id, month, entity_texts, claim_texts):
                        legacy[part].append(row)
            else:
                raise InputError(f"{file}: neither the store's columns nor {_LEGACY_JSON.get(name, 'them')} as JSON")
    tables = {}
    for name in STORE_TABLES:
        schema = _arrow_schema(name)
        read = [part.result() for part in parts.pop(name)]
        if legacy[name]:
            read.append(pa.Table.from_pylist(legacy[name], schema=schema))
        tables[name] = pool.submit(_one_chunk, pa.concat_tables(read)) if read else None
    return {name: chunked.result() if chunked else _arrow_schema(name).empty_table()
            for name, chunked in tables.items()}


def _one_chunk(table: Any) -> Any:
    """`table` with each column in one piece, the pieces freed a column at a time.

    Why: each batch takes its documents' rows from the part's table, and Arrow's `take` over
    a column in several pieces (one per file read) cost about as much as copying the whole
    column, for every batch: 0.2 s a batch on the claims of 20,000 documents, against 2 ms
    on one piece. A column at a time, so memory holds the part and one column more, not
    the part twice.
    """
    import pyarrow as pa

    names, columns = table.column_names, []
    while table.num_columns:
        columns.append(table.column(0).combine_chunks())
        table = table.remove_column(0)
    return pa.Table.from_arrays(columns, names=names)


def _once(table: Any, keys: tuple[str, ...]) -> Any:
    """Indices of `table`'s rows in `keys` order, a row equal to the one before on every key left out.

    Only the key columns are sorted: taking whole rows (the JSON text of each record among
    them) in that order cost more than reading them.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    order = pc.sort_indices(table.select(list(keys)), sort_keys=[(k, "ascending") for k in keys])
    if len(order) < 2:
        return order
    same = None
    for key in keys:
        column = table.column(key).take(order).combine_chunks()
        equal = pc.equal(column.slice(1), column.slice(0, len(column) - 1))
        same = equal if same is None else pc.and_(same, equal)
    keep = pc.invert(pc.fill_null(same, False))
    return order.filter(pa.concat_arrays([pa.array([True]), keep]))


def _load_batch(store: Store, batch: _Batch) -> list[SaveResult | Exception]:
    """Save one batch: stored duplicates are told apart first, the rest written in bulk or with care."""
    heads = batch.heads()
    with store.engine.connect() as conn:
        duplicates = bulk.stored_duplicates(conn, heads)
    results: list[SaveResult | Exception | None] = [None] * len(heads)
    for position in duplicates:
        head = heads[position]
        results[position] = SaveResult(head.document["id"], "duplicate", head.run["id"], 0, False, "sha256")
    rest = [position for position in range(len(heads)) if position not in duplicates]
    if rest:
        saved = _save_in_bulk(store, batch, heads, rest)
        for position, result in zip(rest, saved, strict=True):
            results[position] = result
    return results  # type: ignore[return-value]  (every position was filled above)


def _count(batch: _Batch, results: list[SaveResult | Exception], summary: IngestSummary) -> None:
    for document, result in zip(batch.documents, results, strict=True):
        origin = document["origin"]
        if isinstance(result, Exception):  # one bad document fails alone
            summary.add(IngestResult(origin, "failed", reason=f"{type(result).__name__}: {str(result)[:200]}"))
        else:
            summary.add(IngestResult(origin, result.status, result.document_id, result.claims))


def _save_in_bulk(store: Store, batch: _Batch, heads: list[RecordRows],
                  positions: list[int]) -> list[SaveResult | Exception]:
    """The new documents of `positions` written from their Arrow columns in one transaction (PostgreSQL
    `COPY`, SQLite `executemany`); the rest as ingest saves them.

    Documents the store knows (or that repeat one earlier in the batch), and every document
    when the bulk write fails, go through `Store.save_many` after it, so the idempotency rules
    and the per-document isolation are exactly `orbat ingest`'s.
    """
    chosen = [heads[i] for i in positions]
    try:
        with store._write() as conn:
            fresh, known = bulk.split_fresh(conn, chosen)
            if fresh:
                fresh_heads = [chosen[i] for i in fresh]
                tables = batch.rows.of([head.document["id"] for head in fresh_heads])
                dangling = _dangling(fresh_heads, tables)
                if dangling:
                    raise ValueError(f"batch refers to rows that do not exist ({'; '.join(dangling)})")
                if store.backend == "postgresql":
                    _without_row_checks(conn)
                    # a crash may lose the last batches' commits, never part of one: a rerun of the
                    # load (idempotent) writes them again. Spares a WAL flush per batch.
                    conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
                bulk.insert_fresh(conn, store.backend, fresh_heads)  # heads hold no entities or claims
                if store.backend == "postgresql":
                    _copy_tables(conn, tables)
                else:
                    _insert_tables(conn, _in_ingest_order(tables, [head.document["id"] for head in fresh_heads]))
    except Exception:  # noqa: BLE001  (some document is bad: every one through the careful path)
        fresh, known = [], list(range(len(chosen)))
    results: list[SaveResult | Exception | None] = [None] * len(chosen)
    for i in fresh:
        head = chosen[i]
        claims = batch.documents[positions[i]]["claims"]
        results[i] = SaveResult(head.document["id"], "new", head.run["id"], claims, sighting_added=True)
    careful = store.save_many(batch.decoded(heads, [positions[i] for i in known]))
    for i, result in zip(known, careful, strict=True):
        results[i] = result
    return results  # type: ignore[return-value]  (every position was filled above)


def _copy_tables(conn: Connection, tables: dict[str, Any]) -> None:
    """COPY each table's Arrow rows into the store, parents first, in PostgreSQL's binary format
    (`batch.pgcopy`: no byte of the rows for the server to scan for quotes and delimiters). The
    JSON-valued columns are already the text ingest stores. A value the binary writer refuses
    (`pgcopy.NotBinary`, a number too large for its column) fails the bulk write, and the batch's
    documents go through ingest's path one by one, as any bad row sends them (`_save_in_bulk`).
    """
    from orbat.batch import pgcopy

    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:
        for name, table in tables.items():  # STORE_TABLES order: parents first
            if not table.num_rows:
                continue
            columns = store_columns(name)
            types = bulk.column_types(raw, name)
            chunks = pgcopy.binary_chunks(table.select(list(columns.values())), [types[c] for c in columns])
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f'COPY "{name}" ({names}) FROM STDIN (FORMAT binary)') as copy:
                for chunk in chunks:
                    copy.write(chunk)


def _insert_tables(conn: Connection, tables: dict[str, Any]) -> None:
    """SQLite: each table's Arrow rows into the store by `executemany`, parents first.

    The values go as Arrow holds them, the JSON-valued columns as the JSON text ingest stores:
    decoding that text into Python objects for `Store.save_many` to encode it again was most of
    a SQLite load's CPU. A null JSON value becomes the text `null`, as SQLAlchemy's JSON type
    writes None (the columns are NOT NULL; the rows never hold one).
    """
    import pyarrow.compute as pc

    for name, table in tables.items():  # STORE_TABLES order: parents first
        if not table.num_rows:
            continue
        columns = store_columns(name)
        statement, _processors = bulk._sqlite_statement(conn.dialect, STORE_TABLES[name][0], tuple(columns))
        json_valued = json_columns(name)
        values = [(pc.fill_null(table.column(c), "null") if c in json_valued else table.column(c)).to_pylist()
                  for c in columns.values()]
        with collector_paused():  # tuples of strings and numbers: nothing cyclic to collect
            rows = list(zip(*values, strict=True))
        for start in range(0, len(rows), bulk.EXECUTEMANY_ROWS):
            conn.exec_driver_sql(statement, rows[start:start + bulk.EXECUTEMANY_ROWS])


def _in_ingest_order(tables: dict[str, Any], document_ids: list[str]) -> dict[str, Any]:
    """The batch's rows in the order `Store.save_many` inserts them: documents in batch order, each
    document's entities and claims by position, a claim's systems and actors after its claim's.

    SQLite keeps rows in insertion order (rowid), which unordered reads follow: the same order
    keeps a bulk-loaded file the same as one loaded document by document.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    documents = pa.array(document_ids, pa.string())
    ordered = {}
    for name in ("entities", "claims"):
        table = tables[name]
        rank = pc.index_in(table.column("document_id"), value_set=documents)
        ordered[name] = table.take(pc.sort_indices(pa.table({"rank": rank, "position": table.column("position")}),
                                                   sort_keys=[("rank", "ascending"), ("position", "ascending")]))
    claim_ids = ordered["claims"].column("claim_id").combine_chunks()
    for name in ("claim_equipment", "claim_actors"):
        table = tables[name]
        rank = pc.index_in(table.column("claim_id"), value_set=claim_ids)
        ordered[name] = table.take(pc.sort_indices(pa.table({"rank": rank, "position": table.column("position")}),
                                                   sort_keys=[("rank", "ascending"), ("position", "ascending")]))
    return {name: ordered[name] for name in tables}


def _dangling(heads: list[RecordRows], tables: dict[str, Any]) -> list[str]:
    """Each foreign key of the batch's rows whose references are not rows of the batch, with a count.

    Checked on the client, over the Arrow columns, for the whole batch at once: a new document's
    rows can only refer to rows of that document, all in the batch. Stricter than the foreign
    keys (a reference to a row stored earlier counts as missing), which only sends such a batch
    down the careful path, where PostgreSQL's own checks decide, document by document.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    documents = {head.document["id"] for head in heads}
    problems = [f"{part}: {n} reference(s) to no row" for part, n in
                (("capture", sum(h.capture["document_id"] not in documents for h in heads)),
                 ("sighting", sum(h.sighting["document_id"] not in documents for h in heads)),
                 ("run", sum(h.run["document_id"] not in documents for h in heads))) if n]
    keys = {"documents": pa.array(sorted(documents), pa.string()),
            "extraction_runs": pa.array(sorted({h.run["id"] for h in heads}), pa.string())}

    def joined(name: str, columns: list[str]) -> Any:
        batch_names = store_columns(name)
        arrays = [tables[name].column(batch_names[c]).combine_chunks() for c in columns]
        return arrays[0] if len(arrays) == 1 else pc.binary_join_element_wise(*arrays, "\x1f")

    for name, (schema_table, _renamed) in STORE_TABLES.items():
        if not tables[name].num_rows:
            continue
        for columns, parent, parent_columns in _references(schema_table):
            if parent not in keys:
                keys[parent] = joined(parent, parent_columns)  # parents come first in STORE_TABLES
            child = joined(name, columns)
            found = pc.is_in(child, value_set=keys[parent])
            missing = pc.sum(pc.and_(pc.is_valid(child), pc.invert(found))).as_py() or 0
            if missing:
                problems.append(f"{name}: {missing} reference(s) to no row")
    return problems


def _without_row_checks(conn: Connection) -> bool:
    """Turn off the per-row foreign-key triggers for this transaction, if the role may; say whether.

    `session_replication_role = replica` skips ordinary triggers; the only ones an INSERT or COPY
    fires on these tables are the foreign-key checks (the append-only triggers fire on UPDATE,
    DELETE and TRUNCATE), and `_dangling` does those checks for the whole batch instead. It needs
    a superuser or, from PostgreSQL 15, `GRANT SET ON PARAMETER session_replication_role TO
    <role>`; without that the triggers stay on and check every row as before. Unique keys and
    NOT NULL are constraints, not triggers: they hold either way.
    """
    try:
        with conn.begin_nested():
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
    except DBAPIError:
        return False
    return True


def _references(table: Table) -> list[tuple[list[str], str, list[str]]]:
    """(columns, parent table, parent columns) of each foreign key of `table`, from the schema."""
    return [
        ([e.parent.name for e in fk.elements], fk.referred_table.name, [e.column.name for e in fk.elements])
        for fk in sorted(table.foreign_key_constraints, key=lambda fk: fk.name or "")
    ]
