"""`orbat export` options: filters, output handling, one-line errors, and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import stix2
from export_factory import HOSTILE, HOSTILE_PLACE, build, export_bytes, run
from lxml import etree

from orbat.query import timeline
from orbat.store import open_store


def csv_rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_country_and_date_filters_match_the_timeline(example_db, tmp_path):
    with open_store(example_db) as store:
        wanted = {r.id for r in timeline(store, "ML", "2025-01-18", "2025-02")}
    rows = csv_rows(export_bytes(example_db, tmp_path, "csv", "--country", "Mali", "--since", "2025-01-18",
                                 "--until", "2025-02"))
    assert {r["observation_id"] for r in rows} == wanted and wanted
    assert {r["iso"] for r in rows} == {"466"} and {r["country"] for r in rows} == {"Mali"}


def test_equipment_filter_takes_a_family_and_any_spelling(example_db, tmp_path):
    family = csv_rows(export_bytes(example_db, tmp_path, "csv", "--equipment", "T-72"))
    assert family and all(r["equipment"].startswith("T-72") for r in family)
    exact = csv_rows(export_bytes(example_db, tmp_path, "csv", "--equipment", "t72b3"))
    assert exact and {r["equipment"] for r in exact} == {"T-72B3"}
    features = json.loads(export_bytes(example_db, tmp_path, "geojson", "--equipment", "T-72B3"))["features"]
    assert {f["properties"]["equipment"] for f in features if f["properties"]["kind"] != "place"} == {"T-72B3"}


def test_filtered_jsonl_holds_only_the_documents_behind_the_observations(example_db, tmp_path):
    everything = export_bytes(example_db, tmp_path, "jsonl").splitlines()
    mali = [json.loads(line) for line in export_bytes(example_db, tmp_path, "jsonl", "--country", "ML").splitlines()]
    assert 0 < len(mali) < len(everything)
    assert all(any(c["place"] for c in r["claims"]) for r in mali)


def test_stdout_output(example_db):
    result = run("export", "--format", "kml", "--db", example_db, "-o", "-", "--country", "ML")
    root = etree.fromstring(result.stdout_bytes)
    assert root.tag.endswith("kml")
    assert "observations" in result.stderr and "stdout" in result.stderr


def test_bad_input_is_one_line_and_non_zero(example_db, tmp_path):
    cases = [(["--country", "Atlantis"], "unknown country"), (["--since", "last week"], "is not a date"),
             (["--equipment", " "], "--equipment is empty"),
             (["-o", str(tmp_path / "missing" / "out.csv")], "does not exist"),
             (["-o", str(tmp_path)], "is a folder")]
    for args, message in cases:
        result = run("export", "--format", "csv", "--db", example_db, *args, code=2)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "missing").exists()  # no folder created for the user
    unknown = run("export", "--format", "xlsx", "--db", example_db, code=2)
    assert "xlsx" in unknown.stderr


def test_a_failed_export_leaves_an_existing_file_untouched(tmp_path):
    empty = str(tmp_path / "empty.db")
    open_store(empty).close()
    target = tmp_path / "out.geojson"
    target.write_text("keep me")
    result = run("export", "--format", "geojson", "--db", empty, "-o", str(target), code=1)
    assert "no documents" in result.stderr
    assert target.read_text() == "keep me" and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    missing = run("export", "--format", "csv", "--db", str(tmp_path / "nothing.db"), code=1)
    assert "no database" in missing.stderr and not (tmp_path / "nothing.db").exists()


def test_no_match_writes_a_valid_empty_file(example_db, tmp_path):
    data = json.loads(export_bytes(example_db, tmp_path, "geojson", "--equipment", "no-such-system"))
    assert data["features"] == [] and data["unlocated"] == 0
    bundle = stix2.parse(export_bytes(example_db, tmp_path, "stix", "--country", "IS").decode(), allow_custom=False)
    assert {o.type for o in bundle.objects} == {"identity", "extension-definition"}


def test_every_format_on_both_backends(db_url, tmp_path, orbat_home):
    """The same pipeline-built database on SQLite and PostgreSQL; every export parses."""
    build(db_url, tmp_path, with_nan=False)
    rows = csv_rows(export_bytes(db_url, tmp_path, "csv"))
    assert any(r["location"] == HOSTILE_PLACE for r in rows)
    with open_store(db_url) as store:
        assert {r["observation_id"] for r in rows} == {o.id for o in timeline(store)}
    geo = json.loads(export_bytes(db_url, tmp_path, "geojson"))
    assert any(HOSTILE in (f["properties"].get("publishers") or "") for f in geo["features"])
    etree.fromstring(export_bytes(db_url, tmp_path, "kml"))
    stix2.parse(export_bytes(db_url, tmp_path, "stix").decode("utf-8"), allow_custom=False)
    records = [json.loads(line) for line in export_bytes(db_url, tmp_path, "jsonl").splitlines()]
    assert len(records) == 28  # 25 examples, 2 corpus lines, 1 crafted record


def test_every_option_is_documented():
    import re
    from pathlib import Path

    from orbat.cli import main

    doc = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    section = re.search(r"^## orbat export\n(.*?)(?=^## |\Z)", doc, re.M | re.S).group(1)
    for param in main.commands["export"].params:
        for option in param.opts:
            if option.startswith("--") and option not in ("--db", "--help"):
                assert option in section, option
    for name in ("csv", "geojson", "kml", "stix", "jsonl"):
        assert f"--format {name}" in section
