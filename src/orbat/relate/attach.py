"""Attachment: which event each system, place and actor of a sentence belongs to, and in what role.

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

from orbat.model import ClaimActor, ClaimEquipment, Cue, Entity, Mention, Quantity, Span
from orbat.relate import syntax
from orbat.relate.views import EQUIPMENT_KINDS, PLACE_RANK, Parts, SentenceView, State, Trigger
from orbat.relate.vocabulary import (
    ABBREVIATED_COUNTRY,
    ANAPHORA,
    APPOSITION,
    ATTRIBUTIVE_NEXT,
    BORDER_BEFORE,
    CODE_AS_MODIFIER_NEXT,
    COUNT_BEFORE_CUE,
    COUNTED_NOUN,
    COUNTERPART_BEFORE,
    DEFINITE_BEFORE,
    DEPARTURE_BASE_BEFORE,
    DEPARTURE_VERB,
    DESTINATION_BEFORE,
    ELLIPTICAL_SUBJECT,
    EVIDENCE_FROM,
    FORCES_BEFORE,
    FROM_BEFORE,
    GRATITUDE_BEFORE,
    GRATITUDE_FOR_AFTER,
    HOLDING_WITH,
    HOMETOWN_BEFORE,
    LEFT_BEFORE,
    MEDIA_AFTER,
    NEAR_BEFORE,
    ONE_OF_BEFORE,
    ONWARD_AFTER,
    OPERATING_FROM,
    ORIGIN_PHRASE_BEFORE,
    PAYLOAD_BEFORE,
    PEOPLE_FROM_BEFORE,
    PRONOUN_START,
    RECEIVING,
    RECIPIENT_BEFORE,
    RELATIVE,
    RELATIVE_SUBJECT_AFTER,
    RELATIVE_SUBJECT_BEFORE,
    REPEAT_VERB,
    SAYS_AFTER,
    SELLING,
    SILENT_AFTER,
    SPEAKER_AFTER,
    SUPPLIER_BEFORE,
    TAKING_BEFORE,
    TARGET_BEFORE,
    TRANSIT_BEFORE,
    alt,
    words,
    words_to_numbers,
)

GIVING = re.compile(r"^(?:pledg|promis|sen[dt]|donat|suppl|provid|deliver|gave|giv|transferr|sold|sell|ship|"
                    r"livr|fourn|c[ée]d|offr|envoy|vend)", re.I)
HANDOVER_EVENTS = {"delivery", "order", "transfer", "transport"}
# "had been re-exported by the United Arab Emirates": the agent of a passive handover is where it came from
AGENT_AFTER = re.compile(r"(?<!\s)\s+(?:by|par)\s+(?:the\s+|la\s+|le\s+|l['’]\s*)?", re.I)
PARTICIPLE = re.compile(r"(?:ed|[ée]e?s?|[iu]s?|ite?s?)$", re.I)  # "purchased", "livrés", "acquis"
FULL_STOP = re.compile(r"[.!](?:\[\d{1,3}\])*[^\w.!]*$")
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
BARE_COUNT_AFTER = re.compile(rf"(?<!\s)\s+(?:each\s+)?(?P<count>{alt('count_words')})\s*(?:[,;.]|$)", re.I)
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


def _role_by_syntax(parse: syntax.Parse, mention: Mention, anchor: int | None, before: str,
                    places: set[int], actors: set[int], cues: set[int] = frozenset()) -> str | None:
    """The place's role from the tree; "" where the tree says it is simply where things happen."""
    index = parse.token_of(mention.span.start, mention.span.end)
    if index is None:
        return None
    if syntax.modifies_noun(parse, index, places, actors) or syntax.in_subordinate_clause(parse, index, anchor):
        return "aside"
    word = syntax.preposition_of(parse, index)
    if word is None:
        return "aside" if syntax.acts(parse, index, cues) else None  # else the word windows decide
    vocab = words()
    if word in vocab["syntax_origin"]:
        return "" if EVIDENCE_FROM.search(before) else "origin"
    if word in vocab["syntax_transit"]:
        return "transit"
    if word in vocab["syntax_counterpart"]:
        return "aside"  # "talks with Pakistan to purchase", "an agreement with Germany": a partner, not a place
    if word in vocab["syntax_destination"]:
        return "destination"
    if word in vocab["syntax_located"]:
        return ""  # "at Incirlik", "in Gao": located, whatever "from" came earlier
    return None


# "TAMPA, Fla. – In the past 24 hours…": a dateline's town (capitals at a line's start, then a dash)
# is where the release was issued, not where the events took place; a dateline that names only a
# country ("POLAND — …") says where the unit reports from, so it places the story.
DATELINE_AFTER = re.compile(r"(?:,\s{0,3}[A-Z][\w.]{0,20}(?:\s[A-Z][\w.]{0,20}){0,3})?\s{0,3}[–—-]\s")


def _dateline(text: str, mention: Mention) -> bool:
    start = mention.span.start
    return (start == 0 or text[start - 1] == "\n") and mention.span.text.isupper() \
        and bool(DATELINE_AFTER.match(text, mention.span.end))


def _role_by_window(text: str, mention: Mention, places: list[tuple[Mention, Entity]]) -> str | None:
    if _dateline(text, mention):
        return "aside"
    before = text[max(0, mention.span.start - 45):mention.span.start]
    if FROM_BEFORE.search(before) and not EVIDENCE_FROM.search(before):
        return None if OPERATING_FROM.search(before) else "origin"
    if TRANSIT_BEFORE.search(before):
        return "transit"
    if COUNTERPART_BEFORE.search(before):
        return "aside"  # "talks with Pakistan", "un accord avec la France": a partner
    if BORDER_BEFORE.search(before) or (NEAR_BEFORE.search(before)
                                        and any(e.feature == "installation" for _, e in places)):
        return "bearing"  # "near the borders with Chad", "the border with Belarus": not the place
    return None


def _departure(text: str, mention: Mention) -> bool:
    """"deux MIRAGE 2000D de la base aérienne projetée de Niamey a décollé": the base the aircraft
    take off from is their origin, not where the event happens (the tree reads it as a noun's modifier).
    So is the place left on a journey: "left the United States on July 14 and flew to West Africa"."""
    if LEFT_BEFORE.search(text, max(0, mention.span.start - 25), mention.span.start) \
            and ONWARD_AFTER.match(text, mention.span.end) \
            and not FORCES_BEFORE.search(text, max(0, mention.span.start - 115), mention.span.start):
        return True
    if not DEPARTURE_BASE_BEFORE.search(text, max(0, mention.span.start - 60), mention.span.start):
        return False
    after = text[mention.span.end:mention.span.end + 80]
    return bool(DEPARTURE_VERB.search(re.split(r"[.;\n]", after, maxsplit=1)[0]))


def _tokens(parse: syntax.Parse | None, items) -> set[int]:
    if parse is None:
        return set()
    return {i for m, _ in items if (i := parse.token_of(m.span.start, m.span.end)) is not None}


def place_roles(text: str, systems, places, actors, parse: syntax.Parse | None, anchor: int | None,
                cues: list[Cue] = ()) -> Parts:
    """Split a sentence's places into origins, transits, destinations and the rest."""
    parts = Parts(systems, places, actors, [], [], [])
    tokens = _tokens(parse, places)
    actor_tokens = _tokens(parse, actors)
    cue_tokens = _tokens(parse, [(c, None) for c in cues if c.kind == "event"])
    handovers = [c for c in cues if c.kind == "event" and c.value in HANDOVER_EVENTS]
    home_end = -1  # where the last person's home town ends: "from Las Vegas, Nevada" is one address
    for mention, entity in places:
        if HOMETOWN_BEFORE.search(text, max(0, mention.span.start - 60), mention.span.start) \
                or mention.span.start - home_end in range(1, 4) and text[home_end:mention.span.start].strip() == ",":
            home_end = mention.span.end
            continue
        if _departure(text, mention) or any(AGENT_AFTER.fullmatch(text, c.span.end, mention.span.start)
                                            for c in handovers):
            parts.origins.append((mention, entity))  # "re-exported by the UAE": where the handover came from
            continue
        if PEOPLE_FROM_BEFORE.search(text, max(0, mention.span.start - 60), mention.span.start) \
                or ORIGIN_PHRASE_BEFORE.search(text, max(0, mention.span.start - 30), mention.span.start):
            # "les pilotes de Saint-Dizier", "soldiers from France", "au départ de la France": where they come from
            parts.origins.append((mention, entity))
            continue
        if GRATITUDE_BEFORE.search(text, max(0, mention.span.start - 60), mention.span.start) \
                and GRATITUDE_FOR_AFTER.match(text, mention.span.end):
            parts.origins.append((mention, entity))  # "grateful to Belgium and Norway for committing to provide …"
            continue
        if RELATIVE_SUBJECT_BEFORE.search(text, max(0, mention.span.start - 20), mention.span.start) \
                and RELATIVE_SUBJECT_AFTER.match(text, mention.span.end):
            continue  # "un bataillon dont la France est nation-cadre": who leads it, not where the fact is
        if entity.feature == "country" and _dateline(text, mention):
            parts.located.append((mention, entity))  # "POLAND — 1st Battalion …": the country the report is from
            continue
        role = _role_by_window(text, mention, places)
        if entity.feature == "country" and ABBREVIATED_COUNTRY.fullmatch(mention.span.text) \
                and (ATTRIBUTIVE_NEXT.match(text, mention.span.end)
                     or CODE_AS_MODIFIER_NEXT.match(text, mention.span.end)):
            continue  # "U.S. Forces", "the U.S. commitment", "US, Romanian forces": a modifier, never the place
        if parse is not None and role != "bearing":
            before = text[max(0, mention.span.start - 45):mention.span.start]
            by_tree = _role_by_syntax(parse, mention, anchor, before, tokens, actor_tokens, cue_tokens)
            role = role if by_tree is None else by_tree
        if role == "origin":
            parts.origins.append((mention, entity))
        elif role == "transit":
            parts.transits.append((mention, entity))
        elif role not in {"bearing", "aside"}:
            parts.located.append((mention, entity))
            if TARGET_BEFORE.search(text[max(0, mention.span.start - 30):mention.span.start]):
                parts.targets.append((mention, entity))  # where the systems are to be used, for a transfer
            elif role == "destination" or DESTINATION_BEFORE.search(text[max(0, mention.span.start - 20):
                                                                          mention.span.start]):
                parts.destinations.append((mention, entity))
    _base_of_operations(text, parts)
    return parts


OVER_BEFORE = re.compile(r"\b(?:over|above|au-dessus\s+(?:de|du|des))\s+(?:the\s+|la\s+|le\s+|l['’]\s*)?$", re.I)
ADDRESS_GAP = re.compile(r"^(?:,\s*|\s+(?:in|near|at)\s+)$")


def _base_of_operations(text: str, parts: Parts) -> None:
    """"will operate out of RAF Coningsby in Lincolnshire and … flying missions over Poland": with an
    area the aircraft fly over, the base they operate out of (and its address) is where they come
    from, and the area is where the fact is."""
    over = [(m, e) for m, e in parts.located if OVER_BEFORE.search(text, max(0, m.span.start - 25), m.span.start)]
    if not over:
        return
    bases = [(m, e) for m, e in parts.located if (m, e) not in over
             and OPERATING_FROM.search(text, max(0, m.span.start - 45), m.span.start)]
    for base, _ in list(bases):
        bases += [(m, e) for m, e in parts.located if (m, e) not in bases and (m, e) not in over
                  and m.span.start > base.span.end and ADDRESS_GAP.match(text[base.span.end:m.span.start])]
    if bases:
        parts.located = [p for p in parts.located if p not in bases]
        parts.origins += [p for p in bases if p not in parts.origins]


def best_place(located: list[tuple[Mention, Entity]], position: int) -> Entity | None:
    usable = [(m, e) for m, e in located if e.feature != "region" or e.country]
    if not usable:
        return None
    return min(usable, key=lambda me: (PLACE_RANK.get(me[1].feature or "", 5) if me[1].lat is not None or
                                       me[1].feature in {"country", "region"} else 6,
                                       abs(me[0].span.start - position)))[1]


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


def _role(text: str, mention: Mention, entity: Entity, trigger: Trigger, system_starts: set[int]) -> str | None:
    """The actor's part in the fact, from the words around it and the kind of event.

    The subject of "delivered" supplies; the subject of "received" or "ordered" receives.
    """
    before = text[max(0, mention.span.start - 30):mention.span.start].lower()
    after = text[mention.span.end:mention.span.end + 3]
    if entity.actor_type in {"media", "research"} or SAYS_AFTER.match(text[mention.span.end:mention.span.end + 30]):
        return "source"
    transfer_like = trigger.event in {"delivery", "transfer", "order"}
    if after in {"'s ", "’s "}:
        if SPEAKER_AFTER.match(text[mention.span.end + 3:mention.span.end + 40]):
            return "source"  # "Britain's Ministry of Defence confirmed": the state speaks
        if transfer_like and mention.span.end + 3 in system_starts:
            return "supplier"  # "the first foreign buyer of Russia's Su-57": Russia makes and sells it
        if entity.actor_type == "company":
            return "supplier"  # "Baykar's largest drone": the maker, not who flies it
        return "owner" if trigger.event in {"loss", "order"} else "operator"
    if transfer_like and mention.span.end + 1 in system_starts and after[:1] in {" ", "-"}:
        return "supplier"  # "providing German Leopard 2 tanks": the maker's or giver's country
    if transfer_like and RECIPIENT_BEFORE.search(before):
        return "recipient"
    if transfer_like and SUPPLIER_BEFORE.search(before):
        return "supplier"
    if transfer_like and mention.span.end <= trigger.cue.span.start \
            and entity.actor_type in {"state", "company", "government", "armed_force"}:
        verb = text[trigger.cue.span.start:trigger.cue.span.end + 6]
        if RECEIVING.match(verb) or verb.lower().startswith("signed for") or _buys(trigger, verb) \
                or _taken(text, trigger):
            return "recipient"
        holding = HOLDING_WITH.search(text, max(0, trigger.cue.span.start - 20), trigger.cue.span.start)
        if trigger.event == "delivery" and holding:
            return "recipient"  # "Qatar maintains air defences with deliveries of Patriot": Qatar received them
        return "supplier"
    if trigger.event == "construction" and mention.span.end <= trigger.cue.span.start:
        return "builder"
    if entity.actor_type == "company":
        return "supplier"  # makers and sellers ("Baykar", "Rosoboronexport")
    if entity.actor_type in {"person", "organisation"}:
        return None  # named in the sentence, but not operating the system
    return "operator"


def _transfer_role(text: str, mention: Mention, entity: Entity, trigger: Trigger,
                   parse: syntax.Parse | None) -> str | None:
    """Who gives and who gets, from the tree: the subject of "pledged", "sent" or "donated"
    supplies, the subject of "received" or "bought" receives, "to/for X" receives, "by/from X"
    supplies. Only for transfers, only for states, governments and armed forces."""
    if parse is None or trigger.event not in {"delivery", "transfer", "order"} \
            or entity.actor_type not in {"state", "government", "armed_force"}:
        return None
    index = parse.token_of(mention.span.start, mention.span.end)
    if index is None:
        return None
    while parse.tokens[index].dep in {"conj", "appos"} and parse.tokens[index].head != index:
        index = parse.tokens[index].head  # "Washington and Berlin each pledged one"
    token = parse.tokens[index]
    verb = parse.tokens[token.head]
    if token.dep == "nsubj" and verb.pos in {"VERB", "AUX"}:
        if RECEIVING.match(verb.text.lower()) or _buys(trigger, verb.text) or _taken(text, trigger):
            return "recipient"
        return "supplier" if verb.start in _cue_starts(trigger, text, parse) else None
    word = syntax.preposition_of(parse, index)
    if word in words()["syntax_destination"]:
        return "recipient"
    if word in {"from", "by", "de", "par", "depuis"}:
        return "supplier"
    return None


def _taken(text: str, trigger: Trigger) -> bool:
    """"Russia had taken delivery of Iranian missiles", "l'armée a pris livraison de": who takes
    delivery receives."""
    return trigger.event == "delivery" and bool(
        TAKING_BEFORE.search(text, max(0, trigger.cue.span.start - 12), trigger.cue.span.start))


def _buys(trigger: Trigger, verb: str) -> bool:
    """The one who orders, signs or requests is the buyer ("Oman signed a contract with a Swedish
    yard"), unless the verb sells or gives ("Washington approved the sale", "Paris sold")."""
    return trigger.event == "order" and not (SELLING.match(verb) or GIVING.match(verb))


def _cue_starts(trigger: Trigger, text: str, parse: syntax.Parse) -> set[int]:
    """Starts of the transfer verbs of the sentence: the trigger's own and any other giving verb."""
    starts = {trigger.cue.span.start}
    starts |= {t.start for t in parse.tokens if t.pos == "VERB" and GIVING.match(t.text)}
    return starts


def claim_actors(text: str, actors: list[tuple[Mention, Entity]], trigger: Trigger,
                 attributed: Entity | None, systems=(), parse: syntax.Parse | None = None) -> list[ClaimActor]:
    out: list[ClaimActor] = []
    system_starts = {m.span.start for _, m, _ in systems}
    system_spans = [(m.span.start, m.span.end) for _, m, _ in systems]
    for mention, entity in actors:
        if SILENT_AFTER.match(text, mention.span.end) or MEDIA_AFTER.match(text, mention.span.end):
            continue  # "the Malian government has not commented", "the Malian channel Cap Mali+": no part in the fact
        if _in_other_clause(text, parse, mention, trigger, system_spans):
            continue  # "destined for the Africa Corps, the force that took over from Wagner": Wagner gave nothing
        role = "source" if attributed is not None and entity.id == attributed.id else (
            _transfer_role(text, mention, entity, trigger, parse) or _role(text, mention, entity, trigger,
                                                                             system_starts))
        if role is not None and not any(a.entity == entity.id and a.role == role for a in out):
            out.append(ClaimActor(entity.id, role))
    # "Equipping the Armed Forces of X: Washington will transfer … to the Armed Forces of X": named
    # before the verb and again after "to", a body is the one that receives; it cannot give as well,
    # and a second mention ("les Forces armées maliennes (FAMa)") adds no operator beside the recipient
    receiving = {a.entity for a in out if a.role == "recipient"}
    return [a for a in out if not (a.role in {"supplier", "operator"} and a.entity in receiving)]


RELATIVE_CLAUSES = {"relcl", "acl:relcl", "advcl"}
SYSTEM_NOUN_REACH = 25  # "M1A1 Abrams tanks that …": the noun after a designation is the system's
#: After the event word: ", the force that took over from": an appositive with its own clause.
#: After the event word: "… and accused Tehran": the object of a coordinated verb of its own.
COORDINATED_VERB = re.compile(r"\s(?:and|but)\s+(?:also\s+)?[a-z]+ed\s+(?:the\s+)?$")
APPOSITIVE_CLAUSE = re.compile(r",\s[^,;]*?\b(?:that|which|who|whom|qui|que|dont)\s", re.I)


def _in_other_clause(text: str, parse: syntax.Parse | None, mention: Mention, trigger: Trigger,
                     system_spans: list[tuple[int, int]]) -> bool:
    """Whether the actor is named inside a clause that does not hold the event word and does not
    describe the systems: "the Africa Corps, the force that took over from the Wagner Group" is
    another event with its own actors, while "M1A1 tanks that Poland bought from US stocks" says
    whose the tanks are; nor is a verb coordinated with the event's line ("… and accused Tehran
    of lying"). Without a tree, an appositive's relative pronoun between the event word
    and the actor says the same."""
    if parse is None:
        return mention.span.start > trigger.cue.span.end and bool(
            APPOSITIVE_CLAUSE.search(text, trigger.cue.span.end, mention.span.start)
            or COORDINATED_VERB.search(text, trigger.cue.span.end, mention.span.start))
    index = parse.token_of(mention.span.start, mention.span.end)
    cue = parse.token_of(trigger.cue.span.start, trigger.cue.span.end)
    if index is None or cue is None:
        return False
    cue_line = {cue, *parse.ancestors(cue)}
    for i in [index, *parse.ancestors(index)]:
        if i in cue_line:
            return False
        if parse.tokens[i].dep == "conj" and parse.tokens[i].pos == "VERB":
            return True  # "were shooting down Iranian drones and accused Tehran of lying": Tehran shot nothing
        if parse.tokens[i].dep in RELATIVE_CLAUSES:
            described = parse.tokens[parse.tokens[i].head].start
            return not any(start <= described <= end + SYSTEM_NOUN_REACH for start, end in system_spans)
    return False
