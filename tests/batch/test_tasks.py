"""The Python side of local batch runs (`orbat.batch.tasks`), without Spark: splits, done keys, commits."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from orbat.acquire import SourceError
from orbat.batch import job, tasks
from orbat.batch.tasks import (
    PROGRESS,
    DoneKeys,
    item_key,
    plan_splits,
    progress_count,
    run_split,
    split_items,
    write_done_keys,
)

MAX_BYTES = 5_000_000


def _jsonl(path: Path) -> Path:
    lines = [
        json.dumps(
            {
                "id": f"r{n}",
                "text": f"Report {n}: two T-72B3 tanks reached Kherson.",
                "published": f"2024-03-0{1 + n % 9}",
            }
        )
        for n in range(30)
    ]
    lines[7] = "this line is not JSON"
    lines[12] = ""  # a blank line is no document, as for `orbat extract`, but it still has its number
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_splits_give_every_line_once_with_its_line_number(tmp_path):
    corpus = _jsonl(tmp_path / "news.jsonl")
    plan = plan_splits([(str(corpus), "jsonl")], tasks=4)
    assert len(plan.splits) >= 4 and plan.totals == {str(corpus): 29}
    items = [item for split in plan.splits for item in split_items(split, MAX_BYTES)]
    assert [item.origin for item in items] == [f"{corpus}:{n}" for n in range(1, 31) if n != 13]
    bad = {item.origin.rsplit(":", 1)[1] for item in items if isinstance(item, SourceError)}
    assert bad == {"8"}
    last = items[28]
    assert (last.external_id, last.published, last.raw) == (
        "r29",
        "2024-03-03",
        b"Report 29: two T-72B3 tanks reached Kherson.",
    )


def test_parquet_and_folder_inputs_split_between_row_groups_and_files(tmp_path):
    table = pa.table(
        {"id": [f"p{n}" for n in range(10)], "text": [f"Note {n} on a convoy near Pokrovsk." for n in range(10)]}
    )
    parquet = tmp_path / "more.parquet"
    pq.write_table(table, parquet, row_group_size=3)
    folder = tmp_path / "notes"
    folder.mkdir()
    for n in range(5):
        (folder / f"note{n}.txt").write_text(f"Field note {n}: artillery moved west of Bakhmut.", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not read", encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    plan = plan_splits([(str(parquet), "parquet"), (str(folder), "folder")], tasks=6)
    assert plan.totals == {str(parquet): 10, str(folder): 5}
    assert [s.index for s in plan.splits] == list(range(len(plan.splits)))
    origins = [item.origin for split in plan.splits for item in split_items(split, MAX_BYTES)]
    assert origins[:10] == [f"{parquet}:{n}" for n in range(1, 11)]
    assert sorted(origins[10:]) == sorted(str(folder / f"note{n}.txt") for n in range(5))
    assert len({s.input_file for s in plan.splits if s.kind == "parquet"}) == 1
    assert sum(1 for s in plan.splits if s.kind == "parquet") > 1


def test_done_keys_find_exactly_the_keys_written(tmp_path):
    keys = [f"sha256:{n:064x}" for n in range(0, 3000, 3)] + ["origin:/data/news.jsonl:8"]
    path = tmp_path / "_done.keys"
    assert write_done_keys(path, keys) == len(keys)
    done = DoneKeys(str(path))
    assert all(key in done for key in keys)
    assert not any(f"sha256:{n:064x}" in done for n in range(1, 3000, 3))
    assert "origin:/data/news.jsonl:9" not in done
    assert "anything" not in DoneKeys(None)


def test_a_split_skips_published_documents_keeps_failures_as_rows_and_publishes_by_rename(tmp_path):
    corpus = _jsonl(tmp_path / "news.jsonl")
    (split,) = plan_splits([(str(corpus), "jsonl")], tasks=1).splits
    items = list(split_items(split, MAX_BYTES))
    write_done_keys(tmp_path / "_done.keys", [item_key(items[0]), item_key(items[7])])

    def failing(source):
        raise ValueError(f"no extractor here for {source.origin}")

    staging = tmp_path / "staging"
    summary = run_split(split, staging, DoneKeys(str(tmp_path / "_done.keys")), failing, MAX_BYTES)
    assert summary["skipped"] == 2 and summary["documents"] == 0 and summary["errors"] == 27  # 29 items
    assert summary["files"] == ["errors/month=unknown/" + summary["files"][0].rsplit("/", 1)[1]]
    assert summary["files"][0].rsplit("/", 1)[1].startswith("part-00000-")
    written = [p.name for p in staging.rglob("*") if p.is_file() and p.parent.name != PROGRESS]
    assert written == [summary["files"][0].rsplit("/", 1)[1]]
    errors = pq.read_table(staging / summary["files"][0])
    assert "month" not in errors.column_names
    reasons = errors.column("reason").to_pylist()
    assert sum("no extractor here" in r for r in reasons) == 27 and sum("not JSON" not in r for r in reasons) == 27


def test_a_running_split_tells_the_driver_how_many_documents_it_has_done(tmp_path, monkeypatch):
    """Spark reports a task's accumulator only when the task ends: the driver's progress line
    reads the counts the running tasks write instead (a job of one task per core sat at 0)."""
    monkeypatch.setattr(tasks, "PROGRESS_WRITE_S", 0.0)
    corpus = _jsonl(tmp_path / "news.jsonl")
    (split,) = plan_splits([(str(corpus), "jsonl")], tasks=1).splits
    staging = tmp_path / "staging"
    seen_midway = []

    def extract(source):
        raise ValueError("counted all the same")

    def on_item():  # the accumulator's hook, called for each document before it is counted
        seen_midway.append(progress_count(staging))

    run_split(split, staging, DoneKeys(None), extract, MAX_BYTES, on_item)
    assert seen_midway == list(range(29))  # what the driver would have read after each document
    assert progress_count(staging) == 29
    assert progress_count(tmp_path / "no-such-run") == 0


def test_the_progress_line_counts_running_tasks(monkeypatch):
    monkeypatch.setattr(job, "PROGRESS_EVERY_S", 0.05)
    lines = []

    class Finished:  # what an accumulator shows: the documents of finished tasks only
        value = 0

    stop = job._progress(Finished(), 40, lines.append, lambda: 12)
    try:
        for _ in range(100):
            if lines:
                break
            stop.wait(0.05)
    finally:
        stop.set()
    assert lines and lines[0].startswith("orbat batch: 12/40 documents, ") and "ETA inf" not in lines[0]
