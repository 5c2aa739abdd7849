"""The evaluation gate: extraction quality on gold files never falls below the recorded floors.

The real-text set (`tests/realworld`, English and French) is scored per language, each against its
own section of the floors file (`realworld_en`, `realworld_fr`); a language with gold files but no
section fails the gate, so new gold cannot slip in unguarded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orbat.evaluate import FIGURES, Report, extract_with_orbat, score, score_by_language

ROOT = Path(__file__).resolve().parents[2]
FLOORS = json.loads((ROOT / "tests" / "eval_floors.json").read_text(encoding="utf-8"))
GOLD = {"dev": ROOT.parent / "shared" / "eval" / "dev", "corpus": ROOT / "tests" / "corpus"}
REALWORLD = ROOT / "tests" / "realworld"


@pytest.mark.parametrize("name", ["dev", "corpus"])
def test_quality_stays_above_the_floors(name: str):
    report = score([GOLD[name]], extract_with_orbat)
    assert report.documents >= (1 if name == "dev" else 30)
    short = report.shortfalls(FLOORS[name])
    assert short == [], f"{name}: {short} (figures {report.figures()})"


def realworld_shortfalls(folder: Path, floors: dict[str, dict[str, float]]) -> list[str]:
    """Each language's figures on the real texts against `realworld_<lang>`; a missing section is a shortfall."""
    if not folder.is_dir():
        return []
    short: list[str] = []
    for lang, report in score_by_language([folder], extract_with_orbat).items():
        section = floors.get(f"realworld_{lang}")
        if not section:
            short.append(f"realworld_{lang}: {report.documents} gold documents but no floors in eval_floors.json "
                         f"(figures {report.figures()})")
        else:
            short += report.shortfalls(section, prefix=f"realworld_{lang}: ")
    return short


def test_real_texts_stay_above_their_floors_in_each_language():
    assert realworld_shortfalls(REALWORLD, FLOORS) == []


def test_real_texts_without_floors_fail_the_gate(tmp_path: Path):
    """Gold in a language the floors file does not name is a failure, not a pass."""
    fr = tmp_path / "fr"
    fr.mkdir()
    (fr / "doc.md").write_text("---\ntitle: Essai\npublished: 2025-01-21\nlanguage: fr\n---\n"
                               "Sept chars T-72B3 sont arrivés à Bamako le 17 janvier 2025.\n", encoding="utf-8")
    gold = {"text_file": "doc.md", "published": "2025-01-21", "language": "fr",
            "equipment": [{"name": "T-72B3"}], "places": [], "actors": [], "dates": ["2025-01-17"], "claims": []}
    (fr / "doc.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    floors = {"realworld_en": {"equipment": 0.5}}
    short = realworld_shortfalls(tmp_path, floors)
    assert len(short) == 1 and short[0].startswith("realworld_fr: 1 gold documents but no floors")
    assert realworld_shortfalls(tmp_path, floors | {"realworld_fr": {"equipment": 1.0, "dates": 1.0}}) == []
    assert realworld_shortfalls(tmp_path, floors | {"realworld_fr": {"claims": 0.1}}) == [
        "realworld_fr: claims 0.000 < 0.1"]


def test_floors_name_only_known_figures_and_cover_the_new_checks():
    for section, floors in FLOORS.items():
        if section.startswith("_"):
            continue
        assert set(floors) <= set(FIGURES), section
    for section in ("dev", "corpus"):
        assert {"certainty_strict", "claim_dates"} <= set(FLOORS[section])
    assert "quantities" in FLOORS["corpus"]


def test_orbat_eval_command_exits_non_zero_below_a_floor():
    run = subprocess.run([sys.executable, "-m", "orbat", "eval", str(GOLD["dev"]), "--min", "claims=1.01",
                          "--format", "json"], capture_output=True, text=True)
    assert run.returncode == 1 and "FALLS SHORT" in run.stderr
    figures = json.loads(run.stdout)["figures"]
    assert set(figures) == set(FIGURES)


def test_orbat_eval_scores_sub_folders_and_each_language(tmp_path: Path):
    for lang, words in (("en", "Seven T-72B3 tanks arrived in Bamako."), ("fr", "Sept chars BMP-3 à Bamako.")):
        folder = tmp_path / lang / "nested"
        folder.mkdir(parents=True)
        (folder / f"{lang}.md").write_text(f"---\npublished: 2025-01-21\nlanguage: {lang}\n---\n{words}\n",
                                           encoding="utf-8")
        gold = {"text_file": f"{lang}.md", "published": "2025-01-21", "language": lang,
                "equipment": [{"name": "T-72B3"}], "places": [], "actors": [], "dates": [], "claims": []}
        (folder / f"{lang}.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "orbat", "eval", str(tmp_path), "--by-language", "--format", "json",
                          "--min", "en:equipment=1", "--min", "fr:equipment=0.5"], capture_output=True, text=True)
    out = json.loads(run.stdout)
    assert out["documents"] == 2 and set(out["languages"]) == {"en", "fr"}
    assert out["languages"]["en"]["counts"]["equipment"] | {} == {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                                                                   "tp": 1, "fp": 0, "fn": 0}
    assert out["languages"]["fr"]["counts"]["equipment"]["fp"] == 1  # BMP-3 is not the gold's T-72B3
    assert out["languages"]["fr"]["figures"]["equipment"] == 0.0
    assert run.returncode == 1 and "fr:equipment 0.000 < 0.5" in run.stderr and "en:" not in run.stderr
    table = subprocess.run([sys.executable, "-m", "orbat", "eval", str(tmp_path), "--by-language"],
                           capture_output=True, text=True).stdout
    assert "language en (1 documents)" in table and "language fr (1 documents)" in table
    assert "all languages (2 documents)" in table


def test_a_merged_report_equals_one_scored_together():
    both = score([GOLD["dev"], GOLD["corpus"]], extract_with_orbat)
    merged = Report()
    merged.merge(score([GOLD["dev"]], extract_with_orbat))
    merged.merge(score([GOLD["corpus"]], extract_with_orbat))
    assert merged.figures() == both.figures() and merged.documents == both.documents


def test_corpus_gold_files_are_well_formed():
    files = sorted(GOLD["corpus"].glob("*.gold.json"))
    assert len(files) >= 30
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        assert (path.parent / gold["text_file"]).is_file()
        assert {"equipment", "places", "actors", "dates", "claims", "published"} <= set(gold)
        for claim in gold["claims"]:
            counts = claim.get("quantity") or []
            for quantity in counts if isinstance(counts, list) else [counts]:
                assert claim.get("equipment") and set(quantity) == {"min", "max"}, path.name
                assert quantity["max"] is None or quantity["min"] <= quantity["max"], path.name
