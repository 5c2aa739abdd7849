"""Long documents in pieces: split the clean text, and join the pieces' records back into one.

Why: some later stages compare every mention with every other one in the document, which is
fine for a news report and ruinous for a 5 MB file (the issue measured 10.5 minutes). Cutting
the text into pieces of at most `CHUNK_CHARS` at paragraph or sentence breaks makes the cost
linear in the document's length; a claim never spans a piece, and a sentence is never cut when
the text has sentence breaks at all. Offsets in the joined record point into the whole text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from orbat.model import Claim, ClaimActor, ClaimEquipment, DateMention, Entity, ExtractionRecord, Span, UnanchoredDate

CHUNK_CHARS = 100_000
_BREAKS = ("\n\n", ".\n", ". ", "! ", "? ", "\n", " ")


def split(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs covering `text`; each piece ends at the strongest break in its last half."""
    start = 0
    while len(text) - start > size:
        end = start + size
        for mark in _BREAKS:
            found = text.rfind(mark, start + size // 2, end)
            if found >= 0:
                end = found + len(mark)
                break
        yield start, text[start:end]
        start = end
    if start < len(text) or not text:
        yield start, text[start:]


def _shift(span: Span, offset: int) -> Span:
    return Span(span.start + offset, span.end + offset, span.text)


class Joiner:
    """Collects the pieces' records; an entity met in several pieces becomes one, with all mentions."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.by_key: dict[tuple, Entity] = {}
        self.dates: list[DateMention] = []
        self.unanchored_dates: list[UnanchoredDate] = []
        self.claims: list[Claim] = []
        self.markings: list[Span] = []
        # one str per distinct mention text: a dense report names "Gao" thousands of times, and each
        # piece's mentions would otherwise keep a copy apiece (tens of MB on a 5 MB text)
        self.texts: dict[str, str] = {}

    def add(self, record: ExtractionRecord, offset: int) -> None:
        ids: dict[str, str] = {}
        for entity in record.entities:
            key = (entity.kind, entity.catalog_id, entity.gazetteer_id, entity.name, entity.country, entity.feature)
            texts = self.texts
            mentions = [Span(m.start + offset, m.end + offset, texts.setdefault(m.text, m.text))
                        for m in entity.mentions]
            known = self.by_key.get(key)
            if known is None:
                known = replace(entity, id=f"e{len(self.entities) + 1}", mentions=mentions)
                self.by_key[key] = known
                self.entities.append(known)
            else:
                known.mentions.extend(mentions)
            ids[entity.id] = known.id
        self.dates.extend(replace(d, span=_shift(d.span, offset)) for d in record.dates)
        self.unanchored_dates.extend(replace(d, span=_shift(d.span, offset)) for d in record.unanchored_dates)
        self.markings.extend(_shift(m, offset) for m in record.markings)
        self.claims.extend(_renumber(c, ids, offset) for c in record.claims)


def _renumber(claim: Claim, ids: dict[str, str], offset: int) -> Claim:
    def one(entity_id: str | None) -> str | None:
        return ids.get(entity_id, entity_id) if entity_id else entity_id

    return replace(
        claim, sentence=_shift(claim.sentence, offset),
        equipment=[ClaimEquipment(one(e.entity), e.quantity) for e in claim.equipment],
        classes=[ClaimEquipment(one(e.entity), e.quantity) for e in claim.classes],
        actors=[ClaimActor(one(a.entity), a.role) for a in claim.actors],
        place=one(claim.place), origin=one(claim.origin), transit=[one(t) for t in claim.transit],
        attributed_to=one(claim.attributed_to))
