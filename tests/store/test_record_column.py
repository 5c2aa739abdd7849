"""An entity's and a claim's `record` column keeps only what its other columns do not, and the
record the store gives back is still the extracted one, key for key and in order (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Text, cast, insert, select

from orbat.acquire.files import read_file
from orbat.pipeline import extract_source
from orbat.store import open_store
from orbat.store.read import latest_records_json
from orbat.store.rows import record_rows, store_json
from orbat.store.schema import claim_actors, claim_equipment, claims, documents, entities, extraction_runs, sightings

ROOT = Path(__file__).resolve().parents[2]
#: Our example reports in English and French, and the seed: every entity kind, quantities,
#: transit, evidence sources, candidates and rankings among them.
REPORTS = [*sorted((ROOT / "tests" / "corpus").glob("*.txt"))[:12],
           ROOT.parent / "shared" / "seeds" / "mali-2025-01-21.txt"]


@pytest.fixture(scope="module")
def records():
    return [extract_source(read_file(path, 10_000_000)) for path in REPORTS]


@pytest.fixture
def store(db_url):
    with open_store(db_url) as opened:
        yield opened


def test_stored_records_read_back_as_extracted_key_for_key(store, records):
    for record in records:
        store.save(record)
    for record in records:
        # the JSON text, not only the dict: key order is what `orbat export --format jsonl` prints
        assert json.dumps(store.record(record.document.id)) == json.dumps(record.to_json())
    with store.engine.connect() as conn:  # how JSON Lines exports read them, many at once
        many = latest_records_json(conn, [r.document.id for r in records])
    assert all(json.dumps(many[r.document.id]) == json.dumps(r.to_json()) for r in records)


def test_record_columns_hold_no_value_another_column_holds(store, records):
    kinds = set()
    for record in records:
        store.save(record)
    with store.engine.connect() as conn:
        for kind, name, rest in conn.execute(select(entities.c.kind, entities.c.name, entities.c.record)):
            kinds.add(kind)
            held = {"id", "kind", "name", "lat", "country", "catalog_id", "class", "type"} & rest.keys()
            assert not held, (name, rest)
            assert rest["mentions"], name  # what `orbat suggest` reads of it
        for sentence, rest in conn.execute(select(claims.c.sentence, claims.c.record)):
            assert not {"sentence", "event", "certainty", "date", "place", "evidence", "markings"} & rest.keys()
            assert sentence not in json.dumps(rest, ensure_ascii=False)
    assert kinds == {"equipment", "equipment_class", "place", "actor"}


def test_rows_written_with_the_whole_record_still_read_back(db_url, records):
    """A knowledge base written before the split holds each whole record in `record`."""
    record = records[-1]
    rows = record_rows(record)
    with open_store(db_url) as store, store.engine.begin() as conn:
        conn.execute(insert(documents), [rows.document])
        conn.execute(insert(sightings), [rows.sighting])
        conn.execute(insert(extraction_runs), [rows.run])
        conn.execute(insert(entities), [{**row, "record": entity.to_json()}
                                        for row, entity in zip(rows.entities, record.entities, strict=True)])
        for parts, claim in zip(rows.claims, record.claims, strict=True):
            conn.execute(insert(claims), [{**parts.claim, "record": claim.to_json()}])
            if parts.equipment:
                conn.execute(insert(claim_equipment), parts.equipment)
            if parts.actors:
                conn.execute(insert(claim_actors), parts.actors)
    with open_store(db_url) as store:
        assert json.dumps(store.record(record.document.id)) == json.dumps(record.to_json())


def test_json_columns_are_stored_compact_and_in_utf8(store, records):
    """No space after commas and colons, non-ASCII letters as themselves: written by `Store.save`
    on SQLite and by the COPY path on PostgreSQL alike."""
    for record in records:
        store.save(record)
    with store.engine.connect() as conn:
        texts = [*conn.execute(select(cast(entities.c.record, Text))).scalars(),
                 *conn.execute(select(cast(claims.c.record, Text))).scalars(),
                 *conn.execute(select(cast(claims.c.evidence, Text))).scalars()]
    assert all(text == store_json(json.loads(text)) for text in texts)
    assert not any("\\u04" in text for text in texts)  # Cyrillic aliases were six bytes a letter
    assert any(not text.isascii() for text in texts)
