"""`orbat batch load` without Spark: a batch output folder written here from `extract_rows`, the
rows the Spark task makes, then loaded as users load it (PostgreSQL with two writers, SQLite).

What a user relies on: every document lands once with all its parts whichever writer gets it,
the same bytes read from two input files are one document seen twice, and loading the folder
again adds nothing.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from tests.test_quick_exit import WRAPPED  # `python -m orbat ARGS` under an exit handler of the caller's

from orbat.acquire.corpora import _clean_item
from orbat.batch import load as batch_load
from orbat.batch.load import load
from orbat.batch.output import FORMAT, MARKER
from orbat.batch.rows import COLUMNS, extract_rows
from orbat.errors import InputError
from orbat.model import ExtractionRecord, SourceDocument
from orbat.pipeline import extract_source
from orbat.store import open_store
from orbat.store.rows import record_rows
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

# Short reports written for this test about real events.
REPORTS = [
    ("kherson", "2022-11-11", "On 11 November 2022 Ukrainian troops entered Kherson after Russian forces withdrew "
     "across the Dnipro. Residents reported abandoned T-72B3 tanks near the city."),
    ("bakhmut", "2023-05-20", "Russian forces claimed on 20 May 2023 that they had taken Bakhmut. Ukraine said "
     "its troops still held positions on the south-western edge, supported by M777 howitzers."),
    ("kursk", "2024-08-07", "On 7 August 2024 Ukrainian units crossed into the Kursk region of Russia near Sudzha, "
     "reportedly with Stryker and Marder vehicles."),
]
ARROW = {"string": pa.string(), "bigint": pa.int64(), "double": pa.float64(), "boolean": pa.bool_(),
         "binary": pa.binary()}


def _sources() -> list[tuple[str, SourceDocument]]:
    """(input file, source): three reports in one input file, the first again in a second file."""
    items = [("news.jsonl", n + 1, {"id": name, "text": text, "published": published})
             for n, (name, published, text) in enumerate(REPORTS)]
    items.append(("mirror.jsonl", 1, items[0][2]))  # the same bytes, seen elsewhere
    return [(input_file, _clean_item(item, f"{input_file}:{line}", 10**7)) for input_file, line, item in items]


_RECORDS: dict[bytes, ExtractionRecord] = {}


def _extract(source: SourceDocument) -> ExtractionRecord:
    """`extract_source`, once per distinct source in this module (the records do not change)."""
    key = pickle.dumps(source)  # the bytes and where they were seen: both are in the record
    if key not in _RECORDS:
        _RECORDS[key] = extract_source(source)
    return _RECORDS[key]


def _write_output(out: Path, *, legacy: bool = False, task_files: bool = False) -> dict[str, int]:
    """A published batch output of `_sources`; `legacy`: entity and claim rows as JSON, as the first
    format of the output held them (before the typed columns). Files: one per table and month, or
    with `task_files` one per table, month and input file, all of an input file's named alike, as
    the Spark tasks name theirs (a task reads one input file here)."""
    items = _sources()
    tables: dict[str, list[dict]] = defaultdict(list)
    read_from: dict[int, str] = {}  # id of each row -> the input file its document was read from
    for input_file, source in items:
        for table, row in extract_rows(source, input_file, _extract):
            tables[table].append(row)
            read_from[id(row)] = input_file
        if legacy:  # the rows as the old tasks wrote them: `store_row(s)` JSON of `record_rows`
            rows = record_rows(_extract(source))
            tables["entities"] = [r for r in tables["entities"] if r["document_id"] != rows.document["id"]]
            tables["entities"] += [{"document_id": rows.document["id"], "position": e["position"],
                                    "store_row": json.dumps(e), "month": "all"} for e in rows.entities]
            tables["claims"] = [r for r in tables["claims"] if r["document_id"] != rows.document["id"]]
            tables["claims"] += [{"document_id": rows.document["id"], "position": c.claim["position"],
                                  "store_rows": json.dumps({"claim": c.claim, "equipment": c.equipment,
                                                            "actors": c.actors}), "month": "all"}
                                 for c in rows.claims]
    if legacy:  # the old format had no equipment and actor tables, and its rows were in no month
        del tables["claim_equipment"], tables["claim_actors"]
        for row in tables["documents"]:
            row["month"] = "all"
    assert not tables["errors"]
    for table, rows in tables.items():
        by_file: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for row in rows:  # one file per month and input file, as Spark tasks write them
            name = read_from[id(row)] if task_files else row["input_file"] if table == "documents" else "all"
            by_file[(row["month"], name)].append(row)
        fields = [(c, ARROW[kind]) for c, kind in COLUMNS[table].items() if c != "month"]
        if legacy and table in ("entities", "claims"):
            fields = [("document_id", pa.string()), ("position", pa.int64()),
                      ("store_row" if table == "entities" else "store_rows", pa.string())]
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


@pytest.fixture(scope="module", params=["task files", "a file per table"])
def output(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """Both layouts: the loader reads task files part by part, other files a month at a time."""
    out = tmp_path_factory.mktemp("load-batches") / "extracted"
    expected = _write_output(out, task_files=request.param == "task files")
    assert expected["claims"] >= 3 and expected["entities"] >= 6
    return out, expected


def _counts(db: str) -> dict[str, int]:
    with open_store(db) as store:
        stats = store.stats()
    return {"documents": stats.documents, "sightings": stats.sightings, "claims": stats.claims,
            "entities": stats.entities}


def test_each_document_lands_once_whichever_writer_takes_it_and_a_reload_adds_nothing(output, db_url, monkeypatch):
    out, expected = output
    monkeypatch.setattr(batch_load, "PART_BATCHES", 1)  # task files: each its own part, the copy in another
    with open_store(db_url) as store:  # one document per batch: two PostgreSQL writers race on the copy
        first = load(str(out), store, batch_documents=1, writers=2, log=lambda _line: None)
    assert (first.new, first.duplicate, first.failed) == (3, 1, 0)
    assert _counts(db_url) == expected  # the copy adds its sighting, not a second document
    with open_store(db_url) as store:
        again = load(str(out), store, batch_documents=3, log=lambda _line: None)
    assert (again.new, again.duplicate, again.failed) == (0, 4, 0)
    assert _counts(db_url) == expected


def test_the_command_ends_with_everything_stored_and_reported(output, db_url, tmp_path):
    """`orbat batch load` ends without the interpreter's teardown (`orbat.cli._exit_now`): its
    summary still reaches stdout, the caller's exit handlers run, and every row is committed."""
    out, expected = output
    marker = tmp_path / "marker"
    run = subprocess.run(
        [sys.executable, "-c", WRAPPED, str(marker), "batch", "load", str(out), "--db", db_url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("orbat batch load: 3 new, 0 reprocessed, 1 duplicate, 0 failed")
    assert marker.read_text() == "ran"
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
    _one_dangling_row_fails_alone(tmp_path, postgres_url)


def test_a_document_whose_rows_refer_to_nothing_fails_alone_on_sqlite(tmp_path):
    """SQLite's bulk path inserts the Arrow rows as they are: a row pointing at no run still sends
    the batch down the careful path, where only its document fails."""
    _one_dangling_row_fails_alone(tmp_path, str(tmp_path / "orbat.db"))


def _one_dangling_row_fails_alone(tmp_path, db: str) -> None:
    out = tmp_path / "extracted"
    expected = _write_output(out)
    file = next((out / "entities").rglob("*.parquet"))
    table = pq.read_table(file).to_pylist()
    bad = {"run_id": "run:" + "0" * 32}  # no such extraction run
    table[0]["run_id"] = bad["run_id"]
    schema = pq.read_schema(file)
    pq.write_table(pa.Table.from_pylist(table, schema=schema), file)
    copies = sum(row["document_id"] == table[0]["document_id"]  # each input file's copy fails
                 for path in (out / "documents").rglob("*.parquet") for row in pq.read_table(path).to_pylist())
    with open_store(db) as store:
        summary = load(str(out), store, writers=1, log=lambda _line: None)
    assert (summary.new, summary.failed) == (expected["documents"] - 1, copies)
    with open_store(db) as store, store.engine.connect() as conn:
        orphans = conn.execute(select(func.count()).select_from(entities)
                               .where(entities.c.run_id == bad["run_id"])).scalar()
    assert orphans == 0


STORED = (documents, captures, sightings, extraction_runs, entities, claims, claim_equipment, claim_actors)
WHEN_WRITTEN = {"created", "seen_at", "id"}  # times of writing, and `sightings.id` (a counter)


def _stored_rows(db: str) -> dict[str, list[dict]]:
    """Every row of the stored tables, read back through the schema, without the times of writing."""
    with open_store(db) as store, store.engine.connect() as conn:
        out = {}
        for table in STORED:
            kept = [c for c in table.columns if not (c.name in WHEN_WRITTEN and table in (sightings,))
                    and c.name not in ("created", "seen_at")]
            rows = [dict(row._mapping) for row in conn.execute(select(*kept))]
            out[table.name] = sorted(rows, key=lambda row: json.dumps(row, sort_keys=True, default=str))
        return out


@pytest.mark.parametrize("legacy", [False, True], ids=["typed", "legacy-json"])
def test_loaded_rows_are_the_rows_ingest_stores(tmp_path, db_url, legacy):
    """Row for row and column for column (times of writing aside), on both backends, whether the
    folder holds the typed columns or was written in the first format (rows as JSON)."""
    out = tmp_path / "extracted"
    _write_output(out, legacy=legacy)
    ingested = str(tmp_path / "ingested.db")
    with open_store(ingested) as store:
        for _input_file, source in sorted(_sources(), key=lambda item: item[0]):  # in the order load reads
            store.save(_extract(source))
    with open_store(db_url) as store:
        summary = load(str(out), store, log=lambda _line: None)
    assert (summary.new, summary.duplicate, summary.failed) == (3, 1, 0)
    expected, loaded = _stored_rows(ingested), _stored_rows(db_url)
    assert sum(len(rows) for rows in expected.values()) > 30
    for table in STORED:
        assert loaded[table.name] == expected[table.name], table.name


def _index_names(db: str) -> set[str]:
    with open_store(db) as store, store.engine.connect() as conn:
        return set(conn.exec_driver_sql("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
                   .scalars())


def _schema_index_names() -> set[str]:
    from orbat.store.schema import metadata

    return {index.name for table in metadata.tables.values() for index in table.indexes}


def test_a_load_into_an_empty_postgresql_store_ends_with_every_index(tmp_path, postgres_url):
    """The load sets the secondary indexes aside while it writes (a load into an empty store at
    least triples it) and builds them again before it ends: queries after it are as fast as ever."""
    out = tmp_path / "extracted"
    expected = _write_output(out, task_files=True)
    with open_store(postgres_url) as store:
        held_during: list[set[str]] = []
        load(str(out), store, log=lambda line: held_during.append(_index_names(postgres_url)))
    assert _counts(postgres_url) == expected
    assert held_during
    for during in held_during:  # a few the queries rely on went; the unique keys stayed
        assert not during & {"ix_claims_document_id", "ix_claim_equipment_name_key", "ix_documents_published"}
        assert {"ix_documents_canonical_url", "pk_claims", "pk_documents"} <= during
    assert _schema_index_names() <= _index_names(postgres_url)


def test_indexes_a_killed_load_left_out_are_built_by_the_next_load(tmp_path, postgres_url):
    """A load killed mid-way leaves its store without the secondary indexes; the next `batch load`
    (here a reload, every document a duplicate, which sets nothing aside) builds them first."""
    out = tmp_path / "extracted"
    _write_output(out, task_files=True)
    with open_store(postgres_url) as store:
        load(str(out), store, log=lambda _line: None)
        with store.engine.begin() as conn:  # what the killed load left
            conn.exec_driver_sql("DROP INDEX ix_claims_document_id, ix_entities_catalog_id")
    assert "ix_claims_document_id" not in _index_names(postgres_url)
    with open_store(postgres_url) as store:
        again = load(str(out), store, log=lambda _line: None)
    assert again.new == 0
    assert _schema_index_names() <= _index_names(postgres_url)


def test_a_load_that_fails_still_builds_the_indexes_it_set_aside(tmp_path, postgres_url):
    out = tmp_path / "extracted"
    _write_output(out, task_files=True)
    claims_file = next((out / "claims").rglob("*.parquet"))
    pq.write_table(pa.table({"document_id": ["x"]}), claims_file)  # neither the typed columns nor JSON
    with open_store(postgres_url) as store, pytest.raises(InputError, match="neither the store's columns"):
        load(str(out), store, log=lambda _line: None)
    assert _schema_index_names() <= _index_names(postgres_url)


def _observation_count(db: str) -> int:
    from orbat.observation_index import count

    with open_store(db) as store:
        return count(store)


def test_the_indexes_are_built_beside_the_observation_refresh_in_a_process_of_their_own(
        tmp_path, postgres_url, monkeypatch):
    """The set-aside indexes are built by another process while the load refreshes the
    observation index (which needs none of them): the load ends with every index and every
    observation, and the building process's session was another than the load's."""
    import os

    from orbat.store import bulk

    builders = tmp_path / "builders"
    real_build = bulk._build

    def noting_build(engine, indexes):
        with builders.open("a") as notes:
            notes.write(f"{os.getpid()}\n")
        real_build(engine, indexes)

    monkeypatch.setattr(bulk, "_build", noting_build)  # the fork inherits it
    out = tmp_path / "extracted"
    expected = _write_output(out, task_files=True)
    with open_store(postgres_url) as store:
        summary = load(str(out), store, log=lambda _line: None)
    assert summary.new == expected["documents"]
    assert _schema_index_names() <= _index_names(postgres_url)
    assert _observation_count(postgres_url) > 0
    pids = builders.read_text().split()
    assert len(pids) == 1 and int(pids[0]) != os.getpid()


@pytest.mark.parametrize("how", ["raises", "dies"])
def test_an_index_build_that_fails_is_reported_and_the_loaded_documents_stay(tmp_path, postgres_url, monkeypatch,
                                                                              how):
    """The build runs in another process; if it raises, or dies without a word, the load fails
    with one clear error after its documents and observations are stored, and the next load
    builds the indexes (a reload, every document a duplicate)."""
    import os

    from orbat.store import bulk

    def failing_build(_engine, _indexes):
        if how == "dies":
            os._exit(3)
        raise OSError("disk full")

    out = tmp_path / "extracted"
    expected = _write_output(out, task_files=True)
    monkeypatch.setattr(bulk, "_build", failing_build)
    with open_store(postgres_url) as store, pytest.raises(RuntimeError, match="building the set-aside indexes failed"
                                                          r" \((OSError: disk full|.*ended before)"):
        load(str(out), store, log=lambda _line: None)
    assert _counts(postgres_url) == expected
    assert _observation_count(postgres_url) > 0
    assert "ix_claims_document_id" not in _index_names(postgres_url)
    monkeypatch.undo()
    with open_store(postgres_url) as store:
        again = load(str(out), store, log=lambda _line: None)
    assert again.new == 0
    assert _schema_index_names() <= _index_names(postgres_url)


def test_a_session_holding_a_table_does_not_hold_up_the_load(tmp_path, postgres_url, monkeypatch):
    """Dropping an index waits for every transaction on its table, and every query after it
    waits behind the drop. An analyst's session left open on the claims must not stall the load
    (nor the readers queued after it): after a short wait the load writes with the indexes."""
    import psycopg

    from orbat.store import bulk

    monkeypatch.setattr(bulk, "INDEX_LOCK_WAIT", "200ms")
    out = tmp_path / "extracted"
    expected = _write_output(out, task_files=True)
    open_store(postgres_url).close()  # the schema, as the analyst's session finds it
    lines: list[str] = []
    with psycopg.connect(postgres_url) as analyst:
        analyst.execute("SELECT count(*) FROM claims").fetchone()  # a transaction left open
        with open_store(postgres_url) as store:
            summary = load(str(out), store, log=lines.append)
        analyst.rollback()
    assert summary.new == expected["documents"]
    assert any("another session holds the tables" in line for line in lines)
    assert _counts(postgres_url) == expected
    assert _schema_index_names() <= _index_names(postgres_url)
