"""GeoVirus gate: recognition and resolution on 229 Wikinews articles must not fall below the
floors in `tests/geovirus_floors.json` (floors only rise: raise one when a change lifts it).

The articles and the scorer are read from ../shared/eval/geo (never copied here); the pipeline
runs in-process, the scorer's own matching rules decide what counts (span overlap; same
GeoNames id or within 161 km)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from orbat.model import SourceDocument
from orbat.pipeline import extract_source

SCORER = Path(__file__).resolve().parents[3] / "shared" / "eval" / "geo" / "geo_score.py"
FLOORS = json.loads((Path(__file__).resolve().parents[1] / "geovirus_floors.json").read_text(encoding="utf-8"))


def _scorer():
    spec = importlib.util.spec_from_file_location("geo_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_geovirus_stays_above_the_floors():
    geo = _scorer()
    docs = geo.load(None)
    assert len(docs) == 229
    gold_total = predicted = predicted_hits = recognised = resolved = 0
    for key, text, gold in docs:
        record = extract_source(SourceDocument(raw=text.encode("utf-8"), content_type="text/plain",
                                               origin=f"geovirus:{key}")).to_json()
        predictions = geo.predictions_from_record(record)
        gold_total += len(gold)
        predicted += len(predictions)
        predicted_hits += sum(any(p["start"] < g["end"] and g["start"] < p["end"] for g in gold) for p in predictions)
        for g in gold:
            overlapping = [p for p in predictions if p["start"] < g["end"] and g["start"] < p["end"]]
            recognised += bool(overlapping)
            resolved += any(geo.resolved(g, p) for p in overlapping)
    figures = {"recog_p": predicted_hits / predicted, "recog_r": recognised / gold_total,
               "acc161": resolved / recognised, "e2e161": resolved / gold_total}
    short = {k: round(v, 4) for k, v in figures.items() if v < FLOORS[k]}
    assert not short, f"below the floors {FLOORS}: {short} (all: {figures})"
