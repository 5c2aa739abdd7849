"""Issue 11 reproducers through `orbat extract` and `orbat ingest` (the real pipeline), on SQLite
and PostgreSQL: extreme dates, huge counts, undecodable lines and crashes in one document.

Names carry the RELIABILITY.md row: `row20` (text that cannot be decoded), `row23` (impossible and
relative dates), `row26` (undated items kept and flagged), `row29` (a failure mid-run loses
nothing else); `issue11` for the counts, which have no row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from orbat import validate
from orbat.cli import main
from orbat.store import open_store

REPRODUCER = {"text": "Russia delivered 12 T-72B3 tanks to Gao, Mali on 3 January 2025.", "published": "9999-12-31"}
GOOD = {"id": "good", "text": "Seven BMP-3 vehicles arrived in Bamako, Mali on 17 January 2025.",
        "published": "2025-01-21"}


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, (result.output, result.stderr)
    return result


def _corpus(tmp_path: Path, *rows: dict | str) -> str:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _every_query_answers(db: str, tmp_path: Path) -> None:
    """stats, posture, timeline, export and brief: what the issue found broken for good."""
    assert json.loads(run("stats", "--db", db, "--format", "json").stdout)["documents"] >= 1
    posture = json.loads(run("posture", "ML", "--db", db, "--format", "json").stdout)
    assert all(r["quantity_max"] is None or r["quantity_max"] <= validate.QUANTITY_MAX for r in posture)
    for row in json.loads(run("timeline", "--db", db, "--format", "json").stdout):
        assert row["first_seen"] is None or validate.date_problem(row["first_seen"]) is None
    for fmt in ("csv", "geojson", "stix"):
        run("export", "--format", fmt, "-o", str(tmp_path / f"out.{fmt}"), "--db", db)
    assert "Mali" in run("brief", "ML", "--db", db).stdout


def test_row23_corpus_row_dated_9999_keeps_its_claim_and_every_query_answers(db_url, tmp_path):
    corpus = _corpus(tmp_path, {"id": "r1", **REPRODUCER}, {"id": "r2", "text": "T-72 tanks were seen in Mali.",
                                                            "published": "0001-01-01"}, GOOD)
    summary = json.loads(run("ingest", corpus, "--db", db_url, "--format", "json").stdout)["summary"]
    assert (summary["new"], summary["failed"]) == (3, 0)
    with open_store(db_url) as store:
        published = {d.external_id: d.published for d in store.documents()}
        assert published == {"r1": None, "r2": None, "good": "2025-01-21"}
        assert any("9999-12-31" in w for w in store.document(store.documents()[0].id).warnings)
        assert {f.date for f in store.facts(equipment="T-72B3")} == {"2025-01-03"}
    _every_query_answers(db_url, tmp_path)


def test_row23_feed_entry_dated_9999_is_kept_undated_and_every_query_answers(db_url, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        '<entry><id>urn:x:1</id><title>Convoy</title><link href="https://example.org/a"/>'
        '<updated>9999-12-31T00:00:00Z</updated>'
        f'<content type="text">{REPRODUCER["text"]} Two more arrived last Tuesday.</content></entry></feed>',
        encoding="utf-8")
    run("ingest", str(feed), "--db", db_url)
    with open_store(db_url) as store:
        (document,) = store.documents()
        assert document.published is None
        assert {f.date for f in store.facts()} <= {"2025-01-03", None}  # "last Tuesday" has no anchor
    _every_query_answers(db_url, tmp_path)


def test_row23_row26_impossible_dates_never_become_real_ones_and_undated_rows_are_flagged(tmp_path):
    corpus = _corpus(tmp_path,
                     {"id": "a", "text": "Russia delivered 12 T-72B3 tanks to Gao, Mali on 1 January 9999.",
                      "published": "2025-01-21"},
                     {"id": "b", "text": "Russia delivered 12 T-72B3 tanks to Gao, Mali last Tuesday.",
                      "published": "9999-12-31"},
                     {"id": "c", "text": "Russia delivered 12 T-72B3 tanks to Gao, Mali yesterday.",
                      "published": "2025-02-30"})
    records = [json.loads(line) for line in run("extract", corpus, "--format", "jsonl").stdout.splitlines()]
    assert [r["document"]["published"] for r in records] == ["2025-01-21", None, None]
    assert all(c["date"] is None for r in records for c in r["claims"])
    assert records[0]["dates"] == [] and all(r["dates"] == [] for r in records)
    assert any("date_unknown" in w for w in records[2]["document"]["warnings"])  # row 26: flagged


def test_issue11_huge_counts_keep_the_document_and_posture_answers(db_url, tmp_path):
    corpus = _corpus(tmp_path,
                     {"id": "huge", "text": "Russia delivered 99999999999999999999999 T-72B3 tanks to Gao, Mali.",
                      "published": "2025-01-21"},
                     {"id": "near1", "text": "Russia delivered 9223372036854775807 BMP-3 vehicles to Bamako, Mali.",
                      "published": "2025-01-22"},
                     {"id": "near2", "text": "Russia delivered 9223372036854775806 BMP-3 vehicles to Bamako, Mali.",
                      "published": "2025-01-23"})
    summary = json.loads(run("ingest", corpus, "--db", db_url, "--format", "json").stdout)["summary"]
    assert (summary["new"], summary["failed"]) == (3, 0) and summary["claims"] == 3
    posture = json.loads(run("posture", "ML", "--db", db_url, "--format", "json").stdout)
    assert {"T-72B3", "BMP-3"} <= {r["equipment"] for r in posture}
    _every_query_answers(db_url, tmp_path)


def test_row20_a_lone_surrogate_line_is_an_error_record_and_the_run_goes_on(db_url, tmp_path):
    bad = '{"id": "bad", "text": "T-72B3 tanks \\ud800 arrived in Bamako.", "published": "2025-01-21"}'
    corpus = _corpus(tmp_path, {"id": "first", **GOOD, "text": GOOD["text"] + " First."}, bad, GOOD)
    lines = [json.loads(line) for line in run("extract", corpus, "--format", "jsonl").stdout.splitlines()]
    assert len(lines) == 3 and lines[1]["id"] == "bad" and "surrogate" in lines[1]["error"]
    assert lines[2]["document"]["external_id"] == "good"
    run("extract", corpus, "--format", "jsonl", "--strict", code=1)
    result = run("ingest", corpus, "--db", db_url, "--format", "json")
    summary = json.loads(result.stdout)["summary"]
    assert (summary["new"], summary["failed"]) == (2, 1) and "1 of 3 sources failed" in result.stderr
    with open_store(db_url) as store:
        (error,) = store.ingest_errors()
        assert (error["external_id"], error["origin"].endswith("corpus.jsonl:2")) == ("bad", True)
    run("ingest", corpus, "--db", db_url, "--strict", code=1)


def test_row29_a_crash_in_one_document_is_its_error_and_nothing_else_is_lost(db_url, tmp_path, monkeypatch):
    import orbat.pipeline

    real = orbat.pipeline.extract

    def flaky(document):
        if "Gao" in document.text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(document)

    monkeypatch.setattr(orbat.pipeline, "extract", flaky)
    corpus = _corpus(tmp_path, {"id": "crash", **REPRODUCER, "published": "2025-01-04"}, GOOD)
    lines = [json.loads(line) for line in run("extract", corpus, "--format", "jsonl").stdout.splitlines()]
    assert lines[0] == {"schema": "orbat.extraction/1", "id": "crash", "origin": corpus + ":1",
                        "error": "RecursionError: maximum recursion depth exceeded"}
    assert lines[1]["claims"]
    summary = json.loads(run("ingest", corpus, "--db", db_url, "--format", "json").stdout)["summary"]
    assert (summary["new"], summary["failed"], summary["documents"]) == (1, 1, 1)
    with open_store(db_url) as store:
        assert "RecursionError" in store.ingest_errors()[0]["error"]


@pytest.mark.parametrize("published", ["9999-12-31", "2025-02-30", "yesterday"])
def test_row23_extract_refuses_an_impossible_published_option(tmp_path, published):
    note = tmp_path / "note.txt"
    note.write_text(REPRODUCER["text"], encoding="utf-8")
    result = run("extract", str(note), "--published", published, code=2)
    assert published in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("values", [["quantity_min=1000000000000000000000000000000"], ["quantity_min=1e30"],
                                    ["date=banana"], ["date=9999-12-31"], ["event=<script>alert(1)</script>"],
                                    ["certainty=sure"], ["quantity_min=9", "quantity_max=2"], ["nonsense"]])
def test_row27_cli_review_out_of_bounds_is_one_clear_line_and_stores_nothing(tmp_path, values):
    db = str(tmp_path / "orbat.db")
    run("ingest", _corpus(tmp_path, GOOD), "--db", db)
    with open_store(db) as store:
        claim_id = store.facts()[0].claim_id
    args = [arg for value in values for arg in ("--set", value)]
    result = run("review", claim_id, "correct", *args, "--db", db, code=2)
    assert result.stderr.startswith("orbat: ") and len(result.stderr.strip().splitlines()) == 1
    with open_store(db) as store, store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM reviews")).scalar_one() == 0
    stored = json.loads(run("review", claim_id, "correct", "--set", "quantity_min=6", "--reviewer", "ann",
                            "--db", db).stdout)
    assert (stored["fields"], stored["reviewer"]) == ({"quantity_min": 6}, "ann")
