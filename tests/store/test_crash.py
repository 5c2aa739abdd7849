"""Kill an ingest with SIGKILL part-way, rerun it, and find nothing lost and nothing doubled.

RELIABILITY row 29. Ingest writes documents in batches, one transaction each. The child process
stops inside the transaction of the batch holding document HOLD_AT, with that batch's
documents, runs and claims written but not committed, and is killed there: that document and
its batch must vanish, the earlier batches must be whole, and the rerun must store each
remaining document once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from storefactory import corpus_text, fake_extract

from orbat.acquire.files import iter_jsonl
from orbat.ingest import BATCH_DOCUMENTS
from orbat.settings import Settings
from orbat.store import database_url
from orbat.store.schema import claims, documents, extraction_runs, sightings

DOCUMENTS = 1000
HOLD_AT = 400
WORKER = Path(__file__).parent / "ingest_worker.py"
SRC = Path(__file__).resolve().parents[2] / "src"


def _extractor() -> tuple[str, Callable]:
    """The real pipeline when it exists (what users run), else the fast stand-in."""
    try:
        from orbat.pipeline import extract_source
    except ImportError:
        return "fake", fake_extract
    return "real", extract_source


def _expected_claims(corpus: str, extract: Callable) -> dict[str, int]:
    """Claims per document id that an uninterrupted ingest stores (extraction is deterministic)."""
    expected = {}
    for source in iter_jsonl(corpus, Settings().max_document_bytes):
        record = extract(source, Settings())
        expected[record.document.id] = len(record.claims)
    assert len(expected) == DOCUMENTS
    return expected


def _corpus(path: Path) -> str:
    with path.open("w") as handle:
        for n in range(DOCUMENTS):
            handle.write(json.dumps({"id": n, "url": f"https://example.org/reports/{n}?utm_source=rss",
                                     "published": "2025-01-30", "publisher": "Example", "language": "en",
                                     "title": f"Report {n}", "text": corpus_text(n)}) + "\n")
    return str(path)


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _spawn(db: str, corpus: str, mode: str, *hold: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, str(WORKER), db, corpus, mode, *hold], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_mid_transaction(child: subprocess.Popen, marker: Path, timeout: float = 300.0) -> str:
    """SIGKILL the child while it holds document HOLD_AT's transaction open; returns its id."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and child.poll() is None:
        if marker.exists() and marker.read_text():
            child.send_signal(signal.SIGKILL)
            child.wait()
            return marker.read_text()
        time.sleep(0.02)
    child.kill()
    out, err = child.communicate(timeout=10)
    pytest.fail(f"ingest ended or stalled before it could be killed: {out}{err}")


def _assert_whole(engine, expected: dict[str, int]) -> None:
    """Every stored document has exactly one run holding all of its claims, no more, no less."""
    with engine.connect() as conn:
        runs_per_doc = conn.execute(
            select(documents.c.id, func.count(extraction_runs.c.id)).select_from(documents)
            .outerjoin(extraction_runs, extraction_runs.c.document_id == documents.c.id)
            .group_by(documents.c.id)).all()
        assert {count for _, count in runs_per_doc} <= {1}
        stored = dict(conn.execute(select(claims.c.document_id, func.count()).group_by(claims.c.document_id))
                      .all())
        assert {doc: stored.get(doc, 0) for doc, _ in runs_per_doc} == {doc: expected[doc] for doc, _ in
                                                                        runs_per_doc}
        orphans = conn.execute(text("SELECT count(*) FROM claims c LEFT JOIN extraction_runs r "
                                    "ON r.id = c.run_id WHERE r.id IS NULL")).scalar_one()
        assert orphans == 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_mid_ingest_then_rerun_loses_and_doubles_nothing(backend, tmp_path, request):
    db = str(tmp_path / "orbat.db") if backend == "sqlite" else request.getfixturevalue("postgres_url")
    corpus = _corpus(tmp_path / "corpus.jsonl")
    mode, extract = _extractor()
    expected = _expected_claims(corpus, extract)
    engine = create_engine(database_url(db))
    try:
        marker = tmp_path / "held"
        in_flight = _kill_mid_transaction(_spawn(db, corpus, mode, str(HOLD_AT), str(marker)), marker)
        partial = _count(engine, documents)
        # committed: the batches before the one in flight, which held at most BATCH_DOCUMENTS
        assert HOLD_AT - BATCH_DOCUMENTS <= partial < HOLD_AT
        with engine.connect() as conn:
            for table in (documents, extraction_runs, claims, sightings):
                column = table.c.id if table is documents else table.c.document_id
                assert conn.execute(select(column).where(column == in_flight)).first() is None
        _assert_whole(engine, expected)

        rerun = _spawn(db, corpus, mode)
        out, err = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, err
        summary = json.loads(out.strip().splitlines()[-1])
        assert summary["failed"] == 0, summary["reasons"]
        assert (summary["new"], summary["duplicate"]) == (DOCUMENTS - partial, partial)
        assert _count(engine, documents) == DOCUMENTS
        assert _count(engine, sightings) == DOCUMENTS  # a rerun of the same corpus is not a new sighting
        _assert_whole(engine, expected)
        assert _count(engine, claims) == sum(expected.values()) > 0
        with engine.connect() as conn:
            distinct = conn.execute(text(
                "SELECT count(*) FROM (SELECT DISTINCT run_id, sentence_start, sentence_end, event, "
                "CAST(record AS TEXT) FROM claims) AS d")).scalar_one()
        assert distinct == _count(engine, claims)
    finally:
        engine.dispose()
