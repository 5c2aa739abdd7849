"""`orbat eval` prints the shared scorer's figures, figure for figure, on the same gold.

The shared scorer runs each document through a shell command; here that command prints the record
orbat's pipeline made for the document (written once to a temporary folder), so both scorers judge
the same records and any difference is a difference in scoring.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from orbat.evaluate import extract_with_orbat, load_gold, score

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
GOLD = {"dev": SHARED / "eval" / "dev", "corpus": ROOT / "tests" / "corpus"}
# the scorer's table rows, its "label: 0.931 (148/159)" lines and its "name=0.93 ..." summary
FIGURE_LINE = re.compile(r"^(?:\w+ +[\d.]+ +[\d.]+ +[\d.]+ +\d+ +\d+ +\d+"
                         r"|[a-z -]+: [\d.]+ \(\d+/\d+\)|(?:\w+=[\d.]+ ?)+)$")


def scorer_lines(gold: Path, records: Path, *extra: str) -> list[str]:
    """What the shared scorer prints about `gold`, reading records from `records/<text file>.json`."""
    cmd = f"cat {shlex.quote(str(records))}/\"$(basename {{file}})\".json"
    run = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--cmd", cmd, *extra],
                         capture_output=True, text=True)
    assert "command failed" not in run.stdout, run.stdout
    return [line for line in run.stdout.splitlines() if FIGURE_LINE.match(line) or line.startswith("type ")]


def write_records(gold: Path, folder: Path) -> None:
    for path, doc in load_gold([gold]):
        text = (path.parent / doc["text_file"]).resolve()
        (folder / f"{text.name}.json").write_text(json.dumps(extract_with_orbat(text, doc)), encoding="utf-8")


@pytest.mark.parametrize("name", ["dev", "corpus"])
def test_orbat_eval_prints_the_shared_scorers_figures(name: str, tmp_path: Path):
    write_records(GOLD[name], tmp_path)
    expected = scorer_lines(GOLD[name], tmp_path)
    run = subprocess.run([sys.executable, "-m", "orbat", "eval", str(GOLD[name])], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    printed = [line for line in run.stdout.splitlines() if FIGURE_LINE.match(line) or line.startswith("type ")]
    assert len(expected) >= 9  # header, five kinds, two certainty lines, summary
    assert printed == expected


def scorer_verdict(gold: Path, records: Path, floors: dict[str, float]) -> str:
    cmd = f"cat {shlex.quote(str(records))}/\"$(basename {{file}})\".json"
    args = [arg for name, value in floors.items() for arg in ("--min", f"{name}={value!r}")]
    run = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--cmd", cmd, *args],
                         capture_output=True, text=True)
    return run.stdout.splitlines()[-1]


def test_every_unrounded_figure_is_the_shared_scorers(tmp_path: Path):
    """Floors set exactly at orbat's figures pass the shared scorer; a hair above, every one fails."""
    write_records(GOLD["corpus"], tmp_path)
    figures = {k: v for k, v in score([GOLD["corpus"]], extract_with_orbat).figures().items() if v > 0}
    assert {"equipment", "claims", "certainty", "certainty_strict"} <= set(figures)
    assert not scorer_verdict(GOLD["corpus"], tmp_path, figures).startswith("FALLS SHORT")
    verdict = scorer_verdict(GOLD["corpus"], tmp_path, {k: v + 1e-9 for k, v in figures.items()})
    assert verdict.startswith("FALLS SHORT")
    assert sorted(part.split()[0] for part in verdict.split(" | ")[0][13:].split(", ")) == sorted(figures)


def twice_at_two_levels(folder: Path) -> Path:
    """A gold claim with a date and a count, and a record that states it twice at two certainties."""
    (folder / "doc.txt").write_text("Seven T-72B3 tanks arrived in Bamako on 17 January 2025.", encoding="utf-8")
    gold = {"text_file": "doc.txt", "published": "2025-01-21", "language": "en",
            "equipment": [{"name": "T-72B3", "accept": ["T-72"]}], "places": [], "actors": [], "dates": [],
            "claims": [{"event": "deployment", "country": "ML", "equipment": "T-72B3", "certainty": "confirmed",
                        "date": "2025-01-17", "quantity": [{"min": 7, "max": 7}, {"min": 6, "max": None}]},
                       {"event": "delivery", "country": "ML", "equipment": "T-72B3", "certainty": "reported",
                        "date": ["2025-01", "2025-01-17"], "quantity": {"min": 7, "max": 7}}]}
    (folder / "doc.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    entities = [{"id": "e1", "kind": "equipment", "name": "T-72B3"},
                {"id": "e2", "kind": "place", "name": "Bamako", "country": "ML"}]

    def claim(event: str, certainty: str, date: str | None, low: int, high: int | None) -> dict:
        return {"event": event, "place": "e2", "origin": None, "date": date, "certainty": certainty,
                "equipment": [{"entity": "e1", "quantity": {"min": low, "max": high}}]}

    record = {"entities": entities, "dates": [], "claims": [
        claim("deployment", "confirmed", "2025-01-17", 7, 7), claim("deployment", "possible", None, 6, None),
        claim("delivery", "probable", "2025-01", 8, 8)]}
    records = folder / "records"
    records.mkdir()
    (records / "doc.txt.json").write_text(json.dumps(record), encoding="utf-8")
    return records


def test_a_claim_stated_twice_at_two_levels_costs_certainty_strict(tmp_path: Path):
    records = twice_at_two_levels(tmp_path)
    record = json.loads((records / "doc.txt.json").read_text(encoding="utf-8"))
    report = score([tmp_path / "doc.gold.json"], lambda text, gold: record)
    figures = report.figures()
    # found: both gold claims; certainty right for the deployment only (delivery said "probable")
    assert figures["certainty"] == 0.5
    # predicted: confirmed fits, possible does not, probable does not
    assert figures["certainty_strict"] == pytest.approx(1 / 3)
    # dates: the deployment's day and the delivery's month are both accepted
    assert figures["claim_dates"] == 1.0
    # counts: 7 (and "6 or more", an accepted reading) for the deployment; 8 is not 7 for the delivery
    assert figures["quantities"] == 0.5
    assert report.lines() == scorer_lines(tmp_path / "doc.gold.json", records)
