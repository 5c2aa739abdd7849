"""Our certainty levels in the words analysts are trained to read: ICD 203 and Admiralty.

Claims carry a level taken from the source's own wording ("confirmed", "may have", "it is
possible", "widely speculated") and merge raises it only for independent imagery. Readers of a
brief do not know our six levels; they know the US Intelligence Community's expressions of
likelihood (ICD 203, each with a probability band) and the Admiralty/NATO information-credibility
scale (1–6). Both mappings live here, in one table, so the brief's words and its footnote can
never disagree.

"confirmed" and "reported" depend on corroboration. One outlet's own imagery or confirmation is
*very likely* and "probably true" (Admiralty 2), not "confirmed by other sources" (1), which takes
two independent publishers; one outlet stating a fact without hedging is *likely* and "possibly
true" (3: not confirmed, agrees somewhat with other information), two or more are *very likely*
and "probably true" (2: consistent with other information). Hedged levels map the same way
whatever the number of sources: a hedge repeated by many outlets is still a hedge.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIRALTY = {1: "Confirmed by other sources", 2: "Probably true", 3: "Possibly true", 4: "Doubtful",
             5: "Improbable", 6: "Truth cannot be judged"}


@dataclass(slots=True, frozen=True)
class Estimate:
    """How sure a brief says it is: the ICD 203 word, its band, and the Admiralty credibility."""

    level: str
    word: str
    band: str
    admiralty: int

    @property
    def admiralty_label(self) -> str:
        return ADMIRALTY[self.admiralty]

    @property
    def short(self) -> str:
        """The table cell: "very likely · 2"."""
        return f"{self.word} · {self.admiralty}"

    @property
    def long(self) -> str:
        """The prose form: "very likely (80–95%; Admiralty 2, probably true)"."""
        return f"{self.word} ({self.band}; Admiralty {self.admiralty}, {self.admiralty_label.lower()})"


@dataclass(slots=True, frozen=True)
class ScaleRow:
    """One line of the footnote table."""

    level: str
    condition: str
    estimate: Estimate


# (level, condition, ICD 203 word, band, Admiralty credibility), strongest first.
_SCALE: tuple[tuple[str, str, str, str, int], ...] = (
    ("confirmed", "imagery or confirmation from two or more independent sources", "almost certainly", "95–99%", 1),
    ("confirmed", "one source's own imagery or confirmation", "very likely", "80–95%", 2),
    ("reported", "stated without hedging by two or more independent sources", "very likely", "80–95%", 2),
    ("reported", "stated without hedging by one source", "likely", "55–80%", 3),
    ("probable", "hedged as likely or probable", "likely", "55–80%", 3),
    ("possible", "hedged as possible (\"may have\", \"it is possible\")", "roughly even chance", "45–55%", 4),
    ("speculative", "speculation or unsourced rumour (\"widely speculated\")", "unlikely", "20–45%", 6),
    ("denied", "denied by a source and asserted by none", "very unlikely", "05–20%", 5),
)

SCALE: tuple[ScaleRow, ...] = tuple(ScaleRow(level, condition, Estimate(level, word, band, grade))
                                    for level, condition, word, band, grade in _SCALE)


def estimate(level: str, sources: int = 1) -> Estimate:
    """The estimate for a certainty level backed by `sources` independent publishers.

    An unknown level (a newer extractor's word) reads as a single plain report rather than
    failing the whole brief.
    """
    rows = [r for r in SCALE if r.level == level] or [r for r in SCALE if r.level == "reported"]
    if len(rows) > 1:  # "confirmed" and "reported": corroboration picks the row
        return rows[0].estimate if sources >= 2 else rows[1].estimate
    return rows[0].estimate
