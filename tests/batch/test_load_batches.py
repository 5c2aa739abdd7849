"""`orbat batch load` without Spark: a batch output folder written here from `extract_rows`, the
rows the Spark task makes, then loaded as users load it (PostgreSQL with two writers, SQLite).

What a user relies on: every document lands once with all its parts whichever writer gets it,
the same bytes read from two input files are one document seen twice, and loading the folder
again adds nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orbat.acquire.corpora import _clean_item
from orbat.batch.load import load
from orbat.batch.output import FORMAT, MARKER
from orbat.batch.rows import COLUMNS, extract_rows
from orbat.pipeline import extract_source
from orbat.store import open_store

# Short reports written for this test about real events.
REPORTS = [
    ("kherson", "2022-11-11", "On 11 November 2022 Ukrainian troops entered Kherson after Russian forces withdrew "
     "across the Dnipro. Residents reported abandoned T-72B3 tanks near the city."),
    ("bakhmut", "2023-05-20", "Russian forces claimed on 20 May 2023 that they had taken Bakhmut. Ukraine said "
     "its troops still held positions on the south-western edge, supported by M777 howitzers."),
    ("kursk", "2024-08-07", "On 7 August 2024 Ukrainian units crossed into the Kursk region of Russia near Sudzha, "
     "reportedly with Stryker and Marder vehicles."),
]
ARROW = {"string": pa.string(), "bigint": pa.int64(), "double": pa.float64(), "binary": pa.binary()}


def _write_output(out: Path) -> dict[str, int]:
    """A published batch output: three reports in one input file, the first again in a second file."""
    items = [("news.jsonl", n + 1, {"id": name, "text": text, "published": published})
             for n, (name, published, text) in enumerate(REPORTS)]
    items.append(("mirror.jsonl", 1, items[0][2]))  # the same bytes, seen elsewhere
    tables: dict[str, list[dict]] = defaultdict(list)
    for input_file, line, item in items:
        source = _clean_item(item, f"{input_file}:{line}", 10**7)
        for table, row in extract_rows(source, input_file, extract_source):
            tables[table].append(row)
    assert not tables["errors"]
    for table, rows in tables.items():
        by_file: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for row in rows:  # one file per month and input file, as Spark tasks write them
            name = row["input_file"] if table == "documents" else "all"
            by_file[(row["month"], name)].append(row)
        fields = [(c, ARROW[kind]) for c, kind in COLUMNS[table].items() if c != "month"]
        for (month, name), part in by_file.items():
            folder = out / table / f"month={month}"
            folder.mkdir(parents=True, exist_ok=True)
            columns = {c: [row[c] for row in part] for c, _ in fields}
            pq.write_table(pa.table(columns, schema=pa.schema(fields)), folder / f"{name}-part-0.parquet")
    (out / MARKER).write_text(json.dumps({"format": FORMAT, "inputs": {}}), encoding="utf-8")
    documents = {row["document_id"]: row for row in tables["documents"]}
    return {"documents": len(documents), "sightings": len(items),
            "claims": sum(d["claims"] for d in documents.values()),
            "entities": sum(d["entities"] for d in documents.values())}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("load-batches") / "extracted"
    expected = _write_output(out)
    assert expected["claims"] >= 3 and expected["entities"] >= 6
    return out, expected


def _counts(db: str) -> dict[str, int]:
    with open_store(db) as store:
        stats = store.stats()
    return {"documents": stats.documents, "sightings": stats.sightings, "claims": stats.claims,
            "entities": stats.entities}


def test_each_document_lands_once_whichever_writer_takes_it_and_a_reload_adds_nothing(output, db_url):
    out, expected = output
    with open_store(db_url) as store:  # one document per batch: two PostgreSQL writers race on the copy
        first = load(str(out), store, batch_documents=1, writers=2, log=lambda _line: None)
    assert (first.new, first.duplicate, first.failed) == (3, 1, 0)
    assert _counts(db_url) == expected  # the copy adds its sighting, not a second document
    with open_store(db_url) as store:
        again = load(str(out), store, batch_documents=3, log=lambda _line: None)
    assert (again.new, again.duplicate, again.failed) == (0, 4, 0)
    assert _counts(db_url) == expected


def test_a_reload_still_records_a_sighting_it_has_not_seen(output, tmp_path):
    """Only documents stored with this very sighting skip the write: another origin is recorded."""
    out, expected = output
    db = str(tmp_path / "kb.db")
    mirror = next((out / "documents").rglob("mirror.jsonl-part-0.parquet"))
    aside = tmp_path / mirror.name
    mirror.rename(aside)  # first load without the second sighting
    try:
        with open_store(db) as store:
            assert load(str(out), store, log=lambda _line: None).new == 3
        assert _counts(db) == {**expected, "sightings": expected["sightings"] - 1}
    finally:
        aside.rename(mirror)
    with open_store(db) as store:
        again = load(str(out), store, log=lambda _line: None)
    assert (again.new, again.duplicate) == (0, 4)
    assert _counts(db) == expected


def test_a_document_whose_rows_refer_to_nothing_fails_alone_on_postgresql(tmp_path, postgres_url):
    """The bulk path checks foreign keys once per batch (the per-row triggers are off for a role
    that may turn them off, as the test server's superuser may): a row pointing at no run must
    still be refused, and only its document fails."""
    out = tmp_path / "extracted"
    expected = _write_output(out)
    file = next((out / "entities").rglob("*.parquet"))
    table = pq.read_table(file).to_pylist()
    bad = json.loads(table[0]["store_row"])
    bad["run_id"] = "run:" + "0" * 32  # no such extraction run
    table[0]["store_row"] = json.dumps(bad)
    schema = pq.read_schema(file)
    pq.write_table(pa.Table.from_pylist(table, schema=schema), file)
    copies = sum(row["document_id"] == table[0]["document_id"]  # each input file's copy fails
                 for path in (out / "documents").rglob("*.parquet") for row in pq.read_table(path).to_pylist())
    with open_store(postgres_url) as store:
        summary = load(str(out), store, writers=1, log=lambda _line: None)
    assert (summary.new, summary.failed) == (expected["documents"] - 1, copies)
    with open_store(postgres_url) as store, store.engine.connect() as conn:
        orphans = conn.exec_driver_sql("SELECT count(*) FROM entities WHERE run_id = %s", (bad["run_id"],)).scalar()
    assert orphans == 0
