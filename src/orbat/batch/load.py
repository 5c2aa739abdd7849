"""`orbat batch load`: the Parquet tables of a batch run into the knowledge base, in bulk.

Same ids and the same idempotency rules as `orbat ingest` (the rows were built by the same
`store.rows.record_rows` in the Spark task), so loading twice, or loading what was also
ingested, adds nothing. Speed comes from `Store.save_many`, the write path `orbat ingest`
uses too: documents the store has never seen go in with one bulk insert per table (PostgreSQL
`COPY`, SQLite `executemany`), everything else one document per savepoint, so one bad document
still fails alone. On PostgreSQL the entity and claim rows travel as the JSON the Spark task wrote
and the server splits them into columns (`json_populate_record`), which spares decoding and
re-encoding them in Python.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError

from orbat.batch.output import local_output, table_files
from orbat.batch.rows import record_rows_from_tables
from orbat.ingest import IngestResult, IngestSummary
from orbat.store import SaveResult, Store, bulk
from orbat.store.rows import ClaimRows, RecordRows
from orbat.store.schema import claim_actors, claim_equipment, claims, entities

BATCH_DOCUMENTS = 1000
PG_WRITERS = 2  # PostgreSQL connections writing batches at once (`load(writers=…)`)


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
    connection, while the next one is read: the server's work for a batch (splitting the JSON,
    index and foreign-key checks) is most of the load and runs on one core per connection.
    Batches hold distinct documents except when the folder repeats one; two writers racing on
    the same document are settled by the unique keys and the careful path, as for two `orbat
    ingest` processes. SQLite has one writer at a time whatever the number of connections.
    """
    from orbat.observation_index import ensure_fresh

    folder = local_output(path)
    if writers is None:
        writers = PG_WRITERS if store.backend == "postgresql" else 1
    summary, started = IngestSummary(), time.monotonic()

    def count(month: str, batch: list[_StagedDocument], results: list[SaveResult | Exception]) -> None:
        _count(batch, results, summary)
        rate = summary.total / max(time.monotonic() - started, 1e-6)
        log(f"orbat batch load: {summary.total} documents ({month}), {rate:.0f} docs/s")

    batches = _document_batches(folder, batch_documents)
    if writers <= 1:
        for month, batch in batches:
            count(month, batch, _load_batch(store, batch))
    else:
        with ThreadPoolExecutor(max_workers=writers, thread_name_prefix="orbat-load") as pool:
            in_flight: deque[tuple[str, list[_StagedDocument], Future]] = deque()
            for month, batch in batches:
                in_flight.append((month, batch, pool.submit(_load_batch, store, batch)))
                while len(in_flight) >= writers:  # counted in order, so failures are listed in order
                    month_done, batch_done, future = in_flight.popleft()
                    count(month_done, batch_done, future.result())
            for month_done, batch_done, future in in_flight:
                count(month_done, batch_done, future.result())
    ensure_fresh(store)
    return summary


@dataclass(slots=True)
class _StagedDocument:
    """One document of the batch tables, its entity and claim rows still as the JSON the task wrote.

    Decoding that JSON in Python cost more than everything else `batch load` does on
    PostgreSQL, where the server can split it into columns itself (`_copy_staged`); the rows
    are decoded here only for SQLite and for documents the store already knows.
    """

    document: dict[str, Any]  # the `documents` table row
    entities: list[str]  # `store_row` of each entity, in position order
    claims: list[str]  # `store_rows` of each claim, in position order

    def head(self) -> RecordRows:
        """The document, capture, sighting and run rows, without entities and claims."""
        return record_rows_from_tables(self.document, [], [])

    def rows(self) -> RecordRows:
        """Every row, decoded: what `Store.save_many` takes."""
        head = self.head()
        head.entities = [json.loads(text) for text in self.entities]
        head.claims = [
            ClaimRows(parts["claim"], parts["equipment"], parts["actors"]) for parts in map(json.loads, self.claims)
        ]
        return head


def _document_batches(folder: Path, size: int) -> Iterator[tuple[str, list[_StagedDocument]]]:
    """Month by month, so memory holds one month of entities and claims at a time."""
    months = sorted({p.parent.name for p in table_files(folder, "documents")})
    for month in months:
        entities = _json_by_document(folder / "entities" / month, "store_row")
        claims = _json_by_document(folder / "claims" / month, "store_rows")
        batch: list[_StagedDocument] = []
        for file in sorted((folder / "documents" / month).glob("*.parquet")):
            for document in _read(file, DOCUMENT_COLUMNS).to_pylist():
                doc_id = document["document_id"]
                # `get`, not `pop`: the same bytes read from two input files are two rows with one
                # id, and the copy whose batch commits first must carry the entities and claims.
                batch.append(_StagedDocument(document, entities.get(doc_id, []), claims.get(doc_id, [])))
                if len(batch) >= size:
                    yield month, batch
                    batch = []
        if batch:
            yield month, batch


#: What loading needs of the documents table; its largest column, `record` (the whole
#: extraction record as JSON, for readers of the Parquet), is left on disk.
DOCUMENT_COLUMNS = ["document_id", "origin", "content_type", "raw", "store_rows"]


def _read(file: Path, columns: list[str] | None = None) -> Any:
    import pyarrow.parquet as pq

    return pq.read_table(file, columns=columns)


def _json_by_document(folder: Path, column: str) -> dict[str, list[str]]:
    """The JSON column of a month's entity or claim files, per document, in position order.

    A document extracted twice (the same bytes in two input files) has its rows twice, the same
    rows under the same ids: each position is kept once.
    """
    found: dict[str, dict[int, str]] = defaultdict(dict)
    for file in sorted(folder.glob("*.parquet")):
        table = _read(file, ["document_id", "position", column])
        for doc_id, position, text in zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True):
            found[doc_id].setdefault(position if position is not None else 0, text)
    return {doc_id: [rows[p] for p in sorted(rows)] for doc_id, rows in found.items()}


def _load_batch(store: Store, batch: list[_StagedDocument]) -> list[SaveResult | Exception]:
    """Save one batch: stored duplicates are told apart first, the rest written in bulk or with care."""
    heads = [staged.head() for staged in batch]
    with store.engine.connect() as conn:
        duplicates = bulk.stored_duplicates(conn, heads)
    results: list[SaveResult | Exception | None] = [None] * len(batch)
    for position in duplicates:
        head = heads[position]
        results[position] = SaveResult(head.document["id"], "duplicate", head.run["id"], 0, False, "sha256")
    rest = [position for position in range(len(batch)) if position not in duplicates]
    if rest:
        if store.backend == "postgresql":
            saved = _save_staged(store, [batch[i] for i in rest], [heads[i] for i in rest])
        else:
            saved = store.save_many([batch[i].rows() for i in rest])
        for position, result in zip(rest, saved, strict=True):
            results[position] = result
    return results  # type: ignore[return-value]  (every position was filled above)


def _count(batch: list[_StagedDocument], results: list[SaveResult | Exception], summary: IngestSummary) -> None:
    for staged, result in zip(batch, results, strict=True):
        origin = staged.document["origin"]
        if isinstance(result, Exception):  # one bad document fails alone
            summary.add(IngestResult(origin, "failed", reason=f"{type(result).__name__}: {str(result)[:200]}"))
        else:
            summary.add(IngestResult(origin, result.status, result.document_id, result.claims))


def _save_staged(
    store: Store, batch: list[_StagedDocument], heads: list[RecordRows]
) -> list[SaveResult | Exception]:
    """PostgreSQL: new documents in one transaction with the JSON split by the server; the rest as ingest does.

    Documents the store knows (or that repeat one earlier in the batch), and every document
    when the bulk write fails, go through `Store.save_many` after it, so the idempotency rules
    and the per-document isolation are exactly `orbat ingest`'s.
    """
    try:
        with store._write() as conn:
            # Each statement's row estimate (json_populate_record over a temporary table) is far
            # above the JIT threshold; compiling it cost more than it saved on every batch.
            conn.exec_driver_sql("SET LOCAL jit = off")
            fresh, known = bulk.split_fresh(conn, heads)
            if fresh:
                _copy_staged(conn, [batch[i] for i in fresh], [heads[i] for i in fresh])
    except Exception:  # noqa: BLE001  (some document is bad: every one through the careful path)
        fresh, known = [], list(range(len(batch)))
    results: list[SaveResult | Exception | None] = [None] * len(batch)
    for position in fresh:
        head = heads[position]
        results[position] = SaveResult(
            head.document["id"], "new", head.run["id"], len(batch[position].claims), sighting_added=True
        )
    for position, result in zip(known, store.save_many([batch[i].rows() for i in known]), strict=True):
        results[position] = result
    return results  # type: ignore[return-value]  (every position was filled above)


#: From the staged JSON to the tables, parents first. The JSON keys are the column names (the
#: rows `store.rows.record_rows` built), so `json_populate_record` fills every column. Each claim's
#: JSON is parsed once into its three parts (as text, which needs no second parse to store);
#: parsing all of it again for each of the three tables cost as much as the rest of the load.
#: Each insert is paired with its table, whose foreign keys `_checked` verifies for the batch.
_PARTS = (
    "CREATE TEMPORARY TABLE orbat_load_parts ON COMMIT DROP AS SELECT p.* FROM orbat_load_claims s, "
    "json_to_record(s.j::json) AS p(claim text, equipment text, actors text)"
)
_STAGED_INSERTS: tuple[tuple[Table, str], ...] = (
    (entities, "INSERT INTO entities SELECT r.* FROM orbat_load_entities s, "
               "json_populate_record(NULL::entities, s.j::json) r"),
    (claims, "INSERT INTO claims SELECT r.* FROM orbat_load_parts p, "
             "json_populate_record(NULL::claims, p.claim::json) r"),
    (claim_equipment, "INSERT INTO claim_equipment SELECT r.* FROM orbat_load_parts p, "
                      "json_populate_recordset(NULL::claim_equipment, p.equipment::json) r"),
    (claim_actors, "INSERT INTO claim_actors SELECT r.* FROM orbat_load_parts p, "
                   "json_populate_recordset(NULL::claim_actors, p.actors::json) r"),
)


def _copy_staged(conn: Connection, staged: list[_StagedDocument], heads: list[RecordRows]) -> None:
    """COPY the documents' own rows, COPY the entity and claim JSON into temporary tables, split it there.

    Foreign keys are checked once per batch and table (`_checked`, `_missing_in_heads`) rather than
    by PostgreSQL's trigger per row (about 53,000 per 1,000 documents, each a query and a row
    lock), when the role may turn those triggers off for the transaction (`_without_row_checks`).
    A reference found missing raises, which sends the whole batch down the careful path.
    """
    row_checks_off = _without_row_checks(conn)
    bulk.insert_fresh(conn, "postgresql", heads)  # heads hold no entities or claims
    missing = _missing_in_heads(conn, heads)
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:
        for table, texts in (
            ("orbat_load_entities", [t for s in staged for t in s.entities]),
            ("orbat_load_claims", [t for s in staged for t in s.claims]),
        ):
            # text, not json: the cast in `_STAGED_INSERTS` parses it, COPY need not parse it too
            cursor.execute(f"CREATE TEMPORARY TABLE {table} (j text) ON COMMIT DROP")
            with cursor.copy(f"COPY {table} (j) FROM STDIN") as copy:
                for text in texts:
                    copy.write_row((text,))
        cursor.execute(_PARTS)
        for table, statement in _STAGED_INSERTS:
            found = cursor.execute(_checked(statement, table)).fetchone()
            missing += [f"{table.name}: {n} reference(s) to no row" for n in found or () if n]
    if missing:
        raise ValueError(f"batch refers to rows that do not exist ({'; '.join(missing)}); "
                         f"row checks {'off' if row_checks_off else 'on'}")


def _without_row_checks(conn: Connection) -> bool:
    """Turn off the per-row foreign-key triggers for this transaction, if the role may; say whether.

    `session_replication_role = replica` skips ordinary triggers; the only ones an INSERT fires on
    these tables are the foreign-key checks (the append-only triggers fire on UPDATE, DELETE and
    TRUNCATE), and `_checked` does those checks for the whole batch instead. It needs a superuser
    or, from PostgreSQL 15, `GRANT SET ON PARAMETER session_replication_role TO <role>`; without
    that the triggers stay on and check every row as before (the set-based checks still run).
    Unique keys and NOT NULL are constraints, not triggers: they hold either way.
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


def _checked(insert: str, table: Table) -> str:
    """`insert` returning its rows' references, and per foreign key the number of them with no parent.

    Distinct references only, each looked up once by the parent's key: the set-based form of the
    check PostgreSQL's trigger makes per row. A parent can only be missing if never inserted, since
    nothing is ever deleted from these tables (append-only triggers).
    """
    references = _references(table)
    returned = sorted({c for columns, _parent, _keys in references for c in columns})
    counts = []
    for columns, parent, keys in references:
        present = " AND ".join(f"k.{c} IS NOT NULL" for c in columns)
        match = " AND ".join(f"p.{key} = k.{c}" for c, key in zip(columns, keys, strict=True))
        counts.append(f"(SELECT count(*) FROM (SELECT DISTINCT {', '.join(columns)} FROM added) k "
                      f"WHERE {present} AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match}))")
    return f"WITH added AS ({insert} RETURNING {', '.join(returned)}) SELECT {', '.join(counts)}"


def _missing_in_heads(conn: Connection, heads: list[RecordRows]) -> list[str]:
    """The foreign keys of the rows COPY wrote (captures, sightings, runs), checked the same way."""
    missing = []
    for table, part in bulk.BULK_ORDER[:4]:
        rows = bulk.table_rows(heads, part)
        for columns, parent, keys in _references(table):
            values = sorted({key for key in (tuple(row[c] for c in columns) for row in rows) if None not in key})
            if not values:
                continue
            arrays = ", ".join(f"%(c{i})s::text[]" for i in range(len(columns)))
            match = " AND ".join(f"p.{key} = k.c{i}" for i, key in enumerate(keys))
            query = (f"SELECT count(*) FROM unnest({arrays}) AS k({', '.join(f'c{i}' for i in range(len(columns)))}) "
                     f"WHERE NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})")
            params = {f"c{i}": [v[i] for v in values] for i in range(len(columns))}
            with conn.connection.driver_connection.cursor() as cursor:
                count = cursor.execute(query, params).fetchone()[0]
            if count:
                missing.append(f"{table.name}: {count} reference(s) to no row")
    return missing
