"""The knowledge-base commands on real databases (a SQLite file and a PostgreSQL server)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from knowledge_factory import populate

from orbat.cli import main
from orbat.store import open_store


@pytest.fixture
def db(db_url):
    """A populated database (the Bamako convoy and context) on each backend."""
    with open_store(db_url) as store:
        populate(store)
    return db_url


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == code, (result.output, result.stderr)
    return result


def as_json(*args: str):
    return json.loads(run(*args, "--format", "json").stdout)


def as_csv(*args: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))


def convoy_tank(db: str) -> dict:
    rows = as_json("timeline", "ML", "--db", db)
    return next(r for r in rows if r["equipment_name"] == "T-72B3" and r["first_seen"] == "2025-01-17")


def test_stats(db):
    counts = as_json("stats", "--db", db)
    assert counts["documents"] == 6 and counts["claims"] == 6 and counts["facts"] == 7
    assert counts["observations"] == 4  # convoy T-72B3, convoy BMP-3, Gao 2023, Kharkiv
    assert {r["name"] for r in as_csv("stats", "--db", db)} >= {"documents", "claims", "observations"}
    assert "observations" in run("stats", "--db", db).stdout


def test_convoy_is_one_observation_per_system(db):
    tank = convoy_tank(db)
    assert (tank["quantity_min"], tank["quantity_max"], tank["quantity_headline"]) == (5, 12, 5)
    assert tank["publisher_count"] == 3 and tank["claim_count"] == 4
    assert tank["place_name"] == "Air Base 101"
    # Photo and video of the same convoy a day apart, with nobody named as their source, are one
    # piece of evidence: three outlets, one independent source, so no upgrade to "confirmed".
    assert tank["independent_sources"] == 1 and tank["certainty"] == "reported"
    assert set(tank["disagreements"]) == {"count", "recipient", "origin", "denied"}
    assert tank["operators"] == ["Africa Corps", "Malian Armed Forces"]  # Wagner Group rolled up


def test_posture(db):
    rows = as_json("posture", "ML", "--since", "2024-01-01", "--db", db)
    assert [r["equipment"] for r in rows] == ["BMP-3", "T-72B3"]  # sorted by class
    tank = rows[1]
    assert (tank["quantity_min"], tank["quantity_max"], tank["sources"]) == (5, 12, 3)
    assert tank["certainty"] == "reported" and "Africa Corps" in tank["operators"]
    all_time = as_json("posture", "mali", "--db", db)
    assert next(r for r in all_time if r["equipment"] == "T-72B3")["observations"] == 2
    assert as_csv("posture", "ML", "--db", db)[0]["equipment"] == "BMP-3"
    assert "Posture: ML" in run("posture", "ML", "--db", db).stdout


def test_where(db):
    rows = as_json("where", "t72b3", "--db", db)
    assert [(r["country"], r["place"]) for r in rows] == [("ML", "Gao"), ("ML", "Air Base 101")]
    assert rows[1]["observations"] == 1 and rows[1]["claims"] == 4 and rows[1]["quantity_max"] == 12
    family = as_json("where", "T-72", "--db", db)
    assert len(family) == 2
    assert as_csv("where", "T-72B3", "--db", db)[0]["place"] == "Gao"
    assert "no sighting of T-80" in run("where", "T-80", "--db", db).stdout


def test_timeline_is_oldest_first(db):
    rows = as_json("timeline", "--db", db)
    assert [r["first_seen"] for r in rows] == sorted(r["first_seen"] for r in rows)
    assert {r["country"] for r in rows} == {"ML", "UA"}
    assert len(as_json("timeline", "ML", "--since", "2025-01-01", "--db", db)) == 2
    assert len(as_json("timeline", "--limit", "1", "--db", db)) == 1
    assert as_csv("timeline", "UA", "--db", db)[0]["equipment_name"] == "T-90M"
    assert "Timeline: ML" in run("timeline", "ML", "--db", db).stdout


def test_new_sightings(db):
    rows = as_json("new", "--since", "2024-01-01", "--db", db)
    assert sorted(r["equipment_name"] for r in rows) == ["BMP-3", "T-90M"]  # T-72B3 was in Mali in 2023
    assert [r["equipment_name"] for r in as_json("new", "--since", "2024-01-01", "--country", "UA", "--db", db)] \
        == ["T-90M"]
    assert len(as_csv("new", "--since", "2024-01-01", "--db", db)) == 2
    assert "New since 2024-01-01" in run("new", "--since", "2024-01-01", "--db", db).stdout


def test_routes(db):
    rows = as_json("routes", "--db", db)
    tank = next(r for r in rows if r["equipment"] == "T-72B3")
    assert tank["origins"] == ["Russia", "Syria"] and tank["transit"] == ["Russia"]
    assert tank["country"] == "ML" and tank["observation_id"] == convoy_tank(db)["id"]
    assert as_csv("routes", "--db", db)[0]["origins"]
    assert "Routes" in run("routes", "--db", db).stdout


def test_show_lists_every_supporting_claim(db):
    tank_id = convoy_tank(db)["id"]
    detail = as_json("show", tank_id, "--db", db)
    observation, claims = detail["observation"], detail["claims"]
    assert observation["certainty"] == "reported" and observation["independent_sources"] == 1
    assert observation["certainty_rule"].startswith("strongest claim: reported by Army Recognition")
    assert [c["publisher"] for c in claims] == ["Army Recognition", "Jeune Afrique", "Kyiv Post",
                                                "Ministry of Defence"]
    assert all(c["equipment_name"] == "T-72B3" for c in claims)  # not the BMP-3 named in the same claim
    denied = next(d for d in observation["disagreements"] if d["kind"] == "denied")
    assert denied["values"][0].startswith("Ministry of Defence: The ministry denied")
    assert len(as_csv("show", tank_id, "--db", db)) == 4
    table = run("show", tank_id, "--db", db).stdout
    assert "Disagreements" in table and "Kyiv Post" in table


@pytest.mark.parametrize("args, code, message", [
    (["posture", "XX"], 2, "unknown country 'XX'"),
    (["posture", "ML", "--since", "last year"], 2, "--since 'last year' is not a date"),
    (["show", "obs-000000000000"], 2, "no observation 'obs-000000000000'"),
    (["timeline", "Atlantis"], 2, "unknown country 'Atlantis'"),
])
def test_bad_input_is_one_line_and_non_zero(db, args, code, message):
    result = run(*args, "--db", db, code=code)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_empty_and_missing_databases(tmp_path):
    empty = str(tmp_path / "empty.db")
    open_store(empty).close()
    result = run("posture", "ML", "--db", empty, code=1)
    assert "holds no documents" in result.stderr
    missing = run("where", "T-72B3", "--db", str(tmp_path / "nope.db"), code=1)
    assert "no database at" in missing.stderr and not (tmp_path / "nope.db").exists()
    assert as_json("stats", "--db", empty)["documents"] == 0


def test_database_from_environment(db, monkeypatch):
    monkeypatch.setenv("ORBAT_DB", db)
    assert as_json("stats")["documents"] == 6
