"""The seed article defines the job: everything it states must come out as structured claims."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEED = SHARED / "seeds" / "mali-2025-01-21.txt"


@pytest.fixture(scope="module")
def record() -> dict:
    run = subprocess.run([sys.executable, "-m", "orbat", "extract", str(SEED), "--published", "2025-01-21",
                          "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def by_name(record: dict, kind: str) -> dict[str, dict]:
    return {e["name"]: e for e in record["entities"] if e["kind"] == kind}


def test_record_follows_the_contract(record):
    assert record["schema"] == "orbat.extraction/1"
    doc = record["document"]
    assert doc["id"].startswith("sha256:") and doc["published"] == "2025-01-21"
    assert doc["extractor"].startswith("orbat ") and doc["catalog"]
    text = SEED.read_text(encoding="utf-8")
    for entity in record["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
    for claim in record["claims"]:
        s = claim["sentence"]
        assert text[s["start"]:s["end"]] == s["text"]


def test_designations_resolve_to_the_catalog(record):
    systems = by_name(record, "equipment")
    assert {"T-72B3", "BTR-80A", "BTR-82A", "BMP-3", "KamAZ-4385", "Spartak"} <= set(systems)
    assert systems["T-72B3"]["class"] == "main battle tank" and systems["T-72B3"]["family"] == "T-72"
    assert systems["KamAZ-4385"]["catalog_id"] == "kamaz-4385"
    classes = by_name(record, "equipment_class")
    assert {"artillery", "engineering vehicle"} <= set(classes)
    assert "H2200" not in systems and all(d["value"] != "H2200" for d in record["dates"])
    assert [m["text"] for m in record["markings"]] == ["H2200"]


def test_base_101_is_bamako_not_niamey(record):
    base = next(e for e in record["entities"] if e["kind"] == "place" and e["feature"] == "installation"
                and e["country"] == "ML")
    assert abs(base["lat"] - 12.53) < 0.05 and abs(base["lon"] + 7.95) < 0.05
    places = by_name(record, "place")
    assert places["Bamako"]["country"] == "ML" and places["Sahel"]["feature"] == "region"


def test_actors_with_succession(record):
    actors = by_name(record, "actor")
    assert actors["Africa Corps"]["predecessors"] == ["Wagner Group"]
    assert actors["Wagner Group"]["successor"] == "Africa Corps"
    assert actors["Center for Strategic and International Studies"]["type"] == "research"
    assert "Russia" in actors and actors["Russia"]["type"] == "state"
    assert any(a["type"] == "person" and "Goïta" in a["name"] for a in actors.values())


def test_claims_carry_certainty_evidence_origin_and_attribution(record):
    names = {e["id"]: e["name"] for e in record["entities"]}
    claims = record["claims"]
    transport = next(c for c in claims if c["event"] == "transport")
    assert transport["certainty"] == "possible" and "marking" in transport["evidence"]
    assert transport["markings"] == ["H2200"]
    transfer = next(c for c in claims if c["event"] == "transfer")
    assert names[transfer["origin"]] == "Syria" and transfer["certainty"] == "possible"
    broadcast = next(c for c in claims if "broadcast" in c["evidence"])
    assert broadcast["certainty"] == "confirmed" and broadcast["date"] == "2025-01-17"
    construction = next(c for c in claims if c["event"] == "construction" and "satellite" in c["evidence"])
    assert construction["date"] == "2024-10" and names[construction["attributed_to"]].startswith("Center for")
    speculated = [c for c in claims if c["certainty"] == "speculative"]
    assert speculated and all("speculated" in c["sentence"]["text"] for c in speculated)


def test_official_scorer_meets_the_floors():
    """The shared scorer, run as users run it, on the seed's gold."""
    cmd = f"{sys.executable} -m orbat extract {{file}} --published {{published}} --format json"
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(SHARED / "eval" / "dev"),
                          "--cmd", cmd, "--min", "equipment=0.95", "--min", "places=0.95", "--min", "actors=0.95",
                          "--min", "dates=0.95", "--min", "claims=0.85", "--min", "certainty=0.9"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
