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

import ahocorasick

from orbat.model import Cue, Span
from orbat.normalize import fold

PATTERN_DIR = resources.files("orbat") / "patterns"


@dataclass(slots=True, frozen=True)
class CueSet:
    """The phrases of one cue kind in an Aho-Corasick automaton: one pass however many phrases."""

    kind: str
    automaton: ahocorasick.Automaton
    values: dict[str, tuple[str, str]]  # folded phrase -> (value, scope)

    def finditer(self, folded: str):
        """Leftmost-longest phrases at word boundaries, without overlaps (like a regex alternation)."""
        hits = []
        size = len(folded)
        for last, phrase in self.automaton.iter(folded):
            start, end = last - len(phrase) + 1, last + 1
            # a word character is a letter, a digit, "_" or "-"; the test runs on every hit of the automaton
            if (start == 0 or not (folded[start - 1].isalnum() or folded[start - 1] in "_-")) and (
                end == size or not (folded[end].isalnum() or folded[end] in "_-")
            ):
                hits.append((start, end, phrase))
        hits.sort(key=lambda h: (h[0], h[0] - h[1]))
        taken_until = -1
        for start, end, phrase in hits:
            if start >= taken_until:
                taken_until = end
                yield start, end, phrase


def _compile(kind: str, rows: list[dict]) -> CueSet:
    values: dict[str, tuple[str, str]] = {}
    for row in rows:
        for phrase in row["phrases"]:
            values.setdefault(fold(phrase), (row["value"], row.get("scope", "sentence")))
    automaton = ahocorasick.Automaton()
    for phrase in values:
        automaton.add_word(phrase, phrase)
    automaton.make_automaton()
    return CueSet(kind, automaton, values)


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
        for start, end, phrase in cue_set.finditer(folded):
            value, scope = cue_set.values[phrase]
            if cue_set.kind == "certainty" and _is_month_may(text, start, phrase):
                continue
            kind = cue_set.kind if cue_set.kind != "certainty" else f"certainty:{scope}"
            cues.append(Cue(kind, value, Span(start, end, text[start:end])))
    cues.sort(key=lambda c: c.span.start)
    return cues


def _is_month_may(text: str, start: int, phrase: str) -> bool:
    """"May" with a capital inside a sentence, or before a number, is the month."""
    if phrase != "may":
        return False
    if text[start] == "M" and start > 1 and text[start - 2] not in ".!?\n":
        return True
    return bool(re.match(r"\s+\d", text[start + 3:start + 6]))
