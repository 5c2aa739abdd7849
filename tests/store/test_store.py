"""Storage on real databases: every test runs on a SQLite file and on a PostgreSQL server."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select, text
from storefactory import TEXT, make_record, simple_record

from orbat.store import RecordError, StoreError, facts_from_record, open_store
from orbat.store import database as store_database
from orbat.store.schema import APPEND_ONLY_TABLES, claims, documents, extraction_runs


@pytest.fixture
def store(db_url):
    with open_store(db_url) as opened:
        yield opened


def _sorted(facts):
    return sorted(facts, key=lambda f: (f.claim_id, f.equipment_name or ""))


def _count(store, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_round_trip_keeps_document_record_and_facts(store):
    record = make_record()
    result = store.save(record)
    assert (result.status, result.claims, result.sighting_added) == ("new", 2, True)
    assert result.document_id == record.document.id
    assert store.record(record.document.id) == record.to_json()
    assert store.capture(record.document.id) == TEXT.encode()
    facts = store.facts()
    assert _sorted(facts) == _sorted(facts_from_record(record))
    assert len(facts) == 4  # T-72B3, BTR-82A, the class "vehicles", and the base with no system
    t72 = next(f for f in facts if f.equipment_name == "T-72B3")
    assert (t72.quantity_min, t72.quantity_max, t72.place_name, t72.place_country) == (7, 7, "Bamako", "ML")
    assert [(a.name, a.role) for a in t72.actors] == [("Russia", "supplier"), ("Africa Corps", "recipient")]
    assert (t72.publisher, t72.extractor, t72.catalog) == ("Example News", "orbat 0.1.0", "2026.11.1")
    base = next(f for f in facts if f.event == "construction")
    assert (base.equipment_name, base.place_feature, base.transit) == (None, "installation", ["Bamako"])


def test_document_listing_and_lookup_by_prefix(store):
    record = make_record()
    store.save(record)
    [info] = store.documents()
    assert (info.id, info.canonical_url, info.publisher) == (
        record.document.id, "https://example.org/news/mali-convoy", "Example News")
    stored = store.document(record.document.id[:15])  # "sha256:" + 8 hex digits
    assert stored is not None and stored.text == TEXT and stored.content_type == "text/plain"
    assert [(r.catalog, r.claims) for r in stored.runs] == [("2026.11.1", 2)]
    assert store.document("sha256:ffffffffffff") is None
    stats = store.stats()
    assert (stats.documents, stats.runs, stats.claims, stats.facts, stats.sightings) == (1, 1, 2, 4, 1)


def test_fact_queries_by_country_equipment_date_and_document(store):
    store.save(make_record())
    for number in range(3):
        store.save(simple_record(number))
    assert len(store.facts(place_country="ml")) == 7
    for spelling in ("T-72B3", "t72b3", "t-72b3", "T 72B3"):
        assert [f.equipment_name for f in store.facts(equipment=spelling)] == ["T-72B3"]
    assert len(store.facts(equipment="bmp-3")) == 3
    assert {f.date for f in store.facts(since="2025-01-10")} == {"2025-01-17", "2025-01"}
    assert {f.date for f in store.facts(until="2025-01-10")} == {"2025-01"}  # month overlaps
    assert store.facts(since="2025-02-01") == []
    assert len(store.facts(document_id=make_record().document.id)) == 4
    assert len(store.facts(event="construction")) == 1


def test_resave_is_idempotent_and_refetch_adds_a_sighting(store):
    record = make_record()
    store.save(record)
    again = store.save(make_record())
    assert (again.status, again.claims, again.sighting_added, again.duplicate_by) == (
        "duplicate", 0, False, "sha256")
    refetch = store.save(make_record(retrieved="2025-02-01T08:00:00+00:00"))
    assert (refetch.status, refetch.sighting_added) == ("duplicate", True)
    mirror = store.save(make_record(url="https://mirror.example.net/mali-convoy"))
    assert mirror.sighting_added and mirror.document_id == record.document.id
    stats = store.stats()
    assert (stats.documents, stats.runs, stats.claims, stats.sightings) == (1, 1, 2, 3)
    urls = [s.url for s in store.document(record.document.id).sightings]
    assert urls == ["https://example.org/news/mali-convoy"] * 2 + ["https://mirror.example.net/mali-convoy"]


def test_tracking_parameter_urls_are_one_document(store):
    base = "https://Example.org/news/mali-convoy"
    results = [store.save(make_record(url=url)) for url in (
        base, base + "?utm_source=twitter&utm_medium=social", base + "?fbclid=abc123#comments")]
    assert [r.status for r in results] == ["new", "duplicate", "duplicate"]
    stats = store.stats()
    assert (stats.documents, stats.claims, stats.sightings) == (1, 2, 3)


def test_row25_new_content_at_a_known_url_is_a_new_version_of_the_document(store):
    """Issue 11: an edited page is kept (its own text, claims and capture), not dropped as a duplicate."""
    base = "https://Example.org/news/mali-convoy"
    first = store.save(make_record(url=base))
    changed = store.save(make_record(TEXT + " Updated.", url=base + "?utm_campaign=x"))
    assert (changed.status, changed.duplicate_by) == ("new", "canonical_url")
    assert changed.document_id != first.document_id and changed.run_id is not None
    version = store.document(changed.document_id)
    assert version.info.version_of == first.document_id and version.text.endswith("Updated.")
    assert store.capture(changed.document_id).endswith(b"Updated.")
    again = store.save(make_record(TEXT + " Updated.", url=base))
    assert (again.status, again.document_id) == ("duplicate", changed.document_id)
    stats = store.stats()
    assert (stats.documents, stats.runs) == (2, 2)


def test_reprocessing_adds_a_run_and_keeps_old_claims(store):
    old = make_record()
    store.save(old)
    old_ids = {f.claim_id for f in store.facts()}
    result = store.save(make_record(catalog="2026.12.1"))
    assert (result.status, result.claims) == ("reprocessed", 2)
    assert store.save(make_record(catalog="2026.12.1")).status == "duplicate"
    latest = store.facts()
    assert {f.catalog for f in latest} == {"2026.12.1"} and not {f.claim_id for f in latest} & old_ids
    every = store.facts(latest_only=False)
    assert len(every) == 8 and {f.catalog for f in every} == {"2026.11.1", "2026.12.1"}
    assert old_ids <= {f.claim_id for f in every}
    assert store.record(old.document.id, run_id=next(r.id for r in store.document(old.document.id).runs
                                                    if r.catalog == "2026.11.1")) == old.to_json()
    assert (store.stats().runs, store.stats().claims) == (2, 4)


def test_claim_ids_are_deterministic_across_databases(tmp_path):
    ids = []
    for name in ("a.db", "b.db"):
        with open_store(str(tmp_path / name)) as store:
            store.save(make_record())
            ids.append(sorted(f.claim_id for f in store.facts()))
    assert ids[0] == ids[1]


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_row28_append_only_tables_refuse_update_and_delete(store, table):
    store.save(make_record())
    if table == "reviews":  # row triggers fire only on rows: store one review to guard
        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO reviews (claim_id, action, fields, reviewer, created) "
                              "SELECT id, 'accept', '{}', 'test', '2026-01-01' FROM claims LIMIT 1"))
    if table == "ingest_errors":
        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO ingest_errors (origin, error, created) "
                              "VALUES ('corpus.jsonl:3', 'bad', '2026-01-01')"))
    column = {"documents": "title", "captures": "content_type", "sightings": "origin",
              "extraction_runs": "catalog", "entities": "name", "claims": "certainty",
              "claim_equipment": "name", "claim_actors": "role", "reviews": "action",
              "ingest_errors": "error"}[table]
    for statement in (f"UPDATE {table} SET {column} = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(statement))
    if store.backend == "postgresql":
        with pytest.raises(Exception, match="append-only"), store.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table} CASCADE"))
    assert _count(store, claims) == 2


def test_record_with_a_dangling_entity_is_refused_whole(store):
    record = make_record()
    record.claims[1].place = "e99"
    with pytest.raises(RecordError, match="e99"):
        store.save(record)
    assert _count(store, documents) == 0


def test_failure_mid_save_rolls_back_the_whole_document(store, monkeypatch):
    def explode(conn, rows):
        assert conn.execute(select(func.count()).select_from(claims)).scalar_one() == 2  # written so far
        raise OSError("disk full")

    monkeypatch.setattr(store_database, "_insert_claim_parts", explode)
    with pytest.raises(OSError, match="disk full"):
        store.save(make_record())
    for table in (documents, extraction_runs, claims):
        assert _count(store, table) == 0
    monkeypatch.undo()
    assert store.save(make_record()).status == "new"
    assert store.stats().facts == 4


def test_document_id_must_match_the_raw_bytes(store):
    record = make_record()
    record.document = dataclasses.replace(record.document, id="sha256:" + "0" * 64)
    with pytest.raises(RecordError, match="SHA-256"):
        store.save(record)


def test_bad_locations_give_clear_errors(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "orbat.db"))
    with pytest.raises(StoreError, match="postgresql://"):
        open_store("mysql://localhost/orbat")
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="cannot open"):
        open_store(str(not_sqlite))
    with pytest.raises(StoreError, match="cannot open"):
        open_store("postgresql://nobody@127.0.0.1:1/orbat")


def test_nul_and_lone_surrogates_are_stored_alike_on_both_backends(store):
    """PostgreSQL text cannot hold NUL; a JSON corpus can carry lone surrogates into metadata."""
    text = "Report\x00: 7 BMP-3 vehicles were seen in Bamako on day 1."
    record = make_record(text, claims=[], url="https://example.org/nul")
    record.document.title = "Title\x00with \ud800 NUL"
    assert store.save(record).status == "new"
    stored = store.document(record.document.id)
    assert stored.text == text.replace("\x00", "\ufffd") and len(stored.text) == len(text)  # offsets hold
    assert stored.info.title == "Title\ufffdwith \ufffd NUL"


def test_evidence_source_is_kept_with_the_claim(store):
    """Who produced the evidence (here, say, Africa Corps' own footage) survives storage, so a
    later merge can tell one broadcast repeated from independent sightings."""
    record = make_record()
    record.claims[0].evidence_source = "e4"
    store.save(record)
    stored = store.record(record.document.id)
    assert stored["claims"][0]["evidence_source"] == "e4"
    assert stored["claims"][1]["evidence_source"] is None


def test_facts_of_many_claims_keep_each_claims_actors(store):
    """More claims than one IN list holds (500) are read with every claim's own actors, in order."""
    record = make_record()
    record.claims = record.claims * 260  # a repeated claim gets an id of its own
    store.save(record)
    facts = store.facts()
    assert len({f.claim_id for f in facts}) == 520
    assert _sorted(facts) == _sorted(facts_from_record(record))
    t72 = [f for f in facts if f.equipment_name == "T-72B3"]
    assert len(t72) == 260 and all([a.role for a in f.actors] == ["supplier", "recipient"] for f in t72)
