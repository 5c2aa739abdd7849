"""The observation index: always what merging the latest runs' claims gives, refreshed by parts."""

from __future__ import annotations

import dataclasses

import pytest
from knowledge_factory import BAMAKO, KHARKIV, T72B3, T90M, claim, convoy_records, populate, record
from sqlalchemy import select, update

from orbat import observation_index as index
from orbat.merge import merge
from orbat.store import open_store


@pytest.fixture
def store(db_url):
    with open_store(db_url) as opened:
        populate(opened)
        yield opened


def indexed(store) -> dict[str, dict]:
    index.ensure_fresh(store)
    with store.engine.connect() as conn:
        return {r.id: r.record for r in conn.execute(select(index.observation_records))}


def test_index_equals_merging_every_fact(store):
    expected = {o.id: index.to_record(o) for o in merge(store.facts())}
    assert indexed(store) == expected


def test_index_built_a_few_facts_at_a_time_equals_merging_every_fact(store, monkeypatch):
    """Small batches, each read while the one before merges (on PostgreSQL), give the same index."""
    reads = []
    load = index._load
    monkeypatch.setattr(index, "BATCH_FACTS", 2)
    monkeypatch.setattr(index, "_load", lambda *args: reads.append(args) or load(*args))
    assert index.refresh(store.engine, full=True).full
    assert len(reads) > 2
    assert indexed(store) == {o.id: index.to_record(o) for o in merge(store.facts())}


def test_new_document_merges_again_only_the_partitions_it_touches(store):
    assert index.ensure_fresh(store).full  # first use builds everything
    text = "Two T-90M tanks were seen near Kharkiv again."
    store.save(record(text, "Ukrainska Pravda", "2024-05-03",
                      [claim(text, "deployment", [(T90M, 2)], KHARKIV, "2024-05-02")], [T90M, KHARKIV]))
    report = index.ensure_fresh(store)
    assert report is not None and not report.full and report.partitions == 1
    assert index.ensure_fresh(store) is None  # nothing new: two cheap lookups, no work
    assert indexed(store) == {o.id: index.to_record(o) for o in merge(store.facts())}


def test_reprocessed_document_counts_once_with_its_latest_claims(store):
    before = indexed(store)
    first = convoy_records()[1]  # Jeune Afrique: five T-72B3 in Bamako
    text = first.document.text
    again = dataclasses.replace(first, extractor="orbat test 2",
                                claims=[claim(text, "deployment", [(T72B3, 6)], BAMAKO, "2025-01-18",
                                              evidence=["video"])])
    assert store.save(again).status == "reprocessed"
    after = indexed(store)
    assert after.keys() == before.keys()
    tank = next(r for r in after.values() if r["equipment_name"] == "T-72B3" and r["first_seen"] == "2025-01-17")
    assert (tank["quantity_min"], tank["quantity_max"]) == (6, 12)  # 7, 6 (was 5) and 12 reported
    assert len(tank["claim_ids"]) == 4
    counts = next(d for d in tank["disagreements"] if d["kind"] == "count")["values"]
    assert "6 (Jeune Afrique)" in counts and "5 (Jeune Afrique)" not in counts


def test_new_index_layout_rebuilds_everything(store):
    index.ensure_fresh(store)
    with store.engine.begin() as conn:
        conn.execute(update(index.index_state).values(value="0|stale"))
    report = index.ensure_fresh(store)
    assert report is not None and report.full and report.observations == 4


def test_full_rebuild_after_reprocessing_reads_only_the_latest_runs(store):
    """A full build merges the latest run of each document, and only it, once some document has two."""
    first = convoy_records()[1]  # Jeune Afrique: five T-72B3 in Bamako
    text = first.document.text
    again = dataclasses.replace(first, extractor="orbat test 2",
                                claims=[claim(text, "deployment", [(T72B3, 6)], BAMAKO, "2025-01-18")])
    assert store.save(again).status == "reprocessed"
    assert index.refresh(store.engine, full=True).full
    with store.engine.connect() as conn:
        rebuilt = {r.id: r.record for r in conn.execute(select(index.observation_records))}
    assert rebuilt == {o.id: index.to_record(o) for o in merge(store.facts())}
    counts = [v for r in rebuilt.values() for d in r["disagreements"] if d["kind"] == "count" for v in d["values"]]
    assert "6 (Jeune Afrique)" in counts and "5 (Jeune Afrique)" not in counts


def test_document_saved_while_a_refresh_merges_is_merged_by_the_next_refresh(postgres_url, monkeypatch):
    """On PostgreSQL an ingest can commit while another process refreshes the index; its claims must
    not be lost to the index (marked merged without having been merged)."""
    with open_store(postgres_url) as store, open_store(postgres_url) as other:
        populate(store)
        index.ensure_fresh(store)
        first = "Two T-90M tanks were seen near Kharkiv again."
        store.save(record(first, "Ukrainska Pravda", "2024-05-03",
                          [claim(first, "deployment", [(T90M, 2)], KHARKIV, "2024-05-02")], [T90M, KHARKIV]))
        late = "Five T-72B3 tanks reached Bamako on Friday."
        rebuild = index._rebuild_parts

        def rebuild_while_another_process_saves(conn, parts, **options):
            report = rebuild(conn, parts, **options)
            other.save(record(late, "Le Monde", "2024-05-10",
                              [claim(late, "deployment", [(T72B3, 5)], BAMAKO, "2024-05-09")], [T72B3, BAMAKO]))
            return report

        monkeypatch.setattr(index, "_rebuild_parts", rebuild_while_another_process_saves)
        assert index.ensure_fresh(store).partitions == 1  # Kharkiv's, merged before Bamako's document existed
        monkeypatch.undo()
        assert indexed(store) == {o.id: index.to_record(o) for o in merge(store.facts())}
