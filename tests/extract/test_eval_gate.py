"""The evaluation gate: extraction quality on gold files never falls below the recorded floors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orbat.evaluate import extract_with_orbat, score

ROOT = Path(__file__).resolve().parents[2]
FLOORS = json.loads((ROOT / "tests" / "eval_floors.json").read_text(encoding="utf-8"))
GOLD = {"dev": ROOT.parent / "shared" / "eval" / "dev", "corpus": ROOT / "tests" / "corpus"}


@pytest.mark.parametrize("name", ["dev", "corpus"])
def test_quality_stays_above_the_floors(name: str):
    report = score([GOLD[name]], extract_with_orbat)
    assert report.documents >= (1 if name == "dev" else 30)
    short = report.shortfalls(FLOORS[name])
    assert short == [], f"{name}: {short} (figures {report.figures()})"


def test_orbat_eval_command_exits_non_zero_below_a_floor():
    run = subprocess.run([sys.executable, "-m", "orbat", "eval", str(GOLD["dev"]), "--min", "claims=1.01",
                          "--format", "json"], capture_output=True, text=True)
    assert run.returncode == 1 and "FALLS SHORT" in run.stderr
    figures = json.loads(run.stdout)["figures"]
    assert set(figures) == {"equipment", "places", "actors", "dates", "claims", "certainty"}


def test_corpus_gold_files_are_well_formed():
    files = sorted(GOLD["corpus"].glob("*.gold.json"))
    assert len(files) >= 30
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert (path.parent / gold["text_file"]).is_file()
        assert {"equipment", "places", "actors", "dates", "claims", "published"} <= set(gold)
