"""Place roles: which place of a sentence is the claim's place, origin, destination or transit.

Split from `attach` (rules 3 and 4 of its list): a place's role comes from the dependency tree
when the sentence was parsed, else from the words around it; then the most specific remaining
place wins, a destination first for transfers.
"""

from __future__ import annotations

import re

from orbat.model import Cue, Entity, Mention
from orbat.relate import syntax
from orbat.relate.views import PLACE_RANK, Parts
from orbat.relate.vocabulary import (
    ABBREVIATED_COUNTRY,
    ATTRIBUTIVE_NEXT,
    BORDER_BEFORE,
    CODE_AS_MODIFIER_NEXT,
    COUNTERPART_BEFORE,
    DEPARTURE_BASE_BEFORE,
    DEPARTURE_VERB,
    DESTINATION_BEFORE,
    EVIDENCE_FROM,
    FORCES_BEFORE,
    FROM_BEFORE,
    GRATITUDE_BEFORE,
    GRATITUDE_FOR_AFTER,
    HOMETOWN_BEFORE,
    LEFT_BEFORE,
    NEAR_BEFORE,
    ONWARD_AFTER,
    OPERATING_FROM,
    ORIGIN_PHRASE_BEFORE,
    PEOPLE_FROM_BEFORE,
    RELATIVE_SUBJECT_AFTER,
    RELATIVE_SUBJECT_BEFORE,
    TARGET_BEFORE,
    TRANSIT_BEFORE,
    words,
)

HANDOVER_EVENTS = {"delivery", "order", "transfer", "transport"}
# "had been re-exported by the United Arab Emirates": the agent of a passive handover is where it came from
AGENT_AFTER = re.compile(r"(?<!\s)\s+(?:by|par)\s+(?:the\s+|la\s+|le\s+|l['’]\s*)?", re.I)


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


