"""The observation index: always what merging the latest runs' claims gives, refreshed by parts."""

from __future__ import annotations

import dataclasses

import pytest
from knowledge_factory import BAMAKO, KHARKIV, T72B3, T90M, claim, convoy_records, populate, record
from sqlalchemy import func, select, text, update

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
    """Small batches, each read while the one before merges (on PostgreSQL from one ordered pass
    over the facts), give the same index."""
    batches = []
    grouped = index._grouped
    monkeypatch.setattr(index, "BATCH_FACTS", 2)
    monkeypatch.setattr(index, "_grouped", lambda *args: batches.append(args) or grouped(*args))
    assert index.refresh(store.engine, full=True).full
    assert len(batches) > 2
    assert indexed(store) == {o.id: index.to_record(o) for o in merge(store.facts())}


def test_a_full_rebuild_in_one_pass_gives_the_index_batch_by_batch_reads_give(store, monkeypatch):
    """A full rebuild on PostgreSQL reads the facts once, in partition order, and cuts them into
    the batches: countries whole, and a country too large for one batch by its families. The
    index is the one the batch-by-batch reads (an incremental refresh's way) build."""
    passes = []
    in_one_pass = index._facts_in_one_pass
    monkeypatch.setattr(index, "BATCH_FACTS", 1)  # a partition per batch: families of one country apart
    monkeypatch.setattr(index, "_facts_in_one_pass",
                        lambda *args, **kwargs: passes.append(args) or in_one_pass(*args, **kwargs))
    report = index.refresh(store.engine, full=True)
    assert len(passes) == (store.backend == "postgresql") and report.partitions >= 3
    one_pass = indexed(store)
    with store.engine.begin() as conn:  # as if no run were merged: every partition again, read by its own query
        conn.execute(index.delete(index.merged_runs))
        mark = conn.execute(select(index.index_state.c.value)).scalar_one().split("|")
        conn.execute(update(index.index_state).values(value="|".join([mark[0], "0", *mark[2:]])))
    report = index.refresh(store.engine)
    assert not report.full and report.partitions >= 3 and len(passes) <= 1
    assert indexed(store) == one_pass == {o.id: index.to_record(o) for o in merge(store.facts())}


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


def test_postgresql_keeps_long_observation_records_uncompressed_and_whole(postgres_url):
    """An observation of many claims has a record of megabytes, mostly claim ids that barely
    compress: the server stores it out of line without trying to compress it, and `show` reads
    it back whole."""
    with open_store(postgres_url) as store:
        populate(store)
        records = indexed(store)
        with store.engine.connect() as conn:
            storage = conn.execute(text(
                "SELECT attstorage FROM pg_attribute WHERE attrelid = 'orbat_observation_records'::regclass "
                "AND attname = 'record'")).scalar_one()
            long_id = sorted(records)[0]
            long_record = {**records[long_id], "claim_ids": [f"claim:{n:032x}" for n in range(50_000)]}
            conn.execute(update(index.observation_records).where(index.observation_records.c.id == long_id)
                         .values(record=long_record))
            stored = conn.execute(text("SELECT pg_column_size(record), octet_length(record::text) "
                                       "FROM orbat_observation_records WHERE id = :id"), {"id": long_id}).one()
            conn.commit()
        assert storage == "e"  # EXTERNAL: out of line, never compressed
        assert stored[0] >= stored[1] > 2_000_000
        assert index.full_observations(store, [long_id])[0].claim_ids[-1] == f"claim:{49_999:032x}"


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


def test_a_full_rebuild_shared_with_a_helper_process_gives_the_same_index(store, monkeypatch):
    """`orbat batch load`'s first build on PostgreSQL merges its last batches in a second process;
    its rows are written in the refresh's own transaction, and the index is the one merging every
    fact gives (SQLite, or any store with too few batches, merges in this process alone)."""
    monkeypatch.setattr(index, "BATCH_FACTS", 1)
    monkeypatch.setattr(index, "HELPER_MIN_BATCHES", 2)
    helpers = []
    start = index._Helper.start
    monkeypatch.setattr(index._Helper, "start", lambda *args: helpers.append(start(*args)) or helpers[-1])
    report = index.refresh(store.engine, full=True, processes=2)
    if store.backend == "postgresql":
        assert helpers[0] is not None and 0 < helpers[0].received == len(helpers[0].partitions)
        assert helpers[0].process.exitcode == 0
    assert report.full and report.observations == len(indexed(store))
    assert indexed(store) == {o.id: index.to_record(o) for o in merge(store.facts())}


_KILLED_REFRESH = """
import os, sys, time
import orbat.observation_index as index
from orbat.store import open_store
index.BATCH_FACTS, index.HELPER_MIN_BATCHES, me, merged = 1, 2, os.getpid(), index._merged
index._merged = lambda groups: time.sleep(60) if os.getpid() != me else merged(groups)  # the helper stalls
start = index._Helper.start
def started(*args):
    helper = start(*args)
    print(helper.process.pid, flush=True)
    return helper
index._Helper.start = started
index.refresh(open_store(sys.argv[1]).engine, full=True, processes=2)
"""


def test_a_refresh_killed_with_its_helper_running_leaves_nothing_held(postgres_url, tmp_path):
    """A `batch load` killed during its first index build, helper process and all, can be rerun:
    the helper dies with it, so neither holds the refresh's lock or transaction."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from knowledge_factory import populate

    with open_store(postgres_url) as store:
        populate(store)
    script = tmp_path / "refresh.py"
    script.write_text(_KILLED_REFRESH, encoding="utf-8")
    src = str(Path(index.__file__).parents[1])
    refresher = subprocess.Popen([sys.executable, str(script), postgres_url], stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, "PYTHONPATH": src})
    helper = int(refresher.stdout.readline())
    os.kill(refresher.pid, signal.SIGKILL)
    refresher.wait()

    def alive(pid: int) -> bool:  # an orphan the init process has not reaped yet is dead too
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 3
    while alive(helper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(helper)
    with open_store(postgres_url) as store:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            with store.engine.connect() as conn:
                held = conn.execute(select(func.count()).select_from(text("pg_locks"))
                                    .where(text("locktype = 'advisory'"))).scalar_one()
            if not held:
                break
            time.sleep(0.05)
        assert not held
        assert index.refresh(store.engine, full=True, processes=2).full
        assert indexed(store) == {o.id: index.to_record(o) for o in merge(store.facts())}
