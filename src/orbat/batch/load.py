"""`orbat batch load`: the Parquet tables of a batch run into the knowledge base, in bulk.

Same ids and the same idempotency rules as `orbat ingest` (the rows were built by the same
`store.rows.record_rows` in the Spark task), so loading twice, or loading what was also
ingested, adds nothing. Speed comes from writing many documents per transaction: documents
the store has never seen (neither their hash nor their canonical URL) go in with one bulk
insert per table (PostgreSQL `COPY`, SQLite `executemany`); everything else, and every document
of a batch whose bulk write failed, goes through `Store.save_rows` one document per transaction,
so one bad document still fails alone.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert, or_, select

from orbat.batch.output import local_output, table_files
from orbat.batch.rows import record_rows_from_tables
from orbat.ingest import IngestResult, IngestSummary
from orbat.store import Store
from orbat.store.rows import RecordRows
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

BATCH_DOCUMENTS = 1000
#: Parent tables before children, as the foreign keys require.
BULK_ORDER: tuple[tuple[Table, str], ...] = (
    (documents, "document"), (captures, "capture"), (sightings, "sighting"), (extraction_runs, "run"),
    (entities, "entities"), (claims, "claims"), (claim_equipment, "equipment"), (claim_actors, "actors"))


def load(path: str, store: Store, *, batch_documents: int = BATCH_DOCUMENTS,
         log: Callable[[str], None] = print) -> IngestSummary:
    """Load every published document of a batch output folder into `store`; counted as ingest counts."""
    from orbat.observation_index import ensure_fresh

    folder = local_output(path)
    summary, started = IngestSummary(), time.monotonic()
    for month, batch in _document_batches(folder, batch_documents):
        _load_batch(store, batch, summary)
        rate = summary.total / max(time.monotonic() - started, 1e-6)
        log(f"orbat batch load: {summary.total} documents ({month}), {rate:.0f} docs/s")
    ensure_fresh(store)
    return summary


def _document_batches(folder: Path, size: int) -> Iterator[tuple[str, list[RecordRows]]]:
    """Month by month, so memory holds one month of entities and claims at a time."""
    import pyarrow.parquet as pq

    months = sorted({p.parent.name for p in table_files(folder, "documents")})
    for month in months:
        parts: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for table in ("entities", "claims"):
            grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for file in sorted((folder / table / month).glob("*.parquet")):
                for row in pq.read_table(file).to_pylist():
                    grouped[row["document_id"]].append(row)
            parts[table] = grouped
        batch: list[RecordRows] = []
        for file in sorted((folder / "documents" / month).glob("*.parquet")):
            for document in pq.read_table(file).to_pylist():
                doc_id = document["document_id"]
                batch.append(record_rows_from_tables(document, parts["entities"].get(doc_id, []),
                                                     parts["claims"].get(doc_id, [])))
                if len(batch) >= size:
                    yield month, batch
                    batch = []
        if batch:
            yield month, batch


def _load_batch(store: Store, batch: list[RecordRows], summary: IngestSummary) -> None:
    try:
        with store._write() as conn:
            fresh, known = _split_fresh(conn, batch)
            _bulk_insert(conn, store.backend, fresh)
    except Exception:  # the bulk path failed as a whole: every document on its own instead
        fresh, known = [], batch
    for rows in fresh:
        summary.add(IngestResult(rows.document["origin"], "new", rows.document["id"], len(rows.claims)))
    for rows in known:
        origin = rows.document["origin"]
        try:
            result = store.save_rows(rows)
        except Exception as exc:  # one bad document fails alone
            summary.add(IngestResult(origin, "failed", reason=f"{type(exc).__name__}: {str(exc)[:200]}"))
            continue
        summary.add(IngestResult(origin, result.status, result.document_id, result.claims))


def _split_fresh(conn: Connection, batch: list[RecordRows]) -> tuple[list[RecordRows], list[RecordRows]]:
    """Documents whose hash and canonical URL are both new to the store (and to this batch)."""
    ids = [r.document["id"] for r in batch]
    urls = [r.document["canonical_url"] for r in batch if r.document["canonical_url"]]
    seen_ids, seen_urls = set(), set()
    for start in range(0, max(len(ids), len(urls)), 500):
        condition = or_(documents.c.id.in_(ids[start:start + 500]),
                        documents.c.canonical_url.in_(urls[start:start + 500]))
        for doc_id, url in conn.execute(select(documents.c.id, documents.c.canonical_url).where(condition)):
            seen_ids.add(doc_id)
            seen_urls.add(url)
    fresh, known = [], []
    for rows in batch:
        doc = rows.document
        if doc["id"] in seen_ids or (doc["canonical_url"] and doc["canonical_url"] in seen_urls):
            known.append(rows)
            continue
        seen_ids.add(doc["id"])
        if doc["canonical_url"]:
            seen_urls.add(doc["canonical_url"])
        fresh.append(rows)
    return fresh, known


def _table_rows(batch: list[RecordRows], part: str) -> list[dict[str, Any]]:
    if part in ("document", "capture", "sighting", "run"):
        return [getattr(rows, part) for rows in batch]
    if part == "entities":
        return [row for rows in batch for row in rows.entities]
    if part == "claims":
        return [parts.claim for rows in batch for parts in rows.claims]
    return [row for rows in batch for parts in rows.claims for row in getattr(parts, part)]


def _bulk_insert(conn: Connection, backend: str, batch: list[RecordRows]) -> None:
    for table, part in BULK_ORDER:
        rows = _table_rows(batch, part)
        if not rows:
            continue
        if backend == "postgresql":
            _copy(conn, table, rows)
        else:
            conn.execute(insert(table), rows)


def _copy(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL COPY FROM STDIN through psycopg 3, JSON columns sent as text."""
    columns = [c for c in table.columns if c.name in rows[0]]
    is_json = [isinstance(c.type, JSON) for c in columns]
    names = ", ".join(f'"{c.name}"' for c in columns)
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c.name]) if j and row[c.name] is not None else row[c.name]
                            for c, j in zip(columns, is_json, strict=True)])
