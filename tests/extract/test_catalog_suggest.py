"""`orbat catalog suggest` on a real SQLite database written by `orbat ingest`."""

import json

from click.testing import CliRunner

from orbat.cli import main


def test_suggest_lists_uncatalogued_actors_with_their_contexts(tmp_path):
    reports = []
    for i, place in enumerate(("Gao", "Kidal")):
        report = tmp_path / f"report{i}.txt"
        report.write_text(
            f"The 512th Engineer Battalion arrived in {place} on 3 March 2025 with two T-72B3 tanks. "
            f"Hanna Lindqvist said the unit would stay.",
            encoding="utf-8",
        )
        reports.append(str(report))
    db = tmp_path / "orbat.db"
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", *reports, "--db", str(db)])
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(main, ["catalog", "suggest", "--db", str(db), "--kind", "actor", "--format", "json"])
    assert result.exit_code == 0, result.output
    suggestions = json.loads(result.output)
    first = suggestions[0]
    assert first["name"] == "512th Engineer Battalion" and first["documents"] == 2
    assert any("arrived in Gao" in c for c in first["contexts"])
    assert all(s["kind"] == "actor" for s in suggestions)
    assert "T-72B3" not in {s["name"] for s in suggestions}  # catalogued systems are not suggested
    table = runner.invoke(main, ["catalog", "suggest", "--db", str(db), "--limit", "1"])
    assert table.exit_code == 0 and "512th Engineer Battalion" in table.output


def test_suggest_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(main, ["catalog", "suggest", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "no database" in result.output
