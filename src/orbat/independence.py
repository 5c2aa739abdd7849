"""Independence by evidence: which claims of one observation rest on the same primary evidence.

Five outlets describing one television broadcast are one source reported five times, not five
sources; counting them as five turns a single video into "almost certainly". Merge therefore
groups the claims behind an observation by what they rest on, and corroboration, certainty
upgrades and "N independent sources" count the groups:

1. A claim naming who broadcast, published or analysed the evidence (`evidence_source`, or an
   actor in the `source` role) belongs to that source's evidence.
2. A claim describing imagery (its evidence kinds, or a footage word in its sentence) belongs
   to the imagery dated within `SAME_EVENT_DAYS` of its event date; an undated one to imagery
   published at most `REPEAT_DAYS` before it.
3. A claim with no evidence of its own (a plain statement, a hedged "would be destined for")
   about a sighting that imagery shows, on the same dates, repeats that imagery.
4. A claim attributed to someone ("said the ministry") belongs to that speaker; the same
   sentence in two documents is one piece of evidence; anything else is its publisher's own,
   and all of one publisher's own claims are one piece of evidence (an outlet's report of a
   ceremony and its later "the number delivered was not announced" are one source, not two).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from orbat.model import ClaimFact

IMAGERY = {"photo", "video", "broadcast", "satellite"}
OWN_EVIDENCE = {"official_statement", "satellite", "document", "interview", "witness"}
FOOTAGE_WORDS = ("footage", "video", "filmed", "broadcast", "aired", "images", "filmés", "filmé",
                 "vidéo", "diffusées", "séquences")
SAME_EVENT_DAYS = 3
REPEAT_DAYS = 14


@dataclass(slots=True)
class EvidenceGroup:
    """One piece of primary evidence and the claims (and publishers) that rest on it."""

    kind: str  # imagery | statement | report
    name: str | None  # who broadcast, said or published it, when known
    day: date | None
    facts: list[ClaimFact] = field(default_factory=list)

    def label(self) -> str:
        """How the brief names the evidence: "imagery by Cap Mali+ (2025-01-17)"."""
        who = f" by {self.name}" if self.name else ""
        when = f" ({self.day.isoformat()})" if self.day else ""
        if self.kind == "report":
            return f"report{who}"
        return f"{self.kind}{who}{when}"

    def publishers(self) -> list[str]:
        return list(dict.fromkeys(f.publisher or f.document_id for f in self.facts))


def source_of(fact: ClaimFact) -> str | None:
    """Who broadcast, published or analysed the evidence, when the claim names them."""
    named = getattr(fact, "evidence_source", None)
    if named:
        return named
    return next((a.name for a in fact.actors if a.role == "source"), None)


#: Any footage word anywhere in a sentence (as `word in sentence`), in one scan of the sentence.
_FOOTAGE = re.compile("|".join(re.escape(word) for word in FOOTAGE_WORDS))


def is_imagery(fact: ClaimFact) -> bool:
    if IMAGERY & set(fact.evidence):
        return True
    return _mentions_footage(fact.sentence)


# A sentence recurs across facts: once per system a claim names, and again in every reprint of
# an article. Lowering and scanning it, and normalising its spacing, were a tenth of merge's time
# on a 100,000-document load; a string's answers never change, so each is worked out once (the
# last 16,384 sentences: a few megabytes, also in a long-running `orbat serve`).
@lru_cache(maxsize=16384)
def _mentions_footage(sentence: str) -> bool:
    return _FOOTAGE.search(sentence.lower()) is not None


@lru_cache(maxsize=16384)
def _sentence_key(sentence: str) -> str:
    """The same sentence in two documents, whatever its case and spacing: one piece of evidence."""
    return "sentence:" + " ".join(sentence.lower().split())


def _close(a: date | None, b: date | None, days: int) -> bool:
    return a is not None and b is not None and abs((a - b).days) <= days


def group_evidence(facts: list[ClaimFact], day_of: Callable[[ClaimFact], date | None],
                   published_of: Callable[[ClaimFact], date | None]) -> list[EvidenceGroup]:
    """Partition supporting claims by the primary evidence they rest on (rules in the module doc)."""
    imagery: list[EvidenceGroup] = []
    others: dict[str, EvidenceGroup] = {}
    pending: list[tuple[ClaimFact, str | None]] = []
    # each fact's named source, worked out once: the sort, the imagery and the others all ask
    named = [(fact, source_of(fact)) for fact in facts]
    named.sort(key=lambda pair: (pair[1] is None, pair[0].date is None, day_of(pair[0]) or date.max))
    for fact, source in named:
        if not is_imagery(fact):
            pending.append((fact, source))
            continue
        home = _imagery_home(imagery, fact, source, day_of, published_of)
        if home is None:
            home = EvidenceGroup("imagery", source, day_of(fact) if fact.date else None)
            imagery.append(home)
        home.name = home.name or source
        home.day = home.day or (day_of(fact) if fact.date else None)
        home.facts.append(fact)
    for fact, source in pending:
        own = source or fact.attributed_to or OWN_EVIDENCE & set(fact.evidence)
        home = None if own else _imagery_home(imagery, fact, source, day_of, published_of)
        sentence = _sentence_key(fact.sentence)
        if home is None:
            key, kind, name = _other_key(fact, source)
            home = others.get(sentence) or others.get(key)
            if home is None:  # a group made only when new: most claims join one already there
                home = others[key] = EvidenceGroup(kind, name, day_of(fact) if fact.date else None)
            if home.kind == "report" and kind != "report":
                home.kind = kind
        others.setdefault(sentence, home)
        if home.kind == "imagery" and home.day is None and fact.date:
            home.day = day_of(fact)  # "has not commented on the arrival on Friday" dates the footage
        home.facts.append(fact)
    return list({id(g): g for g in [*imagery, *others.values()]}.values())


def _imagery_home(groups: list[EvidenceGroup], fact: ClaimFact, name: str | None,
                  day_of: Callable[[ClaimFact], date | None],
                  published_of: Callable[[ClaimFact], date | None]) -> EvidenceGroup | None:
    """The imagery group a claim refers to: same named source (`name`, `source_of(fact)`), else
    same event days."""
    if name:
        named = next((g for g in groups if g.name == name), None)
        if named is not None:
            return named
    candidates = [g for g in groups if name is None or g.name is None]
    if fact.date:
        day, month = day_of(fact), fact.date[:7] if len(fact.date) == 7 else None  # "in January"
        return next((g for g in candidates if g.day is None or _close(g.day, day, SAME_EVENT_DAYS)
                     or (month is not None and g.day.isoformat()[:7] == month)), None)
    published = published_of(fact)
    if published is None:
        return candidates[0] if len(candidates) == 1 else None
    fits = [g for g in candidates if g.day is None or 0 <= (published - g.day).days <= REPEAT_DAYS]
    return fits[-1] if fits else None


def _other_key(fact: ClaimFact, source: str | None) -> tuple[str, str, str | None]:
    """(key, kind, name) of the group a claim with no imagery belongs to; `source` is `source_of(fact)`."""
    named = source or fact.attributed_to
    if named:
        return f"said:{named.lower()}", "statement", named
    # one outlet's unsourced sentences rest on whatever that outlet saw or was told: one group,
    # named by the most specific evidence any of them gives ("official statement", else "report")
    if fact.evidence and OWN_EVIDENCE & set(fact.evidence):
        kind = sorted(OWN_EVIDENCE & set(fact.evidence))[0].replace("_", " ")
        return f"own:{fact.publisher or fact.document_id}", kind, fact.publisher
    return f"own:{fact.publisher or fact.document_id}", "report", fact.publisher
