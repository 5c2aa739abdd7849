"""From one source to the rows of the batch tables, and from those rows back to store rows.

Pure functions, no Spark: the same code runs in Spark tasks, in tests and in `batch load`.
The tables carry the exact rows `orbat ingest` would store (`store.rows.record_rows`): the
document, sighting and run rows as JSON (`store_rows`), and the entity, claim, claim equipment
and claim actor rows as typed columns named as the store's, JSON-valued columns as the very text
`orbat ingest` writes (`json.dumps`). So a batch-loaded knowledge base is the same, id for id and
byte for byte, as one built by `orbat ingest`, and `batch load` copies those columns into
PostgreSQL as they are, without decoding a row in Python or on the server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, Table

from orbat.acquire import SourceError
from orbat.model import ExtractionRecord, SourceDocument
from orbat.store.rows import ClaimRows, RecordRows, content_id, record_rows, store_json
from orbat.store.schema import claim_actors, claim_equipment, claims, entities

UNKNOWN_MONTH = "unknown"

#: The store tables whose rows travel as typed columns, each with the batch names of the columns
#: whose store name reads badly beside the others (`id`): everything else keeps the store's name.
STORE_TABLES: dict[str, tuple[Table, dict[str, str]]] = {
    "entities": (entities, {"id": "entity_id"}),
    "claims": (claims, {"id": "claim_id"}),
    "claim_equipment": (claim_equipment, {}),
    "claim_actors": (claim_actors, {}),
}


def _parquet_type(column: Any) -> str:
    if isinstance(column.type, JSON):
        return "string"  # the JSON text
    if isinstance(column.type, Boolean):
        return "boolean"
    if isinstance(column.type, Integer):
        return "bigint"
    if isinstance(column.type, Float):
        return "double"
    return "string"


@cache
def store_columns(table: str) -> dict[str, str]:
    """{store column: batch column} of a store table, in the store's column order."""
    schema_table, renamed = STORE_TABLES[table]
    return {c.name: renamed.get(c.name, c.name) for c in schema_table.columns}


@cache
def json_columns(table: str) -> frozenset[str]:
    """Batch names of a store table's JSON-valued columns (held as text in the Parquet)."""
    schema_table, renamed = STORE_TABLES[table]
    return frozenset(renamed.get(c.name, c.name) for c in schema_table.columns if isinstance(c.type, JSON))


def _with_store_columns(table: str, readers: dict[str, str]) -> dict[str, str]:
    """A table's columns for readers (DuckDB, pandas) first, then every store column not among them."""
    schema_table, renamed = STORE_TABLES[table]
    columns = {"document_id": "string", **readers}
    for column in schema_table.columns:
        columns.setdefault(renamed.get(column.name, column.name), _parquet_type(column))
    return {**columns, "month": "string"}


TABLES = ("documents", "entities", "claims", "claim_equipment", "claim_actors", "errors")

#: Parquet column types per table ("string", "bigint", "double", "boolean", "binary"); `month` partitions.
COLUMNS: dict[str, dict[str, str]] = {
    "documents": {"document_id": "string", "input_file": "string", "origin": "string", "url": "string",
                  "title": "string", "publisher": "string", "published": "string", "language": "string",
                  "claims": "bigint", "entities": "bigint", "extractor": "string", "catalog": "string",
                  "record": "string", "store_rows": "string", "content_type": "string", "raw": "binary",
                  "month": "string"},
    "entities": _with_store_columns("entities", {
        "run_id": "string", "entity_id": "string", "position": "bigint", "kind": "string", "name": "string",
        "catalog_id": "string", "country": "string", "lat": "double", "lon": "double", "feature": "string",
        "mentions": "string"}),
    "claims": _with_store_columns("claims", {
        "run_id": "string", "claim_id": "string", "position": "bigint", "event": "string",
        "certainty": "string", "date": "string", "place": "string", "place_country": "string",
        "equipment": "string", "actors": "string", "sentence_start": "bigint", "sentence_end": "bigint"}),
    "claim_equipment": _with_store_columns("claim_equipment", {}),
    "claim_actors": _with_store_columns("claim_actors", {}),
    "errors": {"key": "string", "input_file": "string", "origin": "string", "reason": "string",
               "month": "string"},
}

Tagged = tuple[str, dict[str, Any]]
Extractor = Callable[[SourceDocument], ExtractionRecord]


def month_of(published: str | None) -> str:
    """The partition a document goes to: its publication month, or `unknown`."""
    if published and len(published) >= 7 and published[4] == "-" and published[:4].isdigit():
        return published[:7]
    return UNKNOWN_MONTH


def source_key(item: SourceDocument | SourceError) -> str:
    """What makes a document 'already done': its content hash, or the origin of an unreadable one."""
    if isinstance(item, SourceError):
        return "origin:" + item.origin
    return content_id(item.raw)


def error_row(key: str, input_file: str, origin: str, reason: str) -> dict[str, Any]:
    return {"key": key, "input_file": input_file, "origin": origin, "reason": reason[:2000],
            "month": UNKNOWN_MONTH}


def extract_rows(item: SourceDocument | SourceError, input_file: str, extract: Extractor) -> list[Tagged]:
    """Every table row for one source; a failure of any kind is one `errors` row, never raised."""
    try:
        key = source_key(item)
    except Exception as exc:  # a text that cannot even be hashed (lone surrogates)
        return [("errors", error_row("origin:" + item.origin, input_file, item.origin,
                                     f"{type(exc).__name__}: {exc}"))]
    if isinstance(item, SourceError):
        return [("errors", error_row(key, input_file, item.origin, f"{item.code}: {item.reason}"))]
    try:
        record = extract(item)
        return _record_tables(record, input_file)
    except Exception as exc:  # one bad document must not fail the job
        return [("errors", error_row(key, input_file, item.origin, f"{type(exc).__name__}: {_first_line(exc)}"))]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _record_tables(record: ExtractionRecord, input_file: str) -> list[Tagged]:
    rows = record_rows(record)
    doc = rows.document
    month = month_of(doc["published"])
    document_id = doc["id"]
    store_rows = {"document": doc, "sighting": rows.sighting, "run": rows.run}
    out: list[Tagged] = [("documents", {
        "document_id": document_id, "input_file": input_file, "origin": doc["origin"], "url": doc["url"],
        "title": doc["title"], "publisher": doc["publisher"], "published": doc["published"],
        "language": doc["language"], "claims": len(rows.claims), "entities": len(rows.entities),
        "extractor": record.extractor, "catalog": record.catalog,
        "record": _record_json(record.to_json()),
        "store_rows": _dumps(store_rows), "content_type": rows.capture["content_type"],
        "raw": rows.capture["raw"], "month": month})]
    out.extend(store_table_rows(document_id, month, rows.entities, rows.claims))
    return out


def store_table_rows(document_id: str, month: str, entity_rows: list[dict[str, Any]],
                     claim_rows: list[ClaimRows]) -> list[Tagged]:
    """The entity, claim, claim equipment and claim actor rows of one document, as batch table rows."""
    out: list[Tagged] = []
    for entity in entity_rows:
        row = _typed("entities", document_id, month, entity)
        row["mentions"] = _dumps(entity["record"].get("mentions", []))
        out.append(("entities", row))
    for parts in claim_rows:
        claim = parts.claim
        row = _typed("claims", document_id, month, claim)
        row["place"] = claim.get("place_name")
        row["equipment"] = _dumps([e.get("name") for e in parts.equipment])
        row["actors"] = _dumps([{"name": a.get("name"), "role": a.get("role")} for a in parts.actors])
        out.append(("claims", row))
        out.extend(("claim_equipment", _typed("claim_equipment", document_id, month, e)) for e in parts.equipment)
        out.extend(("claim_actors", _typed("claim_actors", document_id, month, a)) for a in parts.actors)
    return out


@cache
def _typed_columns(table: str) -> tuple[tuple[str, str, bool], ...]:
    """(store name, batch name, JSON-valued) of a store table's columns, in the store's order."""
    json_valued = json_columns(table)
    return tuple((store, batch, batch in json_valued) for store, batch in store_columns(table).items())


def _typed(table: str, document_id: str, month: str, row: dict[str, Any]) -> dict[str, Any]:
    typed = {"document_id": document_id, "month": month}
    get = row.get
    for store_name, batch_name, is_json in _typed_columns(table):
        value = get(store_name)
        typed[batch_name] = store_json(value) if is_json and value is not None else value
    return typed


#: `json.dumps(value, ensure_ascii=False, separators=(",", ":"))`, made once: with arguments,
#: `json.dumps` builds a new encoder on every call, which cost more than encoding a short list.
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: `json.dumps(value, ensure_ascii=False)`, the documents table's `record` text, made once.
_record_json = json.JSONEncoder(ensure_ascii=False).encode


def legacy_table_rows(document_id: str, month: str, entity_jsons: Iterable[str],
                      claim_jsons: Iterable[str]) -> list[Tagged]:
    """Rows of an output written before the typed columns (`store_row` / `store_rows` JSON), typed."""
    entity_rows = [json.loads(text) for text in entity_jsons]
    claim_rows = [ClaimRows(p["claim"], p["equipment"], p["actors"]) for p in map(json.loads, claim_jsons)]
    return store_table_rows(document_id, month, entity_rows, claim_rows)


def store_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A batch table row back to the store row it came from (JSON-valued columns decoded)."""
    json_valued = json_columns(table)
    out = {}
    for store_name, batch_name in store_columns(table).items():
        value = row.get(batch_name)
        out[store_name] = json.loads(value) if batch_name in json_valued and value is not None else value
    return out


def record_rows_from_tables(document: dict[str, Any], entity_rows: Iterable[dict[str, Any]] = (),
                            claim_rows: Iterable[ClaimRows] = ()) -> RecordRows:
    """What `store.rows.record_rows` made in the task, for `Store.save_rows`, from the documents row
    and the document's store rows (`store_row` of its batch rows)."""
    stored = json.loads(document["store_rows"])
    raw = document["raw"]
    capture = {"document_id": document["document_id"], "content_type": document["content_type"],
               "size": len(raw), "raw": raw}
    return RecordRows(stored["document"], capture, stored["sighting"], stored["run"], list(entity_rows),
                      list(claim_rows))
