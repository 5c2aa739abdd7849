"""Systems of a claim and their counts: which systems each fact takes, and how many of each.

Split from `attach` (rule 2 of its list): a count may stand before the system, in brackets after
it, in "one of", in a bare count word, or only in an earlier sentence of the story that a
definite description ("the tanks", "the first ten") refers back to.
"""

from __future__ import annotations

import re

from orbat.model import ClaimEquipment, Mention, Quantity
from orbat.relate.views import SentenceView, State, Trigger
from orbat.relate.vocabulary import (
    ANAPHORA,
    COUNT_BEFORE_CUE,
    COUNTED_NOUN,
    DEFINITE_BEFORE,
    ELLIPTICAL_SUBJECT,
    ONE_OF_BEFORE,
    PRONOUN_START,
    alt,
    words,
    words_to_numbers,
)

BARE_COUNT_AFTER = re.compile(rf"(?<!\s)\s+(?:each\s+)?(?P<count>{alt('count_words')})\s*(?:[,;.]|$)", re.I)
FULL_STOP = re.compile(r"[.!](?:\[\d{1,3}\])*[^\w.!]*$")


def claim_systems(text: str, trigger: Trigger, view: SentenceView, state: State,
                  class_of=lambda entity_id: None) -> list[ClaimEquipment]:
    """The trigger's systems; "these vehicles" and the like take the previous claims' systems, and
    so does a sentence whose subject is left out ("Delivered from Belarus in 1999", "364 were
    ordered in the 1980s"), which also gives its count when it speaks of one system. "The
    armour" takes only ground systems (`class_of` gives a system's class), from the story's
    lead when the previous sentence was about aircraft."""
    equipment = [ClaimEquipment(e, m.quantity or _one_named(text, m, trigger) or _one_of(text, m)
                                or _bracketed_after(text, m, trigger) or _counted_before(text, m, e, state))
                 for m, e in trigger.equipment]
    sentence = view.sentence
    anaphora = ANAPHORA.search(text, sentence.start, sentence.end)
    classes = [(m, e) for m, e in trigger.classes
               if not DEFINITE_BEFORE.search(text[max(0, m.span.start - 12):m.span.start])
               and not _inside_a_name(text, m)]
    elliptical = None
    # a heading ("Security Assistance") has no full stop; only the sentence's tail is read
    if trigger.cue.span.text and FULL_STOP.search(sentence.text[-30:]):
        elliptical = ELLIPTICAL_SUBJECT.match(text[sentence.start:trigger.cue.span.start])
    refers = anaphora or PRONOUN_START.match(sentence.text) or elliptical
    if classes and _story_calls(anaphora, state) and all(
            AGENT_CLASS_BEFORE.search(text, max(0, m.span.start - 8), m.span.start) for m, _ in classes):
        classes = []  # "the tank … struck by a drone": the drone hit the tank the story named
    if not equipment and refers and state.last_equipment and not classes and trigger.event != "construction":
        offered = _of_domain(anaphora, state.last_equipment, class_of)
        if not offered and state.frame is not None:
            offered = _of_domain(anaphora, state.frame.equipment, class_of)
        offered = _by_head_noun(anaphora, offered, state)
        count = _count(elliptical.group("count")) if elliptical else None
        if count and len(offered) > 1:  # "The first ten had arrived": not the one aircraft that flew them in
            offered = [e for e in offered if not e.quantity or e.quantity.max is None or e.quantity.max >= count.min]
        if count is None and anaphora and trigger.cue.span.start > anaphora.end():
            told = COUNT_BEFORE_CUE.search(text, anaphora.end(), trigger.cue.span.start)
            count = _count(told.group("count")) if told else None
        count = count if len(offered) == 1 else None
        if count is None and anaphora and len(offered) == 1 and trigger.event in TOLD_AGAIN_EVENTS:
            count = state.counts.get(offered[0].entity)  # "The first six … landed", then "The aircraft left …"
        equipment = [ClaimEquipment(e.entity, count) for e in offered]
        trigger.classes = classes
    elif not equipment and len(state.last_equipment) == 1 and state.last_heads:
        equipment = _counted_again(text, trigger, view, state)
    return equipment


TOLD_AGAIN_EVENTS = {"transport"}  # a journey of the systems just counted moves all of them
AGENT_CLASS_BEFORE = re.compile(r"\bby\s+(?:an?\s+)?$", re.I)  # "struck by a drone": what hit it, not it
NAME_WORD_BEFORE = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*+\s++$")  # starts only at a word's start: linear
NAME_WORD_AFTER = re.compile(r"(?<!\s)\s+[A-Z]")  # matched at a name's end; linear on long blanks


def _inside_a_name(text: str, mention: Mention) -> bool:
    """"the Army Armor Training Command": a capitalised class word between capitalised words is part
    of a unit's or a school's name, not systems of that class."""
    return mention.span.text[:1].isupper() and mention.span.start > 0 and text[mention.span.start - 1] != "\n" \
        and bool(NAME_WORD_BEFORE.search(text, max(0, mention.span.start - 30), mention.span.start)) \
        and bool(NAME_WORD_AFTER.match(text, mention.span.end))


BRACKET_GAP = re.compile(r"^\s?\(\s?$")


def _bracketed_after(text: str, mention: Mention, trigger: Trigger) -> Quantity | None:
    """"two M142 High Mobility Artillery Rocket Systems (HIMARS)": the short name in brackets right
    after a counted name is the same systems, with the same count."""
    for other, _ in trigger.equipment:
        end = other.head_end or other.span.end
        if other.quantity is not None and end <= mention.span.start \
                and BRACKET_GAP.match(text[end:mention.span.start]):
            return other.quantity
    return None


def _counted_before(text: str, mention: Mention, entity_id: str, state: State) -> Quantity | None:
    """"deployed two M142 HIMARS …", then "the HIMARS systems and their crews": a definite name of
    systems the story counted before is the same systems, so it keeps their count."""
    if not DEFINITE_BEFORE.search(text, max(0, mention.span.start - 12), mention.span.start):
        return None
    return state.counts.get(entity_id)


DOMAINS = ("land", "air", "sea")


def _called(anaphora: re.Match | None, state: State) -> list[str]:
    """The story's systems it called by the anaphora's noun ("the tank": those named "… tanks")."""
    noun = anaphora.group(0).split()[-1].lower().removesuffix("s") if anaphora else ""
    return [entity for entity, heads in state.heads.items() if noun and any(h.removesuffix("s") == noun
                                                                            for h in heads)]


def _story_calls(anaphora: re.Match | None, state: State) -> bool:
    return bool(_called(anaphora, state))


def _by_head_noun(anaphora: re.Match | None, offered: list[ClaimEquipment], state: State) -> list[ClaimEquipment]:
    """"A Challenger 2 tank was destroyed … A damaged T-64BV stood nearby … the tank may have hit a
    mine": when none of the last systems was called by the noun, the one the story last called so."""
    called = _called(anaphora, state)
    if not called or any(e.entity in called for e in offered):
        return offered
    return [ClaimEquipment(called[-1], None)]


def _of_domain(anaphora: re.Match | None, offered: list[ClaimEquipment], class_of) -> list[ClaimEquipment]:
    """The systems "the armour", "the convoy" or "these aircraft" can mean: those of the noun's
    domain (ground, air, sea), and those whose domain is unknown. A noun of no domain
    ("equipment", "systems") takes them all."""
    noun = anaphora.group(0).split()[-1].lower() if anaphora else ""
    domain = next((d for d in DOMAINS if noun in words()[f"domain_{d}_nouns"]), None)
    if domain is None:
        return list(offered)
    own = set(words()[f"domain_{domain}_classes"])
    others = {c for d in DOMAINS if d != domain for c in words()[f"domain_{d}_classes"]}
    return [e for e in offered if (cls := class_of(e.entity)) in own or cls not in others]


def _one_named(text: str, mention: Mention, trigger: Trigger) -> Quantity | None:
    """"2 frégates (le Chevalier Paul et le La Motte-Picquet)": as many names in the brackets as the
    count before them, so each name is one ship."""
    opening = text.rfind("(", max(0, mention.span.start - 40), mention.span.start)
    closing = text.find(")", mention.span.end, mention.span.end + 60)
    if opening < 0 or closing < 0 or ")" in text[opening:mention.span.start]:
        return None
    names = [m for m, _ in trigger.equipment if opening < m.span.start and m.span.end <= closing]
    for counted, _ in trigger.classes:
        q = counted.quantity
        if q and q.min == q.max == len(names) and not text[counted.span.end:opening].strip():
            return Quantity(1, 1, False, mention.span.text)
    return None


def _one_of(text: str, mention: Mention) -> Quantity | None:
    """"One of Ukraine's recently delivered F-16 fighters crashed", "l'un des Rafale": one of them."""
    m = ONE_OF_BEFORE.search(text, max(0, mention.span.start - 60), mention.span.start)
    return Quantity(1, 1, False, m.group(0).split()[0]) if m else None


def _counted_again(text: str, trigger: Trigger, view: SentenceView, state: State) -> list[ClaimEquipment]:
    """"M142 HIMARS launchers have arrived … Washington pledged four launchers", "canons CAESAR …
    six canons supplémentaires": a count of the noun the one system was named with is that system."""
    system = state.last_equipment[0].entity
    for cue in view.cues:  # "Washington and Berlin each pledged one": a bare count after the event word
        if cue.kind == "event" and cue.value == trigger.event and (
                bare := BARE_COUNT_AFTER.match(text, cue.span.end, view.sentence.end)):
            return [ClaimEquipment(system, _count(bare.group("count")))]
    for mention, _ in trigger.classes:
        if mention.quantity is not None and mention.span.text.lower().split()[-1] in state.last_heads:
            trigger.classes = []
            return [ClaimEquipment(system, mention.quantity)]
    if trigger.classes:
        return []
    for m in COUNTED_NOUN.finditer(text, view.sentence.start, view.sentence.end):
        if m.group("noun").lower() in state.last_heads and (count := _count(m.group("count"))):
            return [ClaimEquipment(system, count)]
    return []


def _count(word: str | None) -> Quantity | None:
    if not word:
        return None
    value = int(word.replace(",", "")) if word[0].isdigit() else words_to_numbers().get(word.lower())
    return Quantity(value, value, False, word) if value else None


