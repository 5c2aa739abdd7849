"""`orbat batch` on real Spark in local mode: extract, rerun, kill and resume, load, status.

Spark runs as users run it (the `orbat` command in a subprocess, `local[2]`), so these tests
start a JVM: they are the slowest in the suite, and share one extraction where they can.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
ORBAT = [sys.executable, "-m", "orbat"]
MASTER = "local[2]"


def _orbat(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*ORBAT, *args], capture_output=True, text=True, timeout=timeout)


def _reports() -> list[tuple[str, str, str]]:
    """(id, text, published) of our own example reports."""
    out = []
    for gold in sorted(CORPUS.glob("*.gold.json")):
        meta = json.loads(gold.read_text(encoding="utf-8"))
        out.append((meta["id"], (CORPUS / meta["text_file"]).read_text(encoding="utf-8"), meta["published"]))
    return out


def _table(out: Path, table: str) -> list[dict]:
    files = [p for p in (out / table).rglob("*.parquet") if not p.name.startswith((".", "_"))]
    return [row for path in sorted(files) for row in pq.read_table(path).to_pylist()]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A JSONL corpus with two bad lines, a Parquet corpus and a folder of text files."""
    base = tmp_path_factory.mktemp("batch-inputs")
    reports = _reports()
    jsonl = base / "news.jsonl"
    with jsonl.open("w", encoding="utf-8") as handle:
        for doc_id, text, published in reports[:20]:
            handle.write(json.dumps({"id": doc_id, "text": text, "published": published}) + "\n")
        handle.write("this line is not JSON\n")
        handle.write('{"id": "surrogate", "text": "T-72B3 in Bamako \\ud800", "published": "2025-01-20"}\n')
    table = pa.table({"id": [r[0] for r in reports[20:30]], "text": [r[1] for r in reports[20:30]],
                      "published": [r[2] for r in reports[20:30]]})
    parquet = base / "more.parquet"
    pq.write_table(table, parquet)
    folder = base / "notes"
    folder.mkdir()
    for doc_id, text, _published in reports[30:34]:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return {"jsonl": jsonl, "parquet": parquet, "folder": folder, "good": 34}


@pytest.fixture(scope="module")
def extracted(inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch-out") / "extracted"
    run = _orbat("batch", "extract", str(inputs["jsonl"]), str(inputs["parquet"]), str(inputs["folder"]),
                 "--out", str(out), "--master", MASTER)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    return out


def test_every_document_lands_once_with_its_parts_and_bad_lines_become_error_rows(extracted, inputs):
    documents = _table(extracted, "documents")
    assert len(documents) == inputs["good"]
    assert len({d["document_id"] for d in documents}) == len(documents)
    claims, entities = _table(extracted, "claims"), _table(extracted, "entities")
    assert sum(d["claims"] for d in documents) == len(claims) > 34
    assert sum(d["entities"] for d in documents) == len(entities)
    assert {c["document_id"] for c in claims} <= {d["document_id"] for d in documents}
    errors = _table(extracted, "errors")
    assert sorted(e["origin"].rsplit(":", 1)[1] for e in errors) == ["21", "22"]
    assert any("JSON" in e["reason"] for e in errors)
    # partitioned by publication month; the notes folder has no dates
    months = {p.name for p in (extracted / "claims").iterdir()}
    assert "month=2025-01" in months and "month=unknown" in months


def test_a_first_run_extracts_in_several_tasks_not_one(extracted):
    """Each Spark task writes its own part files: documents from one task only meant that
    `local[2]` extracted everything on one core (the anti-join against no earlier output had
    been folded into one partition)."""
    tasks = {p.name.split("-part-")[1][:5] for p in (extracted / "documents").rglob("*.parquet")}
    assert len(tasks) >= 2, tasks


def test_records_are_identical_to_orbat_extract_jsonl(extracted, inputs):
    cli = _orbat("extract", str(inputs["jsonl"]), "--format", "jsonl")
    expected = {}
    for line in cli.stdout.splitlines():
        record = json.loads(line)
        if "document" in record:
            expected[record["document"]["id"]] = line
    batch = {d["document_id"]: d["record"] for d in _table(extracted, "documents")
             if d["input_file"].endswith(".jsonl")}
    assert len(batch) == 20 and batch.keys() == expected.keys()
    for document_id, record in batch.items():
        assert record == expected[document_id]


def test_status_counts_done_failed_and_pending_per_input(extracted, inputs):
    run = _orbat("batch", "status", str(extracted), "--format", "json")
    assert run.returncode == 0, run.stderr
    status = {i["input_file"]: i for i in json.loads(run.stdout)["inputs"]}
    jsonl = status[str(inputs["jsonl"])]
    assert (jsonl["total"], jsonl["done"], jsonl["failed"], jsonl["pending"]) == (22, 20, 2, 0)
    assert status[str(inputs["folder"])]["done"] == 4


def test_a_rerun_extracts_nothing_twice(extracted, inputs):
    before = {t: len(_table(extracted, t)) for t in ("documents", "entities", "claims", "errors")}
    run = _orbat("batch", "extract", str(inputs["jsonl"]), str(inputs["parquet"]), str(inputs["folder"]),
                 "--out", str(extracted), "--master", MASTER)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "0 documents extracted" in run.stdout and "36 already done" in run.stdout
    assert {t: len(_table(extracted, t)) for t in before} == before


def test_a_job_killed_mid_run_and_rerun_ends_with_every_document_exactly_once(tmp_path):
    # a corpus of its own, smaller than the module's: the kill needs several partitions, not many documents
    reports = _reports()[:12]
    corpus = tmp_path / "killed-news.jsonl"
    lines = [json.dumps({"id": doc_id, "text": text, "published": published}) for doc_id, text, published in reports]
    corpus.write_text("\n".join([*lines[:6], "this line is not JSON", *lines[6:], "{broken"]) + "\n", encoding="utf-8")
    good = len(reports)
    out = tmp_path / "killed"
    args = [*ORBAT, "batch", "extract", str(corpus), "--out", str(out), "--master", MASTER, "--partitions", "6"]
    job = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and job.poll() is None:
        staged = list((out / "_staging").glob("run-*/*/month=*/*.parquet")) if (out / "_staging").exists() else []
        if staged:  # the job is writing its tables: kill the driver and its JVM now
            break
        time.sleep(0.05)
    assert job.poll() is None, "the job ended before it could be killed"
    os.killpg(job.pid, signal.SIGKILL)
    job.wait()
    assert not _table(out, "documents") or len(_table(out, "documents")) < good
    rerun = _orbat("batch", "extract", str(corpus), "--out", str(out), "--master", MASTER)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    documents = _table(out, "documents")
    assert len(documents) == good
    assert len({d["document_id"] for d in documents}) == good
    claims = _table(out, "claims")
    assert not [k for k, n in Counter(c["claim_id"] for c in claims).items() if n > 1]
    assert sum(d["claims"] for d in documents) == len(claims)
    assert len(_table(out, "errors")) == 2
    assert not list((out / "_staging").glob("run-*"))


def test_a_url_input_takes_the_spark_side_reading_and_gives_the_same_rows(tmp_path, extracted, inputs):
    """`hdfs://` and `s3a://` inputs are read by Spark, not by the Python tasks; a `file://` URL takes
    that path here, and its documents must come out as the local path wrote them. A blank line is
    no document there either."""
    corpus = tmp_path / "url-news.jsonl"
    corpus.write_text("".join(inputs["jsonl"].read_text(encoding="utf-8").splitlines(True)[:3]) + "\n[1, 2]\n",
                      encoding="utf-8")
    out = tmp_path / "from-url"
    run = _orbat("batch", "extract", corpus.as_uri(), "--out", str(out), "--master", MASTER)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "3 documents extracted, 1 errors" in run.stdout
    local = {d["document_id"]: d["record"] for d in _table(extracted, "documents")}
    documents = _table(out, "documents")
    assert len(documents) == 3
    for document in documents:  # the same record but for its origin, the input as given
        assert document["record"] == local[document["document_id"]].replace(str(inputs["jsonl"]), corpus.as_uri())
    assert [e["origin"] for e in _table(out, "errors")] == [f"{corpus.as_uri()}:5"]


@pytest.fixture(scope="module")
def ingested(inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`orbat stats` after the same documents went through `orbat ingest`, one by one."""
    ingest_db = str(tmp_path_factory.mktemp("batch-ingest") / "ingest.db")
    for source in (inputs["jsonl"], inputs["parquet"]):
        _orbat("ingest", str(source), "--db", ingest_db)
    for note in sorted(inputs["folder"].iterdir()):
        _orbat("ingest", str(note), "--db", ingest_db)
    return json.loads(_orbat("stats", "--db", ingest_db, "--format", "json").stdout)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_load_gives_the_knowledge_base_ingest_gives_and_loading_twice_adds_nothing(
        extracted, inputs, ingested, backend, tmp_path, request):
    db = str(tmp_path / "batch.db") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    run = _orbat("batch", "load", str(extracted), "--db", db)
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"{inputs['good']} new" in run.stdout
    again = _orbat("batch", "load", str(extracted), "--db", db)
    assert again.returncode == 0 and "0 new" in again.stdout and f"{inputs['good']} duplicate" in again.stdout
    loaded = json.loads(_orbat("stats", "--db", db, "--format", "json").stdout)
    # the same documents through `orbat ingest` give the same ids, claims and facts
    for figure in ("documents", "sightings", "runs", "claims", "facts", "observations"):
        assert loaded[figure] == ingested[figure], figure
    posture = _orbat("posture", "PL", "--db", db, "--format", "json")
    assert posture.returncode == 0 and "K2" in posture.stdout


def test_refuses_a_parquet_corpus_without_text_and_a_foreign_output_folder(tmp_path):
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.table({"id": ["1"], "body": ["no text column here"]}), bad)
    run = _orbat("batch", "extract", str(bad), "--out", str(tmp_path / "out"), "--master", MASTER)
    assert run.returncode != 0 and "no text or html column" in run.stderr
    assert "Traceback" not in run.stderr and "at org.apache" not in run.stderr
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    refused = _orbat("batch", "extract", str(bad), "--out", str(foreign))
    assert refused.returncode != 0 and "holds other files" in refused.stderr
    assert (foreign / "holiday.jpg").read_bytes() == b"\xff\xd8"
    missing = _orbat("batch", "extract", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o"))
    assert missing.returncode != 0 and "no such file" in missing.stderr


def test_status_refuses_a_folder_that_is_not_batch_output(tmp_path):
    run = _orbat("batch", "status", str(tmp_path))
    assert run.returncode != 0 and "not an orbat batch output" in run.stderr
