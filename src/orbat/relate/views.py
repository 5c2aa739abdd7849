"""What the rule families share: one sentence's contents, the event cues being built, the story so far."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from orbat.model import (
    Claim,
    ClaimEquipment,
    Cue,
    DateMention,
    Entity,
    Extraction,
    Mention,
    Quantity,
    Resolution,
    Sentence,
    Span,
)
from orbat.relate.vocabulary import alt

EQUIPMENT_KINDS = {"equipment", "unknown_equipment"}
PLACE_RANK = {"installation": 0, "locality": 1, "city": 1, "admin": 2, "region": 3, "country": 4}


@dataclass(slots=True)
class Trigger:
    """One event of a sentence and what attaches to it."""

    event: str
    cue: Cue
    equipment: list[tuple[Mention, str]] = field(default_factory=list)
    classes: list[tuple[Mention, str]] = field(default_factory=list)
    date: DateMention | None = None
    inherited: Claim | None = None  # the fact an elaborating sentence adds detail to
    background: bool = False  # "previous shipments came by air": dated history, not the current event
    implicit: bool = False  # no event word: systems counted or placed ("Footage showed seven T-72B3")
    generic: bool = False  # states no fact of its own, but may frame the sentences after it
    own_place: bool = False  # the place comes from the sentence or its actors, not from earlier ones
    maker: Entity | None = None  # "French-built AMX-30": the country a demonym says the systems come from


@dataclass(slots=True)
class State:
    """What earlier sentences leave for later ones: the last systems, the last place, the story's frame."""

    last_equipment: list[ClaimEquipment] = field(default_factory=list)
    last_heads: set[str] = field(default_factory=set)  # "launchers" of "M142 HIMARS launchers"
    heads: dict[str, set[str]] = field(default_factory=dict)  # each system's head nouns, over the whole story
    last_dates: dict[str, DateMention] = field(default_factory=dict)  # the last date given to each kind of event
    story_event: str | None = None  # the exercise or parade the title names
    story_date: DateMention | None = None  # the date the lead gives that exercise or parade
    location_field: bool = False  # inside an infobox's place field ("Localisation …" and the lines after it)
    last_place: str | None = None
    last_claim_place: str | None = None  # the place of the last claim made, not of a place merely named
    frame: Frame | None = None
    list_intro: Claim | None = None  # "has provided the following articles:": the items after it inherit
    counts: dict[str, Quantity] = field(default_factory=dict)  # the last count the story gave each system


@dataclass(slots=True)
class Frame:
    """The story's main event as the title and lead state it: what, where, when and who.

    Later sentences that refer back ("the convoy", "ils") and name no place or date of their own
    take these.
    """

    event: str
    place: str | None = None
    date: DateMention | None = None
    equipment: list[ClaimEquipment] = field(default_factory=list)
    actors: list = field(default_factory=list)
    evidence_source: str | None = None
    claim: Claim | None = None  # the lead claim itself, for sentences that add its systems
    index: int = 0  # the sentence that set the frame


@dataclass(slots=True)
class Parts:
    """A sentence's systems, places and actors, with places split by their role."""

    systems: list[tuple[int, Mention, str]]
    places: list[tuple[Mention, Entity]]
    actors: list[tuple[Mention, Entity]]
    origins: list[tuple[Mention, Entity]]
    transits: list[tuple[Mention, Entity]]
    located: list[tuple[Mention, Entity]]
    destinations: list[tuple[Mention, Entity]] = field(default_factory=list)
    targets: list[tuple[Mention, Entity]] = field(default_factory=list)  # "use them against Ukraine"


@dataclass(slots=True)
class SentenceView:
    """One sentence and what lies inside it, gathered once so relating stays linear."""

    sentence: Sentence
    mentions: list[tuple[int, Mention]] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    markings: list[Span] = field(default_factory=list)
    index: int = 0


@dataclass(slots=True)
class Context:
    """The document-wide inputs every rule reads."""

    text: str
    resolution: Resolution
    entities: dict[str, Entity]
    language: str = "en"
    published: str | None = None


def sentence_views(extraction: Extraction) -> list[SentenceView]:
    out = [SentenceView(s, index=i) for i, s in enumerate(extraction.sentences)]
    starts = [s.start for s in extraction.sentences]

    def owner(span: Span) -> SentenceView | None:
        i = bisect.bisect_right(starts, span.start) - 1
        if i >= 0 and span.end <= out[i].sentence.end:
            return out[i]
        return None

    for index, mention in enumerate(extraction.mentions):
        if view := owner(mention.span):
            view.mentions.append((index, mention))
    for cue in extraction.cues:
        if view := owner(cue.span):
            view.cues.append(cue)
    for view in out:
        view.cues = sorted([*view.cues, *water_losses(extraction.document.text, view)], key=lambda c: c.span.start)
    for found in extraction.dates:
        if view := owner(found.span):
            view.dates.append(found)
    for marking in extraction.markings:
        if view := owner(marking):
            view.markings.append(marking)
    return out


def sentence_items(view: SentenceView, ctx: Context):
    """Systems, places and actors of a sentence; a country that acts is an actor, not a place."""
    systems, places, actors = [], [], []
    for index, mention in view.mentions:
        entity_id = ctx.resolution.mention_entity.get(index)
        actor_id = ctx.resolution.mention_actor.get(index)
        if actor_id:
            actors.append((mention, ctx.entities[actor_id]))
        if entity_id is None:
            continue
        entity = ctx.entities[entity_id]
        if entity.kind in {"equipment", "equipment_class"}:
            systems.append((index, mention, entity_id))
        elif entity.kind == "place" and not actor_id:
            places.append((mention, entity))
        elif entity.kind == "actor":
            actors.append((mention, entity))
    return systems, places, actors


FALLING = re.compile(
    rf"\b{alt('falling_verbs')}\b(?=[^;:]{{0,100}}?\b(?:{alt('into_water')}|into\s+the\s+(?:[A-Z][\w-]*\s+){{1,2}}"
    rf"{alt('water_nouns')})\b)", re.I)


def water_losses(text: str, view: SentenceView) -> list[Cue]:
    """A system that "fell from the hangar bay … into the Red Sea" or "went overboard" is lost:
    a falling verb is a loss word when the water it falls into follows in its clause. "Fell"
    alone is no event ("exports fell"), so the falling verb is not in the event phrases."""
    sentence = view.sentence
    taken = {(c.span.start, c.span.end) for c in view.cues}
    return [Cue("event", "loss", Span(m.start(), m.end(), m.group(0)))
            for m in FALLING.finditer(text, sentence.start, sentence.end) if (m.start(), m.end()) not in taken]
