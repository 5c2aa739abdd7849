"""Score extraction records against gold files (the `../shared/eval` format), in-process.

Matching follows the published gold conventions: names compare on a key without case, accents,
Cyrillic look-alikes or punctuation; places also match within the gold radius or by country
code; a claim matches on event, the place's country, the origin's country and the system;
optional gold items count neither way. Figures are micro-averaged over documents.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orbat.normalize import fold

KINDS = ("equipment", "places", "actors", "dates", "claims")


def name_key(text: str | None) -> str:
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", fold(str(text)))
    return re.sub(r"[^0-9a-z]", "", "".join(c for c in folded if not unicodedata.combining(c)))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rad = math.pi / 180
    h = (math.sin((lat2 - lat1) * rad / 2) ** 2
         + math.cos(lat1 * rad) * math.cos(lat2 * rad) * math.sin((lon2 - lon1) * rad / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


@dataclass(slots=True)
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def f1(self) -> float:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def figures(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(self.f1(), 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _tally(count: Count, gold: list[dict], found: set[int], unmatched: list[str], labels: list[str]) -> None:
    required = {i for i, g in enumerate(gold) if not g.get("optional")}
    count.tp += len(found & required)
    count.fn += len(required - found)
    count.fp += len(unmatched)
    count.missed += [labels[i] for i in sorted(required - found)]
    count.extra += unmatched


def _accepted(g: dict) -> set[str]:
    return {name_key(x) for x in (g["name"], *g.get("accept", []))}


def _match_names(count: Count, gold: list[dict], predicted: Iterable[dict]) -> None:
    found: set[int] = set()
    unmatched = []
    for p in predicted:
        keys = {name_key(p.get("name"))} | {name_key(a) for a in p.get("aliases") or []}
        hits = {i for i, g in enumerate(gold) if keys & _accepted(g)}
        found |= hits
        if not hits:
            unmatched.append(str(p.get("name")))
    _tally(count, gold, found, unmatched, [g["name"] for g in gold])


def _place_matches(g: dict, p: dict) -> bool:
    if g.get("country") and p.get("country") and str(p["country"]).upper() != g["country"]:
        return False
    if name_key(p.get("name")) in _accepted(g):
        return True
    if g.get("lat") is not None and p.get("lat") is not None and p.get("lon") is not None:
        return distance_km(g["lat"], g["lon"], float(p["lat"]), float(p["lon"])) <= g.get("radius_km", 25)
    return g.get("feature") == "country" == p.get("feature") and (p.get("country") or "").upper() == g.get("country")


def _match_places(count: Count, gold: list[dict], predicted: Iterable[dict]) -> None:
    found: set[int] = set()
    unmatched = []
    for p in predicted:
        hits = {i for i, g in enumerate(gold) if _place_matches(g, p)}
        found |= hits
        if not hits:
            unmatched.append(f"{p.get('name')} ({p.get('country')})")
    _tally(count, gold, found, unmatched, [g["name"] for g in gold])


def _match_dates(count: Count, gold: list, predicted: list[dict]) -> None:
    items = [g if isinstance(g, dict) else {"value": g} for g in gold]
    values = {str(d.get("value")) for d in predicted}
    found = {i for i, g in enumerate(items) if g["value"] in values}
    known = {g["value"] for g in items}
    _tally(count, items, found, sorted(values - known), [g["value"] for g in items])


def _claim_summary(claim: dict, entities: dict[str, dict]) -> dict[str, Any]:
    def country(ref: str | None) -> str | None:
        return (entities.get(ref) or {}).get("country") if ref else None

    systems = {name_key((entities.get(e["entity"]) or {}).get("name", e["entity"]))
               for e in claim.get("equipment") or []}
    return {"event": claim.get("event"), "country": country(claim.get("place")), "origin": country(claim.get("origin")),
            "systems": systems, "certainty": claim.get("certainty")}


def _claim_fits(g: dict, c: dict[str, Any]) -> bool:
    events = g["event"] if isinstance(g["event"], list) else [g["event"]]
    if c["event"] not in events or (g.get("country") and c["country"] != g["country"]):
        return False
    if g.get("origin") and c["origin"] != g["origin"]:
        return False
    return not g.get("equipment") or bool(_accepted({"name": g["equipment"], "accept": g.get("accept", [])})
                                          & c["systems"])


def _match_claims(count: Count, gold: list[dict], record: dict, certainty: list[bool]) -> None:
    entities = {e.get("id"): e for e in record.get("entities") or []}
    summaries = [_claim_summary(c, entities) for c in record.get("claims") or []]
    found: set[int] = set()
    unmatched = []
    for c in summaries:
        hits = {i for i, g in enumerate(gold) if _claim_fits(g, c)}
        found |= hits
        if not hits:
            unmatched.append(f"{c['event']} {sorted(c['systems'])} {c['country']} <- {c['origin']}")
    for i in sorted(found):
        allowed = gold[i]["certainty"] if isinstance(gold[i].get("certainty"), list) else [gold[i].get("certainty")]
        certainty.append(any(c["certainty"] in allowed for c in summaries if _claim_fits(gold[i], c)))
    labels = [f"{g['event']} {g.get('equipment') or ''} {g.get('country') or ''} <- {g.get('origin') or ''}"
              for g in gold]
    _tally(count, gold, found, unmatched, labels)


@dataclass(slots=True)
class Report:
    counts: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in KINDS})
    certainty: list[bool] = field(default_factory=list)
    documents: int = 0

    def figures(self) -> dict[str, float]:
        out = {k: round(self.counts[k].f1(), 4) for k in KINDS}
        out["certainty"] = round(sum(self.certainty) / len(self.certainty), 4) if self.certainty else 0.0
        return out

    def shortfalls(self, floors: dict[str, float]) -> list[str]:
        figures = self.figures()
        return [f"{k} {figures.get(k, 0.0):.3f} < {v}" for k, v in floors.items() if figures.get(k, 0.0) < v]


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for path in map(Path, paths):
        out += sorted(path.glob("*.gold.json")) if path.is_dir() else [path]
    return out


def score(paths: Iterable[str | Path], extract: Callable[[Path, dict], dict]) -> Report:
    """Score `extract(text_file, gold) -> record JSON` on every gold file under `paths`."""
    report = Report()
    for gold_path in gold_files(paths):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        record = extract((gold_path.parent / gold["text_file"]).resolve(), gold)
        report.documents += 1
        ents = record.get("entities") or []
        systems = (e for e in ents if e["kind"] == "equipment")
        _match_names(report.counts["equipment"], gold.get("equipment", []), systems)
        _match_places(report.counts["places"], gold.get("places", []), (e for e in ents if e["kind"] == "place"))
        _match_names(report.counts["actors"], gold.get("actors", []), (e for e in ents if e["kind"] == "actor"))
        _match_dates(report.counts["dates"], gold.get("dates", []), record.get("dates") or [])
        _match_claims(report.counts["claims"], gold.get("claims", []), record, report.certainty)
    return report


def extract_with_orbat(text_file: Path, gold: dict) -> dict:
    """Run orbat's own pipeline on a gold document, as `orbat extract --published` would."""
    from orbat.acquire.files import read_file
    from orbat.pipeline import extract_source
    from orbat.settings import Settings

    settings = Settings()
    source = read_file(text_file, settings.max_document_bytes, published=gold.get("published"),
                       language=gold.get("language"))
    return extract_source(source, settings).to_json()
