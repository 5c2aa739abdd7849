"""`orbat ingest` and `orbat reprocess` through the real pipeline, on each backend."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from orbat.cli import main

REPORTS = {
    "convoy.md": ("---\npublisher: Army Recognition\npublished: 2025-01-21\n---\n"
                  "On January 17, 2025, images broadcast by Cap Mali + confirmed that seven T-72B3 tanks "
                  "arrived in Bamako.\n"),
    "parade.md": ("---\npublisher: Jeune Afrique\npublished: 2025-01-22\n---\n"
                  "Five T-72B3 tanks and BMP-3 infantry fighting vehicles were shown in Bamako on "
                  "January 18, 2025, according to photos posted on social media.\n"),
}


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for name, text in REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in REPORTS]


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, (result.output, result.stderr)
    return result


def test_ingest_reports_each_source_and_fails_if_one_did(db_url, reports, tmp_path):
    missing = str(tmp_path / "missing.txt")
    table = run("ingest", *reports, missing, "--db", db_url, code=1).stdout
    assert sum(line.startswith("new") for line in table.splitlines()) == 2
    unwrapped = "".join(table.split())  # the table wraps long paths at the console's width
    assert "failed" in unwrapped and "missing.txt" in unwrapped and "Summary" in unwrapped
    again = json.loads(run("ingest", *reports, "--db", db_url, "--format", "json").stdout)
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    assert again["summary"]["documents"] == 2 and again["summary"]["failed"] == 0
    assert again["summary"]["observations"] >= 1
    rows = list(csv.DictReader(io.StringIO(run("ingest", *reports, "--db", db_url, "--format", "csv").stdout)))
    assert [r["status"] for r in rows] == ["duplicate", "duplicate"]
    posture = json.loads(run("posture", "ML", "--db", db_url, "--format", "json").stdout)
    tank = next(r for r in posture if r["equipment"] == "T-72B3")
    assert tank["sources"] == 2 and tank["observations"] == 1  # two outlets, one convoy


def test_reprocess_adds_runs_and_counts_each_document_once(db_url, reports, monkeypatch):
    run("ingest", *reports, "--db", db_url)
    before = json.loads(run("stats", "--db", db_url, "--format", "json").stdout)
    unchanged = json.loads(run("reprocess", "--db", db_url, "--format", "json").stdout)
    assert {r["status"] for r in unchanged["results"]} == {"duplicate"}
    monkeypatch.setattr("orbat.pipeline.EXTRACTOR", "orbat next")
    table = run("reprocess", "--db", db_url).stdout
    assert sum(line.startswith("reprocessed") for line in table.splitlines()) == 2
    after = json.loads(run("stats", "--db", db_url, "--format", "json").stdout)
    assert after["runs"] == 2 * before["runs"] and after["claims"] == 2 * before["claims"]
    assert after["observations"] == before["observations"]
    assert after["extractors"] == sorted(before["extractors"] + ["orbat next"])


def test_reprocess_on_an_empty_database_is_an_error(tmp_path):
    from orbat.store import open_store

    open_store(str(tmp_path / "empty.db")).close()
    result = run("reprocess", "--db", str(tmp_path / "empty.db"), code=1)
    assert "no documents to reprocess" in result.stderr


def test_row31_reprocess_reports_the_claims_each_document_gained_and_lost(db_url, reports, monkeypatch):
    """A new extractor version that reads one claim fewer: the old run keeps it, the report says so."""
    import orbat.pipeline

    run("ingest", *reports, "--db", db_url)
    before = json.loads(run("stats", "--db", db_url, "--format", "json").stdout)
    real = orbat.pipeline.extract_source

    def one_claim_fewer(source, settings=None):
        record = real(source, settings)
        if "Jeune Afrique" in (source.publisher or ""):
            record.claims.pop()
        return record

    monkeypatch.setattr("orbat.pipeline.EXTRACTOR", "orbat next")
    monkeypatch.setattr("orbat.pipeline.extract_source", one_claim_fewer)
    report = json.loads(run("reprocess", "--db", db_url, "--format", "json").stdout)
    changes = {c["origin"].rsplit("/", 1)[-1]: c for c in report["changes"]}
    assert set(changes) == {"convoy.md", "parade.md"}
    assert (changes["convoy.md"]["gained"], changes["convoy.md"]["lost"]) == (0, 0)
    assert changes["convoy.md"]["kept"] >= 1
    parade = changes["parade.md"]
    assert (parade["gained"], parade["lost"]) == (0, len(parade["lost_claims"])) and parade["lost"] >= 1
    assert all("Bamako" in line for line in parade["lost_claims"])
    after = json.loads(run("stats", "--db", db_url, "--format", "json").stdout)
    assert after["runs"] == 2 * before["runs"]  # nothing overwritten: the old runs and claims stay
    assert after["claims"] == 2 * before["claims"] - 1  # one claim fewer in the new run only
    table = run("reprocess", "--db", db_url).stdout  # same versions again: nothing to compare
    assert "Changes" not in table
