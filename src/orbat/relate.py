"""Relate: turn each sentence's mentions and cues into claims, one per asserted fact.

Rules, in the order they apply to a sentence:
1. every event cue is a candidate fact; cues of the same event type in a sentence are one fact;
2. each system goes to the nearest event cue before it (else after it); a relative clause
   (", which were presented") also takes the system right before it; "these vehicles" takes
   the systems of the previous claims;
3. the place is the most specific place in the sentence that is not an origin ("from Syria")
   or a transit ("through Russia"); without one, the last place named before, else the
   country the document is about;
4. certainty comes from the nearest hedge before the cue (forward scope: "may have been
   transported") or a hedge anywhere in the sentence (sentence scope: "reportedly");
   a negation right before the cue makes it denied;
5. a fact with no system, no class and no place of its own is not a claim (generic prose).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from orbat.model import (
    Claim,
    ClaimActor,
    ClaimEquipment,
    Cue,
    DateMention,
    Entity,
    Extraction,
    Mention,
    Resolution,
    Sentence,
    Span,
)

ANAPHORA = re.compile(r"\b(?:these|this|the|those|such|some of the|ces|cet|cette|les)\s+(?:[\w-]+\s+){0,3}?"
                      r"(?:systems|vehicles|equipment|assets|tanks|weapons|hardware|platforms|armou?r|"
                      r"matériels|véhicules|équipements|blindés|jets?|aircraft|fighters|helicopters|drones|"
                      r"ships?|vessels?|frigates?|launchers?|howitzers?|guns|batteries|missiles|trucks|tanks?|"
                      r"system|vehicle|drone|helicopter|fighter|bomber|plane|planes)\b", re.I)
ATTRIBUTIVE_GAP = re.compile(r"^(?:\s+[\w-]+){0,2}\s+$")
DEFINITE_BEFORE = re.compile(r"\b(?:the|these|those|this|that|its|their|such)\s+$", re.I)
RELATIVE = re.compile(r"^\s*+(?:armou?red vehicles|vehicles|tanks|systems)?,?\s*+(?:which|that|qui)\b", re.I)
FROM_BEFORE = re.compile(r"\b(?:from|out of|depuis|en provenance d[eu'])\s+(?:[\w'’-]+\s+){0,4}?(?:in\s+|en\s+)?$",
                         re.I)
EVIDENCE_FROM = re.compile(r"\b(?:footage|images?|video|videos|photos?|pictures?|imagery|reports?|reporting|"
                           r"correspondents?|sources?|vidéos?)\s+from\s+(?:the\s+)?$", re.I)
DESTINATION_BEFORE = re.compile(r"\b(?:to|into|for|à|au|aux|vers)\s+(?:the\s+)?$", re.I)
BORDER_BEFORE = re.compile(r"\bborders?\s+(?:with|of)\s+(?:the\s+)?$", re.I)
TRANSIT_BEFORE = re.compile(r"\b(?:through|via|transiting|across|par|en transitant par)\s+(?:the\s+)?$", re.I)
NEAR_BEFORE = re.compile(r"\b(?:near|borders? with|close to|bordering|neighbou?ring|près de)\s+(?:the\s+)?"
                         r"(?:[\w'’-]+\s+){0,2}$", re.I)
NEGATION_BEFORE = re.compile(r"\b(?:not|never|no|n't|neither|nor|pas|jamais|aucun)\s+(?:\w+\s+)?(?:been\s+)?$",
                             re.I)
ATTRIBUTION = re.compile(r"\b(?:according to|selon|analy[sz]ed by|cited by|quoted by|reported by|published by|"
                         r"broadcast by|as reported by|citing|d'après)\s+(?:the\s+)?$", re.I)
SAYS_AFTER = re.compile(r"^\s*(?:\([A-Za-z]+\)\s*)?(?:reported|said|says|claimed|stated|announced|wrote|"
                        r"reports|noted|estimated|assessed|told|a rapporté|a indiqué|a annoncé|affirme)\b", re.I)
FACILITY = re.compile(r"\b(?:base|bases|airfield|airbase|air base|runway|buildings|hangars?|barracks|facility|"
                      r"facilities|infrastructure|depot|port|camp|headquarters|site|shelters?|bâtiments|"
                      r"infrastructures?)\b", re.I)
# Events that only make sense about some system; without one the sentence is background.
NEEDS_SYSTEM = {"delivery", "order", "loss", "transport", "exercise", "production", "display", "combat"}
SPECIFIC_EVIDENCE = {"satellite", "photo", "video", "broadcast", "marking", "social_media"}
EQUIPMENT_KINDS = {"equipment", "unknown_equipment"}
PLACE_RANK = {"installation": 0, "locality": 1, "city": 1, "admin": 2, "region": 3, "country": 4}


@dataclass(slots=True)
class Trigger:
    event: str
    cue: Cue
    equipment: list[tuple[Mention, str]] = field(default_factory=list)
    classes: list[tuple[Mention, str]] = field(default_factory=list)
    date: DateMention | None = None
    inherited: Claim | None = None  # the fact an elaborating sentence adds detail to


@dataclass(slots=True)
class State:
    """What earlier sentences leave for later ones: the last systems and the last place."""

    last_equipment: list[ClaimEquipment] = field(default_factory=list)
    last_place: str | None = None


@dataclass(slots=True)
class SentenceView:
    """One sentence and what lies inside it, gathered once so relating stays linear."""

    sentence: Sentence
    mentions: list[tuple[int, Mention]] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    markings: list[Span] = field(default_factory=list)


def _views(extraction: Extraction) -> list[SentenceView]:
    views = [SentenceView(s) for s in extraction.sentences]
    starts = [s.start for s in extraction.sentences]

    def owner(span: Span) -> SentenceView | None:
        i = bisect.bisect_right(starts, span.start) - 1
        if i >= 0 and span.end <= views[i].sentence.end:
            return views[i]
        return None

    for index, mention in enumerate(extraction.mentions):
        if view := owner(mention.span):
            view.mentions.append((index, mention))
    for cue in extraction.cues:
        if view := owner(cue.span):
            view.cues.append(cue)
    for found in extraction.dates:
        if view := owner(found.span):
            view.dates.append(found)
    for marking in extraction.markings:
        if view := owner(marking):
            view.markings.append(marking)
    return views


def _triggers(cues: list[Cue], parts, text: str) -> list[Trigger]:
    """Event cues of a sentence, one per event type.

    A sentence that names systems in a place or counts them, with no event
    word ("Footage from Gao showed seven T-72B3 tanks") still states their presence: a deployment
    anchored on the first system.
    """
    seen: dict[str, Trigger] = {}
    for cue in cues:
        if cue.kind == "event" and cue.value not in seen:
            seen[cue.value] = Trigger(cue.value, cue)
    systems, _, _, (_, _, located) = parts
    counted = any(m.quantity is not None for _, m, _ in systems if m.kind in EQUIPMENT_KINDS)
    if not seen and (located or counted) and any(m.kind in EQUIPMENT_KINDS for _, m, _ in systems):
        first = next(m for _, m, _ in systems if m.kind in EQUIPMENT_KINDS)
        seen["deployment"] = Trigger("deployment", Cue("event", "deployment", first.span))
    return sorted(seen.values(), key=lambda t: t.cue.span.start)


def _nearest_trigger(triggers: list[Trigger], position: int) -> Trigger:
    before = [t for t in triggers if t.cue.span.start <= position]
    return before[-1] if before else min(triggers, key=lambda t: t.cue.span.start - position)


def _following_trigger(triggers: list[Trigger], mention: Mention, text: str) -> Trigger | None:
    """"recently delivered F-16 fighters crashed": the participle describes the system, which
    is also the subject of the next event in its clause."""
    before = [t for t in triggers if t.cue.span.end <= mention.span.start]
    if not before or not ATTRIBUTIVE_GAP.match(text[before[-1].cue.span.end:mention.span.start]):
        return None
    end = mention.head_end or mention.span.end
    after = [t for t in triggers if t.cue.span.start >= end and not re.search(r"[,;]", text[end:t.cue.span.start])]
    return after[0] if after else None


def _assign_systems(triggers: list[Trigger], items: list[tuple[int, Mention, str]], text: str) -> None:
    head_ends = {m.head_end for _, m, _ in items if m.head_end}
    for _, mention, entity_id in items:
        if mention.kind == "equipment_class" and mention.span.end in head_ends:
            continue  # "tanks" in "T-72B3 tanks" is the system's head noun, not another class
        chosen = [_nearest_trigger(triggers, mention.span.start)]
        if (following := _following_trigger(triggers, mention, text)) is not None:
            chosen.append(following)
        for trigger in chosen:
            target = trigger.equipment if mention.kind in EQUIPMENT_KINDS else trigger.classes
            target.append((mention, entity_id))
    for trigger in triggers:  # ", which were presented": the item just before the relative clause
        if trigger.equipment or trigger.classes:
            continue
        previous = [(m, e) for _, m, e in items if m.kind in EQUIPMENT_KINDS and m.span.end <= trigger.cue.span.start]
        if previous:
            mention, entity_id = previous[-1]
            tail = text[(mention.head_end or mention.span.end):trigger.cue.span.start]
            if RELATIVE.match(tail):
                trigger.equipment.append((mention, entity_id))


def _assign_dates(triggers: list[Trigger], dates: list[DateMention]) -> None:
    """Each date dates the event cue nearest to it, so "the Army 2023 forum" dates only the display."""
    for d in dates:
        trigger = min(triggers, key=lambda t: abs(t.cue.span.start - d.span.start))
        if trigger.date is None or d.precision == "day" and trigger.date.precision != "day":
            trigger.date = d


def _certainty(text: str, sentence: Sentence, cues: list[Cue], trigger: Trigger) -> tuple[str, str | None]:
    position = trigger.cue.span.start
    before = text[max(sentence.start, position - 30):position]
    if NEGATION_BEFORE.search(before):
        return "denied", before.strip().split()[-1] if before.strip() else None
    forward = [c for c in cues if c.kind == "certainty:forward" and c.span.end <= position
               and position - c.span.end <= 140 and ";" not in text[c.span.end:position]]
    if forward:
        cue = forward[-1]
        return cue.value, cue.span.text
    sentence_wide = [c for c in cues if c.kind == "certainty:sentence"]
    if sentence_wide:
        return sentence_wide[0].value, sentence_wide[0].span.text
    after = [c for c in cues if c.kind == "certainty:forward" and c.value == "denied"]
    if after:
        return "denied", after[0].span.text
    return "reported", None


def _place_roles(text: str, places: list[tuple[Mention, Entity]]) -> tuple[list, list, list]:
    """Split a sentence's places into origins ("from Syria"), transits ("through Russia") and the rest."""
    origins, transits, located = [], [], []
    for mention, entity in places:
        before = text[max(0, mention.span.start - 45):mention.span.start]
        if FROM_BEFORE.search(before) and not EVIDENCE_FROM.search(before):
            origins.append((mention, entity))
        elif TRANSIT_BEFORE.search(before):
            transits.append((mention, entity))
        elif BORDER_BEFORE.search(before) or (NEAR_BEFORE.search(before)
                                               and any(e.feature == "installation" for _, e in places)):
            continue  # "near the borders with Chad", "the border with Belarus": a bearing, not the place
        else:
            located.append((mention, entity))
    return origins, transits, located


def _best_place(located: list[tuple[Mention, Entity]], position: int) -> Entity | None:
    usable = [(m, e) for m, e in located if e.feature != "region" or e.country]
    if not usable:
        return None
    return min(usable, key=lambda me: (PLACE_RANK.get(me[1].feature or "", 5) if me[1].lat is not None or
                                       me[1].feature in {"country", "region"} else 6,
                                       abs(me[0].span.start - position)))[1]


def _attribution(text: str, actors: list[tuple[Mention, Entity]]) -> Entity | None:
    for mention, entity in actors:
        before = text[max(0, mention.span.start - 30):mention.span.start]
        after = text[mention.span.end:mention.span.end + 30]
        if ATTRIBUTION.search(before) or SAYS_AFTER.match(after):
            return entity
    return None


SPEAKER_AFTER = re.compile(r"(?<![\w-])(?:[\w-]++\s+){0,2}(?:ministry|government|minister|president|spokes\w+|"
                           r"officials?|foreign|defen[cs]e ministry|leader|embassy|military said)\b", re.I)
RECEIVING = re.compile(r"^(?:receiv|took delivery|take delivery|takes delivery|acquir|bought|buy|purchas|order|"
                       r"import|request|reçu|réceptionn|achet|command|customer|buyer)", re.I)


def _role(text: str, mention: Mention, entity: Entity, trigger: Trigger) -> str | None:
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
        return "owner" if trigger.event in {"loss", "order"} else "operator"
    if transfer_like and re.search(r"\b(?:for(?: use by)?|to|à|pour|intended for|destined for)\s+(?:the\s+)?$",
                                   before):
        return "recipient"
    if re.search(r"\b(?:from|by|par|de la part de)\s+(?:the\s+)?$", before) and transfer_like:
        return "supplier"
    if transfer_like and mention.span.end <= trigger.cue.span.start \
            and entity.actor_type in {"state", "company", "government", "armed_force"}:
        verb = text[trigger.cue.span.start:trigger.cue.span.end + 6]
        return "recipient" if RECEIVING.match(verb) or verb.lower().startswith("signed for") else "supplier"
    if trigger.event == "construction" and mention.span.end <= trigger.cue.span.start:
        return "builder"
    if entity.actor_type == "company":
        return "supplier"  # makers and sellers ("Baykar", "Rosoboronexport")
    if entity.actor_type in {"person", "organisation"}:
        return None  # named in the sentence, but not operating the system
    return "operator"


def _sentence_parts(view: SentenceView, resolution: Resolution, ents: dict[str, Entity], text: str):
    """Systems, places and actors of a sentence; a country that acts is an actor, not a place."""
    systems, places, actors = [], [], []
    for index, mention in view.mentions:
        entity_id = resolution.mention_entity.get(index)
        actor_id = resolution.mention_actor.get(index)
        if actor_id:
            actors.append((mention, ents[actor_id]))
        if entity_id is None:
            continue
        entity = ents[entity_id]
        if entity.kind in {"equipment", "equipment_class"}:
            systems.append((index, mention, entity_id))
        elif entity.kind == "place" and not actor_id:
            places.append((mention, entity))
        elif entity.kind == "actor":
            actors.append((mention, entity))
    return systems, places, actors, _place_roles(text, places)


def _claim_systems(text: str, trigger: Trigger, view: SentenceView, state: State) -> list[ClaimEquipment]:
    """The trigger's systems; "these vehicles" and the like take the previous claims' systems."""
    equipment = [ClaimEquipment(e, m.quantity) for m, e in trigger.equipment]
    sentence = view.sentence
    anaphora = ANAPHORA.search(text, sentence.start, sentence.end)
    classes = [(m, e) for m, e in trigger.classes
               if not DEFINITE_BEFORE.search(text[max(0, m.span.start - 12):m.span.start])]
    if not equipment and anaphora and state.last_equipment and not classes and trigger.event != "construction":
        equipment = [ClaimEquipment(e.entity, None) for e in state.last_equipment]
        trigger.classes = classes
    return equipment


def _is_background(trigger: Trigger, view: SentenceView, places, has_systems: bool, explicit_place: bool) -> bool:
    """Generic prose ("the construction of infrastructure signals a shift") is not a claim."""
    if trigger.event == "construction" and not (FACILITY.search(view.sentence.text) or
                                                any(e.feature == "installation" for _, e in places)):
        return True
    specific = trigger.date is not None or any(c.kind == "evidence" and c.value in SPECIFIC_EVIDENCE
                                               for c in view.cues)
    if not (has_systems or explicit_place or specific):
        return True
    return not has_systems and trigger.event in NEEDS_SYSTEM  # "Washington approved the sale"


def _names_facility(view: SentenceView, places) -> bool:
    return bool(FACILITY.search(view.sentence.text)) or any(e.feature == "installation" for _, e in places)


def _event_for(trigger: Trigger, has_equipment: bool, origin: Entity | None, actors: list[ClaimActor],
               has_facility: bool = False) -> str:
    if trigger.event == "construction" and has_equipment and not has_facility:
        return "production"  # "tanks built in South Korea": systems are produced, bases are built
    if trigger.event == "deployment" and trigger.cue.span.text.lower().startswith("arriv") and (
            origin is not None or any(a.role == "supplier" for a in actors)):
        return "delivery"  # "tanks ordered from the United States arrived": handed over, not just present
    return trigger.event


def _claim_for(text: str, resolution: Resolution, view: SentenceView, trigger: Trigger,
               parts, state: State) -> Claim | None:
    sentence = view.sentence
    _, places, actors, (origins, transits, located) = parts
    equipment = _claim_systems(text, trigger, view, state)
    destinations = [(m, e) for m, e in located
                    if DESTINATION_BEFORE.search(text[max(0, m.span.start - 20):m.span.start])]
    if trigger.event in {"delivery", "order", "transfer", "transport"} and destinations:
        located = destinations  # "signed in Paris to supply CAESAR to Armenia": the goods go to Armenia
    place = _best_place(located, trigger.cue.span.start)
    if _is_background(trigger, view, places, bool(equipment or trigger.classes), place is not None or bool(origins)):
        return None
    certainty, cue_text = _certainty(text, sentence, view.cues, trigger)
    attributed = _attribution(text, actors)
    claim_actors = _actors(text, actors, trigger, attributed)
    if place is None and trigger.inherited is not None and trigger.inherited.place:
        place = next((e for e in resolution.entities if e.id == trigger.inherited.place), None)
    place = place or _state_place(claim_actors, resolution, {"operator", "recipient", "owner"})
    origin = origins[0][1] if origins else None
    if origin is None and trigger.event in {"delivery", "transfer", "order", "transport"}:
        origin = _state_place(claim_actors, resolution, {"supplier"})
        if origin is not None and place is not None and origin.country == place.country:
            origin = None
    date = trigger.date
    event = _event_for(trigger, bool(equipment), origin, claim_actors, _names_facility(view, places))
    if event == "construction":
        equipment = []  # "the base was built and used for MQ-9 flights": the base is what was built
    return Claim(
        event=event, sentence=Span(sentence.start, sentence.end, sentence.text), equipment=equipment,
        classes=[ClaimEquipment(e, m.quantity) for m, e in trigger.classes],
        actors=claim_actors, place=place.id if place else state.last_place or resolution.focus_place,
        origin=origin.id if origin else None, transit=[e.id for _, e in transits],
        date=date.value if date else None, date_precision=date.precision if date else None,
        evidence=sorted({c.value for c in view.cues if c.kind == "evidence"}), certainty=certainty,
        certainty_cue=cue_text, attributed_to=attributed.id if attributed else None,
        markings=[m.text for m in view.markings])


def _actors(text: str, actors: list[tuple[Mention, Entity]], trigger: Trigger,
            attributed: Entity | None) -> list[ClaimActor]:
    out: list[ClaimActor] = []
    for mention, entity in actors:
        role = "source" if attributed is not None and entity.id == attributed.id else _role(
            text, mention, entity, trigger)
        if role is not None and not any(a.entity == entity.id and a.role == role for a in out):
            out.append(ClaimActor(entity.id, role))
    return out


def _state_place(actors: list[ClaimActor], resolution: Resolution, roles: set[str]) -> Entity | None:
    """The territory of a state acting in one of `roles`.

    "Algeria already flies Su-30MKA": with no place named, the operating state locates the claim;
    "Tehran promised Moscow missiles": the supplying state is where they come from. The country
    is added as a place when the text named only its government or capital.
    """
    by_id = {e.id: e for e in resolution.entities}
    for actor in actors:
        entity = by_id.get(actor.entity)
        if entity and entity.actor_type == "state" and entity.country and actor.role in roles:
            return _country_place(resolution, entity)
    return None


def _country_place(resolution: Resolution, state: Entity) -> Entity:
    found = next((e for e in resolution.entities if e.catalog_id == f"country:{state.country}"), None)
    if found is None:
        found = Entity(f"e{len(resolution.entities) + 1}", "place", state.name, catalog_id=f"country:{state.country}",
                       country=state.country, feature="country")
        resolution.entities.append(found)
    return found


ELABORATION = re.compile(r"^\W*(?:[\w ,]{0,40}\b(?:says?|said|reports?|reported|notes?|noted) (?:that )?)?"
                         r"(?:(?:many|some|most|several|two|three|all|both|one) of (?:the|them|these)\b|"
                         r"(?:the|these|those) (?:[\w-]+ ){0,2}(?:aircraft|vehicles|drones|tanks|systems|jets|"
                         r"helicopters|ships|weapons|machines|equipment)\b|among them\b|they (?:are|were|included)\b)",
                         re.I)


def _elaboration(view: SentenceView, parts, triggers: list[Trigger], claims: list[Claim], text: str) -> list[Trigger]:
    """"The aircraft are mainly Bayraktar TB2 and Akıncı models": a sentence that only names
    what the previous fact was about takes that fact's event for its systems."""
    systems = [m for _, m, _ in parts[0] if m.kind in EQUIPMENT_KINDS]
    previous = [c for c in claims if c.sentence.end <= view.sentence.start]
    if not systems or not previous or not ELABORATION.match(view.sentence.text):
        return []
    last = previous[-1]
    if last.sentence.end < view.sentence.start - 400 or any(t.event == last.event for t in triggers):
        return []
    return [Trigger(last.event, Cue("event", last.event, systems[0].span), inherited=last)]


BACK_REFERENCE = re.compile(
    r"\b(?P<denied>(?:denied|denies|deny|rejected|rejects|dismissed|dismisses|disputed|refuted)\s+(?:the|this|that|"
    r"these|those|such|any)?\s*(?:report|reports|claim|claims|allegation|allegations|account|accounts|it|this|"
    r"them)\b|no evidence that (?:any of )?(?:them|it|these|those|the \w+)\b|démenti)"
    r"|(?P<unverified>could not (?:be )?(?:independently )?(?:verified|confirmed)|(?:has|have) not been "
    r"(?:independently )?(?:verified|confirmed)|not independently verified)", re.I)


def _back_references(view: SentenceView, made: list[Claim], claims: list[Claim]) -> list[Claim]:
    """"Iranian officials have denied the report": a sentence that denies (or cannot verify) what
    the previous one stated adds that fact again at its own certainty, so both voices stay."""
    m = BACK_REFERENCE.search(view.sentence.text)
    if not m or not claims:
        return []
    certainty = "denied" if m.group("denied") else "speculative"
    previous_end = claims[-1].sentence.end
    earlier = [c for c in claims if c.sentence.end == previous_end]
    own = {(c.event, tuple(e.entity for e in c.equipment)) for c in made}
    sentence = Span(view.sentence.start, view.sentence.end, view.sentence.text)
    return [replace(c, sentence=sentence, certainty=certainty, certainty_cue=m.group(0), evidence=[],
                    attributed_to=None) for c in earlier if (c.event, tuple(e.entity for e in c.equipment)) not in own]


def relate(extraction: Extraction, resolution: Resolution) -> list[Claim]:
    claims: list[Claim] = []
    state = State()
    text = extraction.document.text
    ents = {e.id: e for e in resolution.entities}
    for view in _views(extraction):
        parts = _sentence_parts(view, resolution, ents, text)
        triggers = _triggers(view.cues, parts, text)
        triggers = _elaboration(view, parts, triggers, claims, text) or triggers
        if triggers:
            _assign_systems(triggers, parts[0], text)
            _assign_dates(triggers, view.dates)
        made = [c for t in triggers if (c := _claim_for(text, resolution, view, t, parts, state))]
        made += _back_references(view, made, claims)
        claims.extend(made)
        with_systems = {e.entity: e for c in made for e in c.equipment}
        if with_systems:
            state.last_equipment = list(with_systems.values())
        located = [e for m, e in parts[3][2] if e.feature != "region" and (e.lat is not None or e.feature == "country")]
        if made and made[-1].place and ents.get(made[-1].place):
            state.last_place = made[-1].place
        elif located:  # the most specific place, the last one named when several are as specific
            best = min(PLACE_RANK.get(e.feature or "", 5) for e in located)
            state.last_place = [e for e in located if PLACE_RANK.get(e.feature or "", 5) == best][-1].id
    return claims
