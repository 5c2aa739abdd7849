"""Attachment: which event each system, place and actor of a sentence belongs to, and in what role.

This module finds the facts of a sentence and hands each system to one (rules 1 and 2); the
roles live beside it, one module per kind of part: `systems` (which systems a fact takes and
how many), `place_roles` (rules 3 and 4) and `actor_roles` (rule 5).

Rules, in the order they apply to a sentence:
1. every event cue is a candidate fact; cues of the same event type in a sentence are one fact;
2. each system goes to the nearest event cue before it (else after it); a relative clause
   (", which were presented") also takes the system right before it. What a system can carry
   ("which can … carry guided bombs and missiles") and a class noun restating the system before
   it ("the Akıncı, Baykar's largest drone") are not systems of the fact;
3. an abbreviated country name that modifies the next word ("U.S. Forces fired", "the U.S.
   commitment") plays no role; a place governed by "from/depuis" is the origin, by
   "through/via/par" the transit, by "to/into/for/à/vers" the destination; a place inside a
   relative or adverbial clause the event word is not in, or one that only modifies another noun
   ("France's defence ministry"), is not the claim's place. With a parse these come from the
   dependency tree, else from word windows;
4. the place is the most specific remaining place, a destination first for transfers;
5. an actor's role comes from its preposition, its position against the event verb, and its type;
   one that "has not commented" on the fact, or only says whose a TV channel is ("the Malian
   channel"), has no role in it.
"""

from __future__ import annotations

import re

from orbat.model import Cue, Mention, Span
from orbat.relate import syntax
from orbat.relate.views import EQUIPMENT_KINDS, Parts, Trigger
from orbat.relate.vocabulary import (
    APPOSITION,
    PAYLOAD_BEFORE,
    RELATIVE,
    REPEAT_VERB,
    words,
)

PARTICIPLE = re.compile(r"(?:ed|[ée]e?s?|[iu]s?|ite?s?)$", re.I)  # "purchased", "livrés", "acquis"
ATTRIBUTIVE_GAP = re.compile(r"^(?:\s+[\w-]+){0,2}\s+$")


def triggers(cues: list[Cue], parts: Parts, listed: bool = False, text: str = "") -> list[Trigger]:
    """Event cues of a sentence, one per event type.

    A sentence that names systems in a place or counts them, with no event word ("Footage from
    Gao showed seven T-72B3 tanks") still states their presence: a deployment anchored on the
    first system. So does an item of a bulleted inventory ("-   Ural-4320 trucks", "- Unknown
    amounts of ZU-23-2"): the list says what a force holds.
    """
    seen: dict[str, Trigger] = {}
    events = [c for c in cues if c.kind == "event"]
    for cue in events:
        if any(_inside(cue, other) for other in events):
            continue  # "drawdown" inside "presidential drawdown": the longer phrase says what it is
        if _role_noun(cue, events, parts):
            continue  # "Mali received … a CASA C-295 transport": what the aircraft is, not a second event
        if cue.value not in seen:
            seen[cue.value] = Trigger(cue.value, cue)
    counted = any(m.quantity is not None for _, m, _ in parts.systems if m.kind in EQUIPMENT_KINDS)
    counted = counted or _counted_with_name(parts)
    # "The AH-64 program manager … working with the Dutch": a system that names an office is no system present
    present = [m for _, m, _ in parts.systems if m.kind in EQUIPMENT_KINDS
               and not (text and OFFICE_NOUN_AFTER.match(text, m.head_end or m.span.end))]
    if not seen and (parts.located or counted or listed) and present:
        first = present[0]
        seen["deployment"] = Trigger("deployment", Cue("event", "deployment", first.span), implicit=True)
    return sorted(seen.values(), key=lambda t: t.cue.span.start)


OFFICE_NOUN_AFTER = re.compile(r"(?<!\s)\s+(?:program|programme|project|office)(?:\s+(?:manager|office|director|"
                               r"executive|officer|team|lead))?s?\b", re.I)
ROLE_NOUN_GAP = 2  # characters between a designation and the role noun after it: " "
REPEATED_AFTER = re.compile(r"(?:,\s*and|;|,\s*then|\band\s+then)\b", re.I)


def repeated_events(found: list[Trigger], text: str, start: int, end: int) -> list[Trigger]:
    """"The base at Faya-Largeau was returned on December 26, and the one in Abéché followed on
    January 11": a clause joined after an event word that says the same happened again is a
    second event of that kind, with its own place and date."""
    told = [t for t in found if not t.implicit]
    if not told:
        return found
    extra = []
    for match in REPEAT_VERB.finditer(text, start, end):
        before = [t for t in told if t.cue.span.end <= match.start()]
        if before and REPEATED_AFTER.search(text, before[-1].cue.span.end, match.start()):
            span = Span(match.start(), match.end(), match.group(0))
            extra.append(Trigger(before[-1].event, Cue("event", before[-1].event, span)))
    return sorted([*found, *extra], key=lambda t: t.cue.span.start) if extra else found


def _role_noun(cue: Cue, events: list[Cue], parts: Parts) -> bool:
    """An event word that is the role noun of the system just before it ("a CASA C-295
    transport") in the object of an earlier event word ("Mali received"): it says what the system
    is. As the subject ("An An-124 transport delivered …") it is still the carrier's own event."""
    if cue.span.text.lower() not in words()["system_role_nouns"]:
        return False
    named = [m for _, m, _ in parts.systems if m.kind in EQUIPMENT_KINDS
             and 0 < cue.span.start - m.span.end <= ROLE_NOUN_GAP]
    return any(other.span.end <= m.span.start for m in named for other in events if other is not cue)


def _counted_with_name(parts: Parts) -> bool:
    """"1 frégate (le Jean Bart)", "2 frigates (Chevalier Paul and …)": a counted class with the hull
    it names right after it counts that hull."""
    mentions = sorted((m for _, m, _ in parts.systems), key=lambda m: m.span.start)
    return any(first.kind not in EQUIPMENT_KINDS and first.quantity is not None and second.kind in EQUIPMENT_KINDS
               and 0 < second.span.start - first.span.end <= NAME_AFTER_CLASS
               for first, second in zip(mentions, mentions[1:], strict=False))


NAME_AFTER_CLASS = 6  # characters between a counted class and the name after it: " (le "
OBJECT_OF_ORDER = re.compile(r"\b(?:for|of|pour)\s+(?:the\s+|la\s+|les\s+|l['’]\s*)?$", re.I)


def ordered_supplies(found: list[Trigger], text: str) -> list[Trigger]:
    """"signed a contract … for the delivery of 24 howitzers": the delivery is what was ordered,
    so it is the order's object and its systems belong to the order, not a delivery of their own."""
    orders = [t for t in found if t.event == "order"]
    if not orders:
        return found
    first = min(t.cue.span.start for t in orders)
    return [t for t in found if not (t.event == "delivery" and t.cue.span.start > first and
                                     OBJECT_OF_ORDER.search(text, max(0, t.cue.span.start - 12), t.cue.span.start))]


SHIPMENT_NOUN = re.compile(r"^(?:shipments?|consignments?|cargaisons?)$", re.I)


def delivered_shipments(found: list[Trigger]) -> list[Trigger]:
    """"the first of a total shipment of 32 Bradleys that will be delivered": a shipment noun in a
    sentence that tells the delivery names the delivered batch, not a second, transport event."""
    if not any(t.event == "delivery" for t in found):
        return found
    return [t for t in found if not (t.event == "transport" and SHIPMENT_NOUN.match(t.cue.span.text))]


def _inside(cue: Cue, other: Cue) -> bool:
    """The cue lies within a longer cue of another event type."""
    return other.value != cue.value and other.span.start <= cue.span.start and cue.span.end <= other.span.end \
        and other.span.end - other.span.start > cue.span.end - cue.span.start


def _nearest_trigger(found: list[Trigger], position: int) -> Trigger:
    before = [t for t in found if t.cue.span.start <= position]
    return before[-1] if before else min(found, key=lambda t: t.cue.span.start - position)


def _following_trigger(found: list[Trigger], mention: Mention, text: str) -> Trigger | None:
    """"recently delivered F-16 fighters crashed": the participle describes the system, which
    is also the subject of the next event in its clause."""
    before = [t for t in found if t.cue.span.end <= mention.span.start]
    if not before or not ATTRIBUTIVE_GAP.match(text[before[-1].cue.span.end:mention.span.start]):
        return None
    end = mention.head_end or mention.span.end
    after = [t for t in found if t.cue.span.start >= end and not re.search(r"[,;]", text[end:t.cue.span.start])]
    return after[0] if after else None


def _participle_after(found: list[Trigger], mention: Mention, text: str) -> Trigger | None:
    """"uses MiG-21s, as well as the MiG-29 purchased from Ukraine": a participle right after the
    system is the system's own event (a reduced relative clause), whatever verb came before."""
    end = mention.head_end or mention.span.end
    for trigger in found:
        gap = text[end:trigger.cue.span.start]
        if 0 < len(gap) <= 2 and not gap.strip() and PARTICIPLE.search(trigger.cue.span.text):
            return trigger
    return None


def _governing_trigger(found: list[Trigger], mention: Mention, parse: syntax.Parse | None) -> Trigger | None:
    """The event whose verb the system depends on: its subject, object, or a noun under them.

    "Des blindés BRDM-2 de fabrication russe auraient été livrés": BRDM-2 hangs under "livrés",
    so it is delivered, whatever "fabrication" is nearer.
    """
    if parse is None:
        return None
    index = parse.token_of(mention.span.start, mention.span.end)
    if index is None:
        return None
    cues = {parse.token_of(t.cue.span.start, t.cue.span.end): t for t in found}
    for ancestor in parse.ancestors(index):
        if ancestor in cues:
            return cues[ancestor]
    return None


def main_anchor(found: list[Trigger], parse: syntax.Parse | None) -> int | None:
    """The token of the sentence's main event: the event word nearest the root of the tree."""
    if parse is None or not found:
        return None
    tokens = [i for t in found if (i := parse.token_of(t.cue.span.start, t.cue.span.end)) is not None]
    return min(tokens, key=lambda i: syntax.depth(parse, i)) if tokens else None


def assign_systems(found: list[Trigger], items: list[tuple[int, Mention, str]], text: str,
                   parse: syntax.Parse | None = None) -> None:
    head_ends = {m.head_end for _, m, _ in items if m.head_end}
    named_ends = [m.head_end or m.span.end for _, m, _ in items if m.kind in EQUIPMENT_KINDS]
    for _, mention, entity_id in items:
        if mention.kind == "equipment_class" and mention.span.end in head_ends:
            continue  # "tanks" in "T-72B3 tanks" is the system's head noun, not another class
        if PAYLOAD_BEFORE.search(text, max(0, mention.span.start - 120), mention.span.start):
            continue  # "which can … carry guided bombs and missiles": a payload, not a system present
        if mention.kind == "equipment_class" and any(
                end < mention.span.start and APPOSITION.match(text, end, mention.span.start) for end in named_ends):
            continue  # "the Akıncı, Baykar's largest drone": the same system again, not another one
        chosen = [_governing_trigger(found, mention, parse) or _nearest_trigger(found, mention.span.start)]
        if (following := _following_trigger(found, mention, text)) is not None:
            chosen.append(following)
        if (participle := _participle_after(found, mention, text)) is not None and participle not in chosen:
            chosen.append(participle)
        if all(t.event == "construction" for t in chosen) \
                and (own := _infinitive_after(found, mention, text)) is not None:
            chosen = [own]  # "built hangars, enabling the Chinooks to fly": works hold no systems, the Chinooks fly
        for trigger in chosen:
            target = trigger.equipment if mention.kind in EQUIPMENT_KINDS else trigger.classes
            target.append((mention, entity_id))
    for trigger in found:  # ", which were presented": the item just before the relative clause
        if trigger.equipment or trigger.classes:
            continue
        previous = [(m, e) for _, m, e in items if m.kind in EQUIPMENT_KINDS and m.span.end <= trigger.cue.span.start]
        if previous:
            mention, entity_id = previous[-1]
            tail = text[(mention.head_end or mention.span.end):trigger.cue.span.start]
            if RELATIVE.match(tail):
                trigger.equipment.append((mention, entity_id))


INFINITIVE_GAP = re.compile(r"(?<!\s)\s+to\s+", re.I)


def _infinitive_after(found: list[Trigger], mention: Mention, text: str) -> Trigger | None:
    """The event word right after "<system> to": "enabling the Chinooks to fly" is the Chinooks' own event."""
    end = mention.head_end or mention.span.end
    return next((t for t in found if t.cue.span.start > end
                 and INFINITIVE_GAP.fullmatch(text, end, t.cue.span.start)), None)
