"""How much of the dear spaCy work one document may ask for, across all of its pieces.

spaCy's name recogniser (`orbat.extract.actors`) and parser (`orbat.relate.syntax`) cost far more
per word than the rest of extraction. A news report asks them for a few dozen windows and
sentences at most (the real-text test set: 28 windows and 11 sentences at most); a huge generated
or hostile text asks for one per sentence, so without a ceiling its cost is spaCy's on the whole
text. `orbat.pipeline.extract_source` opens one `Allowance` per document; past it, the name
recogniser skips the remaining windows (their actors come from the patterns alone) and the
parser leaves the remaining sentences to relate's fast path, each with one warning.

Outside a document's run (a stage called on its own, as tests do) there is no allowance and
nothing is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

NAME_WINDOWS = 400  # name recogniser windows per document
PARSED_SENTENCES = 400  # parsed sentences per document
WINDOWS_SPENT = (
    f"extract: more name windows than the name recogniser's budget ({NAME_WINDOWS} per document); "
    "the rest have actors from the patterns alone"
)


@dataclass
class Allowance:
    left: dict[str, int] = field(default_factory=lambda: {"windows": NAME_WINDOWS, "parses": PARSED_SENTENCES})
    refused: dict[str, int] = field(default_factory=lambda: {"windows": 0, "parses": 0})

    def take(self, kind: str, wanted: int) -> int:
        granted = min(wanted, self.left[kind])
        self.left[kind] -= granted
        self.refused[kind] += wanted - granted
        return granted


_CURRENT: ContextVar[Allowance | None] = ContextVar("orbat_allowance", default=None)


def take(kind: str, wanted: int) -> int:
    """How many of `wanted` windows or sentences the current document may still have."""
    allowance = _CURRENT.get()
    return wanted if allowance is None else allowance.take(kind, wanted)


@contextmanager
def per_document() -> Iterator[Allowance]:
    allowance = Allowance()
    token = _CURRENT.set(allowance)
    try:
        yield allowance
    finally:
        _CURRENT.reset(token)
