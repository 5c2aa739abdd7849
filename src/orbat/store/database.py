"""Opening the knowledge base and writing to it: whole documents, alone or many per transaction.

`open_store("orbat.db")` gives a SQLite file (WAL, foreign keys on, nothing to install);
`open_store("postgresql://…")` the same schema on PostgreSQL through psycopg 3. The schema is
migrated on open. `Store.save` writes a whole extraction record or nothing; `Store.save_many`
writes a batch in one transaction with a savepoint per document, so a bad document still fails
alone. Either way a crash, a kill or an error part-way leaves no half-written document
(RELIABILITY row 29), and because every id is a content hash, running the same ingest again
adds nothing twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event, func, insert, or_, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.pool import QueuePool, SingletonThreadPool

from orbat.errors import UserError
from orbat.gc_pause import collector_paused
from orbat.model import ClaimFact, ExtractionRecord
from orbat.store import bulk, migrate, read
from orbat.store.rows import ClaimRows, RecordRows, now, record_rows, storable, store_json
from orbat.store.schema import (
    captures,
    claim_actors,
    claim_equipment,
    claims,
    documents,
    entities,
    extraction_runs,
    ingest_errors,
    sightings,
)
from orbat.store.types import DocumentInfo, SaveResult, StoredDocument, StoreStats
from orbat.validate import check_record

SQLITE_BUSY_TIMEOUT_S = 30.0
SAVE_ATTEMPTS = 3  # concurrent writers on PostgreSQL can race on a new document; the retry sees it


def prepare_rows(record: ExtractionRecord) -> RecordRows:
    """Every row `Store.save` would write for a record, out-of-bounds values dropped first.

    Done before any transaction opens, so a record storage refuses (`RecordError`) fails
    without touching the database, and batches hold rows ready to write.
    """
    check_record(record)
    return record_rows(record)


class StoreError(UserError):
    """The database cannot be opened or used; the message says which and why."""


def database_url(url_or_path: str) -> str:
    """Map what a user types (`--db`, `ORBAT_DB`) to an SQLAlchemy URL."""
    value = url_or_path.strip()
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    if value.startswith(("postgresql+psycopg://", "sqlite://")):
        return value
    if "://" in value:
        raise StoreError(f"{value}: not a SQLite file path or a postgresql:// URL")
    path = Path(value).expanduser()
    if not path.parent.exists():
        raise StoreError(f"{value}: folder {path.parent} does not exist")
    return f"sqlite:///{path.resolve()}"


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and our own BEGIN so DDL and `BEGIN IMMEDIATE` work as documented."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # sqlite3 module stops issuing its own BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode survives a killed process (the SIGKILL test); only an OS crash or power
        # loss may drop the last commits, never corrupt the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def create_engine_for(url_or_path: str, *, threaded: bool = False) -> Engine:
    """An engine; `threaded` for servers whose requests run on a changing pool of threads."""
    url = database_url(url_or_path)
    if url.startswith("sqlite"):
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
        if threaded:
            # SingletonThreadPool closes the connections of older threads once more threads than
            # its size have used it, even while they are in use: fatal under a server's thread
            # pool, whose idle workers come and go. A queue hands whole connections over instead.
            engine = create_engine(url, poolclass=QueuePool, pool_size=8, max_overflow=32,
                                   connect_args=connect_args, json_serializer=store_json)
        else:
            # One pooled connection per thread: opening a connection per save would run the PRAGMAs
            # and checkpoint the WAL every time (most of ingest's cost).
            engine = create_engine(url, poolclass=SingletonThreadPool, connect_args=connect_args,
                                   json_serializer=store_json)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10}, json_serializer=store_json)


def open_store(url_or_path: str, *, threaded: bool = False) -> Store:
    """Open (creating and migrating as needed) the database named by a path or URL."""
    engine = create_engine_for(url_or_path, threaded=threaded)
    try:
        migrate.upgrade(engine)
    except migrate.MigrationError as exc:
        engine.dispose()
        raise StoreError(f"{url_or_path}: cannot migrate the schema ({exc}); is this orbat too old?") from exc
    except migrate.BackupError as exc:
        engine.dispose()
        raise StoreError(
            f"{url_or_path}: the schema needs a migration, and the backup taken before it failed "
            f"({exc}); nothing was changed. Fix that, or back the database up yourself and set "
            "ORBAT_MIGRATE_WITHOUT_BACKUP=1"
        ) from exc
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise StoreError(f"{url_or_path}: cannot open the database ({_reason(exc)})") from exc
    return Store(engine)


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__


class Store:
    """The knowledge base: documents, runs, claims. Writes append; nothing is overwritten."""

    def __init__(self, engine: Engine):
        self.engine = engine

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- writing ----------------------------------------------------------------------------

    def save(self, record: ExtractionRecord) -> SaveResult:
        """Store one document's extraction in one transaction, or nothing at all.

        Out-of-bounds values are dropped first (`orbat.validate`), whoever built the record.
        """
        return self.save_rows(prepare_rows(record))

    def save_rows(self, rows: RecordRows) -> SaveResult:
        """Store rows already built by `record_rows` from a checked record (batch load: in Spark tasks)."""
        for attempt in range(1, SAVE_ATTEMPTS + 1):
            try:
                with self._write() as conn, collector_paused():  # rows are acyclic: see `collector_paused`
                    return _save_rows(conn, rows)
            except IntegrityError:
                if attempt == SAVE_ATTEMPTS:
                    raise
        raise AssertionError("unreachable")

    def save_many(self, batch: Sequence[RecordRows]) -> list[SaveResult | Exception]:
        """Store many documents in one transaction; each gets a result or the error that sank it.

        Documents new to the store go in together (`bulk.insert_fresh`); the others, and all of
        them when that bulk write fails, go one by one, each inside its own savepoint, so a bad
        document rolls back alone and the rest of the batch commits. A document that lost a race
        with another writer (IntegrityError) is tried again on its own, as `save_rows` would.
        When the batch transaction itself cannot commit, every document is saved on its own.
        """
        if not batch:
            return []
        try:
            with self._write() as conn, collector_paused():  # rows are acyclic: see `collector_paused`
                results = _save_many(conn, self.backend, batch)
        except Exception:  # noqa: BLE001  (the commit failed: nothing of the batch is stored)
            results = [self._save_alone(rows) for rows in batch]
        for position, result in enumerate(results):
            if isinstance(result, IntegrityError):
                results[position] = self._save_alone(batch[position])
        return results

    def _save_alone(self, rows: RecordRows) -> SaveResult | Exception:
        try:
            return self.save_rows(rows)
        except Exception as exc:  # noqa: BLE001  (reported per document by the caller)
            return exc

    def record_error(self, origin: str, external_id: str | None, error: str) -> bool:
        """Keep one failed source as an `ingest_errors` row; False if even that cannot be written.

        Never raises: the batch that failed on this source must go on to the next one.
        """
        row = storable({"origin": origin[:2000], "external_id": external_id and external_id[:500],
                        "error": error[:4000], "created": now()})
        try:
            with self._write() as conn:
                conn.execute(insert(ingest_errors), row)
        except Exception:  # noqa: BLE001  (a database that refuses even this is reported by the next save)
            return False
        return True

    def ingest_errors(self, limit: int = 1000) -> list[dict[str, Any]]:
        """The latest failed sources, newest first."""
        with self.engine.connect() as conn:
            query = select(ingest_errors).order_by(ingest_errors.c.id.desc()).limit(limit)
            return [dict(row._mapping) for row in conn.execute(query)]

    def _write(self):
        """A transaction that holds SQLite's write lock from BEGIN, so readers never upgrade."""
        return _WriteTransaction(self.engine)

    # --- reading ----------------------------------------------------------------------------

    def facts(self, **filters: Any) -> list[ClaimFact]:
        """Facts filtered as in `read.facts_query` (document_id, place_country, equipment, ...)."""
        with self.engine.connect() as conn:
            return read.load_facts(conn, read.facts_query(**filters))

    def documents(self, limit: int | None = None, offset: int = 0) -> list[DocumentInfo]:
        with self.engine.connect() as conn:
            return read.list_documents(conn, limit, offset)

    def document(self, ref: str) -> StoredDocument | None:
        """A document by id or unambiguous hash prefix, with runs and sightings; None if unknown."""
        with self.engine.connect() as conn:
            document_id = read.resolve_document_id(conn, ref)
            return read.get_document(conn, document_id) if document_id else None

    def capture(self, document_id: str) -> bytes | None:
        """The raw bytes as acquired, unchanged."""
        with self.engine.connect() as conn:
            return conn.execute(select(captures.c.raw).where(captures.c.document_id == document_id)).scalar()

    def record(self, document_id: str, run_id: str | None = None) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            return read.record_json(conn, document_id, run_id)

    def stats(self) -> StoreStats:
        with self.engine.connect() as conn:
            def count(table) -> int:
                return conn.execute(select(func.count()).select_from(table)).scalar_one()

            facts = conn.execute(select(func.count()).select_from(
                claims.outerjoin(claim_equipment, claim_equipment.c.claim_id == claims.c.id))).scalar_one()
            versions = conn.execute(select(extraction_runs.c.extractor, extraction_runs.c.catalog)
                                    .distinct()).all()
            return StoreStats(documents=count(documents), sightings=count(sightings),
                              runs=count(extraction_runs), entities=count(entities), claims=count(claims),
                              facts=facts, extractors=sorted({v[0] for v in versions}),
                              catalogs=sorted({v[1] for v in versions}), backend=self.backend,
                              ingest_errors=count(ingest_errors))


INSERT_BATCH = 2000


class _WriteTransaction:
    """Context manager: connection + transaction, committed on success, rolled back otherwise."""

    def __init__(self, engine: Engine):
        self.conn = engine.connect()

    def __enter__(self) -> Connection:
        self.conn.execution_options(sqlite_begin="IMMEDIATE")
        self.conn.begin()
        return self.conn

    def __exit__(self, exc_type: type[BaseException] | None, *_rest: object) -> None:
        try:
            if exc_type is None:
                self.conn.commit()
            else:
                self.conn.rollback()
        finally:
            self.conn.close()


def _save_many(conn: Connection, backend: str, batch: Sequence[RecordRows]) -> list[SaveResult | Exception]:
    results: list[SaveResult | Exception | None] = [None] * len(batch)
    fresh, known = bulk.split_fresh(conn, batch)
    if fresh:
        savepoint = conn.begin_nested()
        try:
            bulk.insert_fresh(conn, backend, [batch[i] for i in fresh])
            savepoint.commit()
        except Exception:  # noqa: BLE001  (some document is bad: find it one by one below)
            savepoint.rollback()
            fresh, known = [], sorted(fresh + known)
    for position in fresh:
        rows = batch[position]
        results[position] = SaveResult(rows.document["id"], "new", rows.run["id"], len(rows.claims),
                                       sighting_added=True)
    for position in known:
        savepoint = conn.begin_nested()
        try:
            results[position] = _save_rows(conn, batch[position])
            savepoint.commit()
        except Exception as exc:  # noqa: BLE001  (this document fails alone)
            savepoint.rollback()
            results[position] = exc
    return results  # type: ignore[return-value]  (every position was filled above)


def _existing_document(conn: Connection, rows: RecordRows) -> tuple[str, str] | None:
    """(stored id, how it matched) for the same bytes or the same canonical URL, else None."""
    document_id, canonical = rows.document["id"], rows.document["canonical_url"]
    condition = documents.c.id == document_id
    if canonical:
        condition = or_(condition, documents.c.canonical_url == canonical)
    found = conn.execute(select(documents.c.id).where(condition)).scalars().all()
    if document_id in found:
        return document_id, "sha256"
    return (found[0], "canonical_url") if found else None


def _add_sighting(conn: Connection, rows: RecordRows, document_id: str) -> bool:
    """Record where the source was seen, unless this very sighting is already stored."""
    row = {**rows.sighting, "document_id": document_id}
    if conn.execute(select(sightings.c.id).where(sightings.c.key == row["key"])).first():
        return False
    conn.execute(insert(sightings), row)
    return True


def _save_rows(conn: Connection, rows: RecordRows) -> SaveResult:
    run_id = rows.run["id"]
    existing = _existing_document(conn, rows)
    if existing is None:
        conn.execute(insert(documents), rows.document)
        conn.execute(insert(captures), rows.capture)
        _add_sighting(conn, rows, rows.document["id"])
        _insert_run(conn, rows)
        return SaveResult(rows.document["id"], "new", run_id, len(rows.claims), sighting_added=True)
    document_id, matched = existing
    if matched == "canonical_url":
        return _save_version(conn, rows, document_id)
    sighted = _add_sighting(conn, rows, document_id)
    if conn.execute(select(extraction_runs.c.id).where(extraction_runs.c.id == run_id)).first():
        return SaveResult(document_id, "duplicate", run_id, 0, sighted, matched)
    _insert_run(conn, rows)
    return SaveResult(document_id, "reprocessed", run_id, len(rows.claims), sighted, matched)


def _save_version(conn: Connection, rows: RecordRows, first_id: str) -> SaveResult:
    """Other bytes under a known URL (the page was edited): a new version of that document.

    It gets its own row, capture and claims (offsets point into its own text) and
    `version_of` names the first version, which keeps the canonical URL (unique).
    """
    version = {**rows.document, "canonical_url": None, "version_of": first_id}
    conn.execute(insert(documents), version)
    conn.execute(insert(captures), rows.capture)
    _add_sighting(conn, rows, version["id"])
    _insert_run(conn, rows)
    return SaveResult(version["id"], "new", rows.run["id"], len(rows.claims), True, "canonical_url")


def _insert_run(conn: Connection, rows: RecordRows) -> None:
    conn.execute(insert(extraction_runs), rows.run)
    _insert_rows(conn, entities, rows.entities)
    # In batches: one executemany over a 5 MB document's 40,000 claims held every serialised
    # parameter at once (and a fresh record's rows are built as they are read: `RowsOf`).
    for i in range(0, len(rows.claims), INSERT_BATCH):
        batch = rows.claims[i:i + INSERT_BATCH]
        _insert_rows(conn, claims, [parts.claim for parts in batch])
        _insert_claim_parts(conn, batch)


def _insert_claim_parts(conn: Connection, batch: Sequence[ClaimRows]) -> None:
    _insert_rows(conn, claim_equipment, [row for parts in batch for row in parts.equipment])
    _insert_rows(conn, claim_actors, [row for parts in batch for row in parts.actors])


def _insert_rows(conn: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """On SQLite without SQLAlchemy's per-row work (`bulk.sqlite_insert`), else one executemany."""
    if conn.dialect.name == "sqlite":
        bulk.sqlite_insert(conn, table, rows)
    elif rows := list(rows):
        conn.execute(insert(table), rows)
