"""Read-side queries, written once for the CLI, the API, briefs and exports.

`facts_query` builds the SELECT behind every fact listing (by country, by equipment, by date,
by document); callers may add their own `.where()` before handing it to `load_facts`. By
default only each document's latest extraction run is read, so a reprocessed document is not
counted twice; older runs stay stored and readable with `latest_only=False`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from sqlalchemy import (
    ARRAY,
    Column,
    Connection,
    Label,
    Select,
    String,
    Text,
    and_,
    any_,
    bindparam,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
)

from orbat.model import SCHEMA, ClaimFact
from orbat.store.rows import (
    ACTOR_FIELDS,
    CLAIM_RECORD_KEYS,
    ENTITY_COLUMN_KEYS,
    FACT_SOURCES,
    JSON_LIST_COLUMNS,
    claim_record,
    entity_record,
    equipment_key,
    fact_from_values,
)
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
from orbat.store.types import DocumentInfo, RunInfo, SightingInfo, StoredDocument
from orbat.validate import FactBounds, storable_fact_values

log = logging.getLogger("orbat.store")

_CHUNK = 500  # bound parameters per IN list stay far below both backends' limits
_FACT_TABLES = {"claim": claims, "equipment": claim_equipment, "document": documents, "run": extraction_runs}


def _fact_column(kind: str, name: str) -> Column | Label:
    """A column of a fact as `store.rows.fact_from_values` takes it: the JSON lists as their text."""
    column = _FACT_TABLES[kind].c[name]
    return cast(column, Text).label(name) if name in JSON_LIST_COLUMNS else column


#: What a fact is read from, in `store.rows.FACT_SOURCES` order: a row of these is a fact's
#: values, without the claim's JSON record or any column a fact does not hold.
FACT_COLUMNS = tuple(_fact_column(kind, name) for kind, name in FACT_SOURCES)
#: A claim with its run and document, once per system it names (once when it names none).
FACTS_FROM = (claims.join(extraction_runs, extraction_runs.c.id == claims.c.run_id)
              .join(documents, documents.c.id == claims.c.document_id)
              .outerjoin(claim_equipment, claim_equipment.c.claim_id == claims.c.id))


def latest_run_condition():
    """True for a run that no later run of the same document supersedes."""
    newer = extraction_runs.alias("newer")
    return ~exists().where(
        newer.c.document_id == extraction_runs.c.document_id,
        or_(newer.c.created > extraction_runs.c.created,
            and_(newer.c.created == extraction_runs.c.created, newer.c.id > extraction_runs.c.id)))


def latest_run_ids() -> Select:
    """Ids of the runs no later run of the same document supersedes, as one uncorrelated subquery.

    Why not `latest_run_condition()` in the facts query: checked once per claim row, it reads the
    run's `created`, which SQLite stores after the run's `dates` JSON; for a dense document that
    JSON is megabytes long, so every claim walked it again (quadratic in the document's size: the
    observation index of one 4.9 MB report took minutes). Here each run is read once.
    """
    run = extraction_runs.alias("latest")
    newer = extraction_runs.alias("newer")
    return select(run.c.id).where(~exists().where(
        newer.c.document_id == run.c.document_id,
        or_(newer.c.created > run.c.created, and_(newer.c.created == run.c.created, newer.c.id > run.c.id))))


def facts_query(*, document_id: str | None = None, place_country: str | None = None,
                equipment: str | None = None, event: str | None = None, since: str | None = None,
                until: str | None = None, latest_only: bool = True) -> Select:
    """Claims joined with their systems, document and run: one result row per fact.

    `equipment` matches a catalog id or a designation in any spelling (`t72b3`). `since` and
    `until` compare ISO dates at the claim's own precision, so a claim dated "2025-01" falls
    within `since="2025-01-17"`. Claims without a date are left out when either is given.
    """
    query = select(*FACT_COLUMNS).select_from(FACTS_FROM)
    conditions = []
    if latest_only:
        conditions.append(claims.c.run_id.in_(latest_run_ids()))
    if document_id:
        conditions.append(claims.c.document_id == document_id)
    if place_country:
        conditions.append(claims.c.place_country == place_country.upper())
    if event:
        conditions.append(claims.c.event == event)
    if equipment:
        conditions.append(or_(claim_equipment.c.name_key == equipment_key(equipment),
                              claim_equipment.c.catalog_id == equipment.strip().lower()))
    if since:
        conditions.append(claims.c.date >= func.substr(literal(since), 1, func.length(claims.c.date)))
    if until:
        conditions.append(func.substr(claims.c.date, 1, func.length(literal(until))) <= until)
    return query.where(*conditions).order_by(
        claims.c.date.is_(None), claims.c.date, claims.c.document_id, claims.c.position,
        claim_equipment.c.position)


def load_facts(conn: Connection, query: Select) -> list[ClaimFact]:
    """Run a query over `FACT_COLUMNS` (a `facts_query`) and attach each claim's actors."""
    return facts_from_result(conn, conn.execute(query).all())


def facts_from_result(conn: Connection, rows: Sequence[Sequence[Any]]) -> list[ClaimFact]:
    """One fact per result row, in the rows' order, with its claim's actors (`actors_by_claim`).

    Each row starts with `FACT_COLUMNS`; callers may select columns of their own after them (an
    observation's partition) and pair each fact with its row: the rows are theirs to run and filter.
    """
    actors = actors_by_claim(conn, sorted({row[0] for row in rows}))
    width, no_actors = len(FACT_COLUMNS), []
    return within_bounds([fact_from_values(row if len(row) == width else row[:width], actors.get(row[0], no_actors))
                          for row in rows])


_CHECKED = ("date", "date_precision", "published", "quantity_min", "quantity_max", "place_lat", "place_lon")


def within_bounds(facts: list[ClaimFact]) -> list[ClaimFact]:
    """Facts with out-of-bounds values blanked (dates, counts, coordinates), with one warning.

    A database written before `orbat.validate` existed may hold a claim dated 9999-12-31 or a
    count near 2^63; merge and every query read around such values instead of failing, and
    the stored rows stay as they are (append-only).
    """
    ignored: list[str] = []
    bounds = FactBounds()
    for fact in facts:
        if bounds.fine(fact.date, fact.published, fact.quantity_min, fact.quantity_max, fact.place_lat,
                       fact.place_lon):
            continue
        values = {name: getattr(fact, name) for name in _CHECKED}
        found = storable_fact_values(values)
        if found:
            for name, value in values.items():
                setattr(fact, name, value)
            ignored.extend(f"{fact.claim_id}: {what}" for what in found)
    if ignored:
        log.warning("orbat: ignored %d stored value(s) out of bounds, e.g. %s", len(ignored),
                    "; ".join(ignored[:3]))
    return facts


def actors_by_claim(conn: Connection, claim_ids: list[str]) -> dict[str, list[list[Any]]]:
    """Each claim's actors (`store.rows.ACTOR_FIELDS`, in the claim's order), by claim id.

    PostgreSQL takes the ids as one array (one query, a primary-key probe per id); asking with the
    facts query's joins as a subquery made the server join the claims again for every batch.
    The array goes as one text of the ids joined by `_ID_SEPARATOR`, split by the server: sent
    as an array parameter, each id went through the driver's quoting check (0.3 s of client CPU
    for the 105,000 claims of a 20,000-document refresh). An id holding the separator (none
    does: ids are `claim:` and hex digits) takes the array parameter as before.
    SQLite takes them 500 to an IN list, far below its limit on bound parameters.
    """
    found: dict[str, list[list[Any]]] = defaultdict(list)
    columns = (select(claim_actors.c.claim_id, *(claim_actors.c[name] for name in ACTOR_FIELDS))
               .order_by(claim_actors.c.claim_id, claim_actors.c.position))
    if conn.dialect.name == "postgresql":
        joined = _ID_SEPARATOR.join(claim_ids)
        if joined.count(_ID_SEPARATOR) == len(claim_ids) - 1:
            every_id = func.string_to_array(bindparam("claim_ids", joined, type_=Text), _ID_SEPARATOR,
                                            type_=ARRAY(String))
        else:
            every_id = bindparam("claim_ids", claim_ids, type_=ARRAY(String))
        chunks = [claim_actors.c.claim_id == any_(every_id)] if claim_ids else []
    else:
        chunks = [claim_actors.c.claim_id.in_(claim_ids[i:i + _CHUNK]) for i in range(0, len(claim_ids), _CHUNK)]
    for chunk in chunks:
        for claim_id, *actor in conn.execute(columns.where(chunk)).all():
            found[claim_id].append(actor)
    return found


#: Joins the claim ids `actors_by_claim` sends PostgreSQL as one text (the ASCII unit separator).
_ID_SEPARATOR = "\x1f"


_INFO_COLUMNS = [documents.c[f.name] for f in fields(DocumentInfo)]
_SIGHTING_COLUMNS = [sightings.c[f.name] for f in fields(SightingInfo)]


def list_documents(conn: Connection, limit: int | None = None, offset: int = 0) -> list[DocumentInfo]:
    query = select(*_INFO_COLUMNS).order_by(documents.c.created, documents.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [DocumentInfo(**row._mapping) for row in conn.execute(query)]


def resolve_document_id(conn: Connection, ref: str) -> str | None:
    """Accept a full id or an unambiguous prefix of the hash (at least 8 hex digits)."""
    ref = ref.strip()
    if conn.execute(select(documents.c.id).where(documents.c.id == ref)).first():
        return ref
    digest = ref.removeprefix("sha256:")
    if len(digest) < 8 or not all(c in "0123456789abcdef" for c in digest):
        return None
    found = conn.execute(select(documents.c.id).where(documents.c.id.startswith("sha256:" + digest,
                                                                                  autoescape=True))
                         .limit(2)).scalars().all()
    return found[0] if len(found) == 1 else None


def get_document(conn: Connection, document_id: str) -> StoredDocument | None:
    row = conn.execute(select(documents, captures.c.content_type, captures.c.size)
                       .join(captures, captures.c.document_id == documents.c.id)
                       .where(documents.c.id == document_id)).first()
    if row is None:
        return None
    data = row._mapping
    runs = conn.execute(
        select(extraction_runs.c.id, extraction_runs.c.extractor, extraction_runs.c.catalog,
               extraction_runs.c.created, func.count(claims.c.id).label("claims"))
        .outerjoin(claims, claims.c.run_id == extraction_runs.c.id)
        .where(extraction_runs.c.document_id == document_id)
        .group_by(extraction_runs.c.id, extraction_runs.c.extractor, extraction_runs.c.catalog,
                  extraction_runs.c.created)
        .order_by(extraction_runs.c.created, extraction_runs.c.id))
    seen = conn.execute(select(*_SIGHTING_COLUMNS)
                        .where(sightings.c.document_id == document_id).order_by(sightings.c.id))
    return StoredDocument(info=DocumentInfo(**{c.name: data[c.name] for c in _INFO_COLUMNS}),
                          text=data["text"], warnings=list(data["warnings"]),
                          content_type=data["content_type"],
                          size=data["size"], runs=[RunInfo(**r._mapping) for r in runs],
                          sightings=[SightingInfo(**s._mapping) for s in seen])


def record_json(conn: Connection, document_id: str, run_id: str | None = None) -> dict[str, Any] | None:
    """Rebuild the `orbat.extraction/1` record of one run (the latest unless named) from rows."""
    doc = conn.execute(select(documents).where(documents.c.id == document_id)).first()
    query = select(extraction_runs).where(extraction_runs.c.document_id == document_id)
    query = query.where(extraction_runs.c.id == run_id) if run_id else query.where(latest_run_condition())
    run = conn.execute(query).first()
    if doc is None or run is None:
        return None
    ents = [entity_record(row._mapping, row.record) for row in conn.execute(
        select(*_ENTITY_RECORD_COLUMNS).where(entities.c.run_id == run.id).order_by(entities.c.position))]
    claim_records = [claim_record(row._mapping, row.record) for row in conn.execute(
        select(*_CLAIM_RECORD_COLUMNS).where(claims.c.run_id == run.id).order_by(claims.c.position))]
    return _record(doc._mapping, run, ents, claim_records)


def latest_records_json(conn: Connection, document_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The records of the documents' latest runs, by document id (unknown ids left out).

    What `record_json` rebuilds for one document, in four queries per 500 documents rather than
    four each: an export of every document's record read them one by one.
    """
    found: dict[str, dict[str, Any]] = {}
    for i in range(0, len(document_ids), _CHUNK):
        chunk = document_ids[i:i + _CHUNK]
        docs = {row.id: row._mapping for row in conn.execute(select(*_RECORD_DOCUMENT_COLUMNS)
                                                             .where(documents.c.id.in_(chunk)))}
        runs = conn.execute(select(extraction_runs).where(extraction_runs.c.document_id.in_(chunk),
                                                          latest_run_condition())).all()
        run_ids = [run.id for run in runs]
        ents, claim_records = defaultdict(list), defaultdict(list)
        for row in conn.execute(select(*_ENTITY_RECORD_COLUMNS).where(entities.c.run_id.in_(run_ids))
                                .order_by(entities.c.run_id, entities.c.position)):
            ents[row.run_id].append(entity_record(row._mapping, row.record))
        for row in conn.execute(select(*_CLAIM_RECORD_COLUMNS).where(claims.c.run_id.in_(run_ids))
                                .order_by(claims.c.run_id, claims.c.position)):
            claim_records[row.run_id].append(claim_record(row._mapping, row.record))
        for run in runs:
            if run.document_id in docs and run.document_id not in found:
                found[run.document_id] = _record(docs[run.document_id], run, ents[run.id], claim_records[run.id])
    return found


#: An entity's and a claim's columns their records are rebuilt from (`entity_record`, `claim_record`).
_ENTITY_RECORD_COLUMNS = [entities.c.run_id, entities.c.record, *(entities.c[name] for name in (
    "id", "kind", "name", *dict.fromkeys(column for keys in ENTITY_COLUMN_KEYS.values() for _, column in keys)))]
_CLAIM_RECORD_COLUMNS = [claims.c.run_id, claims.c.record, claims.c.sentence_start, claims.c.sentence_end,
                         *(claims.c[column] for _, column in CLAIM_RECORD_KEYS if column)]

#: What a record holds of its document (not the text: a dense one is megabytes, and a batch holds many).
_RECORD_DOCUMENT_COLUMNS = [documents.c[name] for name in ("id", "title", "url", "published", "language",
                                                           "publisher", "origin", "decoding", "warnings",
                                                           "external_id")]


def _record(d: Any, run: Any, ents: list[Any], claim_records: list[Any]) -> dict[str, Any]:
    """An `orbat.extraction/1` record from a document's row, one run's row and that run's rows."""
    return {"schema": SCHEMA,
            "document": {"id": d["id"], "title": d["title"], "url": d["url"], "published": d["published"],
                         "language": d["language"], "publisher": d["publisher"], "origin": d["origin"],
                         "extractor": run.extractor, "catalog": run.catalog, "decoding": d["decoding"],
                         "warnings": list(d["warnings"]), "external_id": d["external_id"]},
            "entities": list(ents), "dates": [d for d in run.dates if d.get("value") is not None],
            "unanchored_dates": [d for d in run.dates if d.get("value") is None],
            "markings": list(run.markings), "claims": list(claim_records)}
