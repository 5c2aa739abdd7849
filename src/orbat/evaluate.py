"""Score extraction records against gold files (the `../shared/eval` format), in-process.

The figures must equal those of the shared scorer on the same gold, so the conventions are its
published ones: names compare on a key without case, accents, Cyrillic look-alikes or
punctuation; places also match within the gold radius or by country code; a claim fits on event,
the place's country, the origin's country and the system; optional gold items count neither way;
figures are micro-averaged over documents. The attribute checks (certainty, certainty_strict,
claim dates, quantities) are shares of found claims, so a run that finds nothing scores 0.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("equipment", "places", "actors", "dates", "claims")
CHECKS = ("certainty", "certainty_strict", "claim_dates", "quantities")
FIGURES = (*KINDS, *CHECKS)
CHECK_LABELS = {
    "certainty": "certainty accuracy on found claims",
    "certainty_strict": "certainty of every fitting predicted claim",
    "claim_dates": "event-date accuracy on found dated claims",
    "quantities": "quantity accuracy on found counted claims",
}

# Upper-case Cyrillic letters read as the Latin letters designations borrow them for (Т-72Б3).
_LOOKALIKES = str.maketrans({
    "А": "A", "Б": "B", "В": "B", "Г": "G", "Д": "D", "Е": "E", "З": "Z", "И": "I", "К": "K", "Л": "L",
    "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "S", "Т": "T", "У": "U", "Х": "X", "Ч": "CH", "Ш": "SH",
})
_KEY_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def name_key(text: str | None) -> str:
    """Upper-case, look-alikes mapped, decomposed; only ASCII letters and digits survive."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).upper().translate(_LOOKALIKES))
    return "".join(c for c in decomposed if c in _KEY_CHARS)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rad = math.pi / 180
    h = (math.sin((lat2 - lat1) * rad / 2) ** 2
         + math.cos(lat1 * rad) * math.cos(lat2 * rad) * math.sin((lon2 - lon1) * rad / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(slots=True)
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return _share(self.tp, self.tp + self.fp)

    def recall(self) -> float:
        return _share(self.tp, self.tp + self.fn)

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0

    def figures(self) -> dict[str, float]:
        return {"precision": round(self.precision(), 4), "recall": round(self.recall(), 4),
                "f1": round(self.f1(), 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _tally(count: Count, gold: list, found: set[int], unmatched: list[str], labels: list[str]) -> None:
    required = {i for i, g in enumerate(gold) if not (isinstance(g, dict) and g.get("optional"))}
    count.tp += len(found & required)
    count.fn += len(required - found)
    count.fp += len(unmatched)
    count.missed += [labels[i] for i in sorted(required - found)]
    count.extra += unmatched


def _accepted(name: str | None, others: Iterable[str] = ()) -> set[str]:
    return {name_key(x) for x in (name, *others)}


def _match_names(count: Count, gold: list[dict], predicted: Iterable[dict]) -> None:
    found: set[int] = set()
    unmatched = []
    for p in predicted:
        keys = {name_key(p.get("name"))} | {name_key(a) for a in p.get("aliases") or []}
        hits = {i for i, g in enumerate(gold) if keys & _accepted(g["name"], g.get("accept", []))}
        found |= hits
        if not hits:
            unmatched.append(str(p.get("name", "?")))
    _tally(count, gold, found, unmatched, [g["name"] for g in gold])


def _place_matches(g: dict, p: dict) -> bool:
    if g.get("country") and p.get("country") and str(p["country"]).upper() != g["country"]:
        return False
    if name_key(p.get("name")) in _accepted(g["name"], g.get("accept", [])):
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
            unmatched.append(f"{p.get('name')} ({p.get('country')}, {p.get('lat')}, {p.get('lon')})")
    _tally(count, gold, found, unmatched, [g["name"] for g in gold])


def _match_dates(count: Count, gold: list, predicted: list[dict]) -> None:
    items = [g if isinstance(g, dict) else {"value": g} for g in gold]
    values = {str(d.get("value")) for d in predicted}
    found = {i for i, g in enumerate(items) if g["value"] in values}
    known = {g["value"] for g in items}
    _tally(count, items, found, sorted(values - known), [g["value"] for g in items])


def _one_or_many(value: Any) -> list:
    return value if isinstance(value, list) else [value]


@dataclass(slots=True)
class _Claim:
    """What of a predicted claim the gold can speak to."""

    event: str | None
    country: str | None
    origin: str | None
    systems: set[str]
    counts: dict[str, tuple[Any, Any]]
    certainty: str | None
    date: Any


def _summary(claim: dict, entities: dict[str, dict]) -> _Claim:
    def country(ref: Any) -> str | None:
        entity = entities.get(ref) if isinstance(ref, str) else ref
        return (entity or {}).get("country")

    systems: set[str] = set()
    counts: dict[str, tuple[Any, Any]] = {}
    for item in claim.get("equipment") or []:
        ref = item.get("entity") if isinstance(item, dict) else item
        system = name_key(entities.get(ref, {}).get("name", ref))
        systems.add(system)
        quantity = item.get("quantity") if isinstance(item, dict) else None
        if isinstance(quantity, dict):
            counts[system] = (quantity.get("min"), quantity.get("max"))
        elif isinstance(quantity, int):
            counts[system] = (quantity, quantity)
    return _Claim(claim.get("event"), country(claim.get("place")), country(claim.get("origin")), systems, counts,
                  claim.get("certainty"), claim.get("date"))


def _claim_fits(g: dict, c: _Claim) -> bool:
    if c.event not in _one_or_many(g["event"]) or (g.get("country") and c.country != g["country"]):
        return False
    if g.get("origin") and c.origin != g["origin"]:
        return False
    return not g.get("equipment") or bool(_accepted(g["equipment"], g.get("accept", [])) & c.systems)


def _count_right(g: dict, c: _Claim) -> bool:
    """The predicted claim gives the gold system the gold's min and max (or one of its readings)."""
    readings = [(q.get("min"), q.get("max")) for q in _one_or_many(g["quantity"])]
    return any(c.counts[k] in readings for k in _accepted(g["equipment"], g.get("accept", [])) if k in c.counts)


def _label(g: dict) -> str:
    return f"{g['event']} {g.get('equipment') or ''} {g.get('country') or ''} <- {g.get('origin') or ''}"


def _match_claims(count: Count, gold: list[dict], record: dict, checks: dict[str, list[bool]]) -> None:
    entities = {e.get("id"): e for e in record.get("entities") or []}
    claims = [_summary(c, entities) for c in record.get("claims") or []]
    found: set[int] = set()
    unmatched = []
    for c in claims:
        fits = {i for i, g in enumerate(gold) if _claim_fits(g, c)}
        found |= fits
        if fits:
            checks["certainty_strict"].append(any(c.certainty in _one_or_many(gold[i].get("certainty")) for i in fits))
        else:
            unmatched.append(f"{c.event} {sorted(c.systems)} {c.country} <- {c.origin}")
    for i in sorted(found):
        g = gold[i]
        fitting = [c for c in claims if _claim_fits(g, c)]
        checks["certainty"].append(any(c.certainty in _one_or_many(g.get("certainty")) for c in fitting))
        if g.get("date"):
            checks["claim_dates"].append(any(str(c.date) in _one_or_many(g["date"]) for c in fitting))
        if g.get("quantity") and g.get("equipment"):
            checks["quantities"].append(any(_count_right(g, c) for c in fitting))
    _tally(count, gold, found, unmatched, [_label(g) for g in gold])


@dataclass(slots=True)
class Report:
    counts: dict[str, Count] = field(default_factory=lambda: {k: Count() for k in KINDS})
    checks: dict[str, list[bool]] = field(default_factory=lambda: {k: [] for k in CHECKS})
    documents: int = 0

    def merge(self, other: Report) -> None:
        """Add another report's documents: micro-averages over both, as if scored together."""
        self.documents += other.documents
        for kind, count in other.counts.items():
            mine = self.counts[kind]
            mine.tp, mine.fp, mine.fn = mine.tp + count.tp, mine.fp + count.fp, mine.fn + count.fn
            mine.missed += count.missed
            mine.extra += count.extra
        for name, done in other.checks.items():
            self.checks[name] += done

    def figures(self) -> dict[str, float]:
        """Unrounded: floors compare against these, as the shared scorer does."""
        out = {k: self.counts[k].f1() for k in KINDS}
        out |= {k: _share(sum(v), len(v)) for k, v in self.checks.items()}
        return out

    def shortfalls(self, floors: dict[str, float], prefix: str = "") -> list[str]:
        figures = self.figures()
        return [f"{prefix}{k} {figures.get(k, 0.0):.3f} < {v}" for k, v in floors.items()
                if not k.startswith("_") and figures.get(k, 0.0) < v]

    def to_json(self) -> dict[str, Any]:
        return {"documents": self.documents, "figures": {k: round(v, 4) for k, v in self.figures().items()},
                "counts": {k: self.counts[k].figures() for k in KINDS},
                "checks": {k: {"right": sum(v), "of": len(v)} for k, v in self.checks.items()}}

    def lines(self, verbose: bool = False) -> list[str]:
        """The table the shared scorer prints, figure for figure (its wall-time line aside)."""
        out = [f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
        for kind in KINDS:
            c = self.counts[kind]
            out.append(f"{kind:<10} {c.precision():6.3f} {c.recall():6.3f} {c.f1():6.3f}  "
                       f"{c.tp:3d} {c.fp:3d} {c.fn:3d}")
            if verbose and c.missed:
                out.append("    missed: " + "; ".join(c.missed))
            if verbose and c.extra:
                out.append("    extra:  " + "; ".join(c.extra))
        figures = self.figures()
        for name in CHECKS:
            done = self.checks[name]
            if name.startswith("certainty") or done:
                out.append(f"{CHECK_LABELS[name]}: {figures[name]:.3f} ({sum(done)}/{len(done)})")
        shown = [*KINDS, "certainty", *(k for k in ("claim_dates", "quantities") if self.checks[k])]
        out.append(" ".join(f"{k}={figures[k]:.2f}" for k in shown))
        return out


def gold_files(paths: Iterable[str | Path]) -> list[Path]:
    """Gold files named, or found anywhere under the folders named (sub-folders included)."""
    out: list[Path] = []
    for path in map(Path, paths):
        out += sorted(path.rglob("*.gold.json")) if path.is_dir() else [path]
    return out


def load_gold(paths: Iterable[str | Path]) -> list[tuple[Path, dict]]:
    return [(p, json.loads(p.read_text(encoding="utf-8"))) for p in gold_files(paths)]


def score_documents(documents: Iterable[tuple[Path, dict]], extract: Callable[[Path, dict], dict]) -> Report:
    """Score `extract(text_file, gold) -> record JSON` on every (gold file, gold) pair."""
    report = Report()
    for gold_path, gold in documents:
        record = extract((gold_path.parent / gold["text_file"]).resolve(), gold)
        report.documents += 1
        ents = record.get("entities") or []

        def kind(name: str, ents: list[dict] = ents) -> list[dict]:
            return [e for e in ents if e.get("kind") == name]

        _match_names(report.counts["equipment"], gold.get("equipment", []), kind("equipment"))
        _match_places(report.counts["places"], gold.get("places", []), kind("place"))
        _match_names(report.counts["actors"], gold.get("actors", []), kind("actor"))
        _match_dates(report.counts["dates"], gold.get("dates", []), record.get("dates") or [])
        _match_claims(report.counts["claims"], gold.get("claims", []), record, report.checks)
    return report


def score(paths: Iterable[str | Path], extract: Callable[[Path, dict], dict]) -> Report:
    """Score every gold file under `paths`, all languages together."""
    return score_documents(load_gold(paths), extract)


def score_by_language(paths: Iterable[str | Path], extract: Callable[[Path, dict], dict]) -> dict[str, Report]:
    """One report per gold `language` (English when a gold file names none), sorted by language."""
    groups: dict[str, list[tuple[Path, dict]]] = {}
    for path, gold in load_gold(paths):
        groups.setdefault(gold.get("language") or "en", []).append((path, gold))
    return {lang: score_documents(groups[lang], extract) for lang in sorted(groups)}


def parse_floor(spec: str) -> tuple[str | None, str, float]:
    """`NAME=VALUE` for every document together, `LANG:NAME=VALUE` for one gold language."""
    target, _, value = spec.partition("=")
    lang, _, name = target.rpartition(":")
    if name not in FIGURES:
        raise ValueError(f"--min {spec!r}: unknown figure {name!r} (one of {', '.join(FIGURES)})")
    try:
        return lang or None, name, float(value)
    except ValueError:
        raise ValueError(f"--min {spec!r}: expected [LANG:]NAME=NUMBER") from None


def shortfalls(floors: Iterable[tuple[str | None, str, float]], overall: Report,
               languages: dict[str, Report]) -> list[str]:
    """Every floor not met; a floor for a language with no gold documents is not met either."""
    short: list[str] = []
    for lang, name, value in floors:
        if lang is None:
            short += overall.shortfalls({name: value})
        elif lang not in languages:
            short.append(f"{lang}:{name} has no {lang} gold documents")
        else:
            short += languages[lang].shortfalls({name: value}, prefix=f"{lang}:")
    return short


def extract_with_orbat(text_file: Path, gold: dict) -> dict:
    """Run orbat's own pipeline on a gold document, as `orbat extract --published` would."""
    from orbat.acquire.files import read_file
    from orbat.pipeline import extract_source
    from orbat.settings import Settings

    settings = Settings()
    source = read_file(text_file, settings.max_document_bytes, published=gold.get("published"),
                       language=gold.get("language"))
    return extract_source(source, settings).to_json()
