"""Cue phrases (events, certainty, evidence) from the JSONL pattern files in `orbat/patterns`.

Adding a phrase is a data change; this module only compiles the files into one regular
expression per cue kind and reports where each phrase occurs in the folded text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from orbat.model import Cue, Span
from orbat.normalize import fold

PATTERN_DIR = resources.files("orbat") / "patterns"


@dataclass(slots=True, frozen=True)
class CueSet:
    kind: str
    pattern: re.Pattern[str]
    values: dict[str, tuple[str, str]]  # folded phrase -> (value, scope)


def _compile(kind: str, rows: list[dict]) -> CueSet:
    values: dict[str, tuple[str, str]] = {}
    for row in rows:
        for phrase in row["phrases"]:
            values.setdefault(fold(phrase), (row["value"], row.get("scope", "sentence")))
    alternatives = "|".join(re.escape(p) for p in sorted(values, key=len, reverse=True))
    return CueSet(kind, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), values)


@cache
def cue_sets() -> tuple[CueSet, ...]:
    sets = []
    for kind, name in (("event", "events"), ("certainty", "certainty"), ("evidence", "evidence")):
        text = (PATTERN_DIR / f"{name}.jsonl").read_text(encoding="utf-8")
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
        sets.append(_compile(kind, rows))
    return tuple(sets)


def find_cues(text: str, folded: str) -> list[Cue]:
    cues: list[Cue] = []
    for cue_set in cue_sets():
        for m in cue_set.pattern.finditer(folded):
            value, scope = cue_set.values[m.group(0)]
            if cue_set.kind == "certainty" and _is_month_may(text, m.start(), m.group(0)):
                continue
            kind = cue_set.kind if cue_set.kind != "certainty" else f"certainty:{scope}"
            cues.append(Cue(kind, value, Span(m.start(), m.end(), text[m.start():m.end()])))
    cues.sort(key=lambda c: c.span.start)
    return cues


def _is_month_may(text: str, start: int, phrase: str) -> bool:
    """"May" with a capital inside a sentence, or before a number, is the month."""
    if phrase != "may":
        return False
    if text[start] == "M" and start > 1 and text[start - 2] not in ".!?\n":
        return True
    return bool(re.match(r"\s+\d", text[start + 3:start + 6]))
