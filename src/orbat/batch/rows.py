"""From one source to the rows of the batch tables, and from those rows back to store rows.

Pure functions, no Spark: the same code runs in Spark tasks, in tests and in `batch load`.
The tables carry the exact rows `orbat ingest` would store (`store.rows.record_rows`), as JSON
columns beside a few flat columns for querying (DuckDB, pandas), so a batch-loaded knowledge
base is the same, id for id, as one built by `orbat ingest` from the same documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from orbat.acquire import SourceError
from orbat.model import ExtractionRecord, SourceDocument
from orbat.store.rows import ClaimRows, RecordRows, content_id, record_rows

TABLES = ("documents", "entities", "claims", "errors")
UNKNOWN_MONTH = "unknown"

#: Parquet column types per table ("string", "bigint", "double", "binary"); `month` partitions.
COLUMNS: dict[str, dict[str, str]] = {
    "documents": {"document_id": "string", "input_file": "string", "origin": "string", "url": "string",
                  "title": "string", "publisher": "string", "published": "string", "language": "string",
                  "claims": "bigint", "entities": "bigint", "extractor": "string", "catalog": "string",
                  "record": "string", "store_rows": "string", "content_type": "string", "raw": "binary",
                  "month": "string"},
    "entities": {"document_id": "string", "run_id": "string", "entity_id": "string", "position": "bigint",
                 "kind": "string", "name": "string", "catalog_id": "string", "country": "string",
                 "lat": "double", "lon": "double", "feature": "string", "mentions": "string",
                 "store_row": "string", "month": "string"},
    "claims": {"document_id": "string", "run_id": "string", "claim_id": "string", "position": "bigint",
               "event": "string", "certainty": "string", "date": "string", "place": "string",
               "place_country": "string", "equipment": "string", "actors": "string",
               "sentence_start": "bigint", "sentence_end": "bigint", "store_rows": "string", "month": "string"},
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
    document_id, run_id = doc["id"], rows.run["id"]
    store_rows = {"document": doc, "sighting": rows.sighting, "run": rows.run}
    out: list[Tagged] = [("documents", {
        "document_id": document_id, "input_file": input_file, "origin": doc["origin"], "url": doc["url"],
        "title": doc["title"], "publisher": doc["publisher"], "published": doc["published"],
        "language": doc["language"], "claims": len(rows.claims), "entities": len(rows.entities),
        "extractor": record.extractor, "catalog": record.catalog,
        "record": json.dumps(record.to_json(), ensure_ascii=False),
        "store_rows": _dumps(store_rows), "content_type": rows.capture["content_type"],
        "raw": rows.capture["raw"], "month": month})]
    for entity in rows.entities:
        out.append(("entities", {
            "document_id": document_id, "run_id": run_id, "entity_id": entity["id"],
            "position": entity["position"], "kind": entity["kind"], "name": entity["name"],
            "catalog_id": entity["catalog_id"], "country": entity["country"], "lat": entity["lat"],
            "lon": entity["lon"], "feature": entity["feature"],
            "mentions": _dumps(entity["record"].get("mentions", [])), "store_row": _dumps(entity),
            "month": month}))
    for parts in rows.claims:
        claim = parts.claim
        out.append(("claims", {
            "document_id": document_id, "run_id": run_id, "claim_id": claim["id"],
            "position": claim.get("position"), "event": claim.get("event"), "certainty": claim.get("certainty"),
            "date": claim.get("date"), "place": claim.get("place_name"), "place_country": claim.get("place_country"),
            "equipment": _dumps([e.get("name") for e in parts.equipment]),
            "actors": _dumps([{"name": a.get("name"), "role": a.get("role")} for a in parts.actors]),
            "sentence_start": claim.get("sentence_start"), "sentence_end": claim.get("sentence_end"),
            "store_rows": _dumps({"claim": claim, "equipment": parts.equipment, "actors": parts.actors}),
            "month": month}))
    return out


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def record_rows_from_tables(document: dict[str, Any], entities: Iterable[dict[str, Any]],
                            claims: Iterable[dict[str, Any]]) -> RecordRows:
    """Rebuild what `store.rows.record_rows` made in the task, for `Store.save_rows`."""
    stored = json.loads(document["store_rows"])
    raw = document["raw"]
    capture = {"document_id": document["document_id"], "content_type": document["content_type"],
               "size": len(raw), "raw": raw}
    entity_rows = [json.loads(e["store_row"]) for e in sorted(entities, key=lambda e: e["position"])]
    claim_rows = []
    for row in sorted(claims, key=lambda c: c["position"] if c["position"] is not None else 0):
        parts = json.loads(row["store_rows"])
        claim_rows.append(ClaimRows(parts["claim"], parts["equipment"], parts["actors"]))
    return RecordRows(stored["document"], capture, stored["sighting"], stored["run"], entity_rows, claim_rows)

