"""The story frame: what the title and lead establish, and how later sentences lean on it.

Rules:
1. the first claims of the lead (the first sentences) that name systems and a place fix the
   story's main event: what happened, where, when and who;
2. a later sentence that refers back ("the convoy", "these vehicles", "ces blindés", "ils")
   and names no place or date of its own takes the frame's place and date;
3. a sentence that only names what the previous fact was about ("The aircraft are mainly
   Bayraktar TB2 and Akıncı models") takes that fact's event for its systems;
4. with no place at all, a state acting as operator, recipient or owner locates the claim;
   the supplier's territory is the origin of a transfer;
5. a country written just before the transfer word supplies it: "U.S. security assistance",
   "US Delivers", "French aid";
6. a story with one supplier ("U.S. security assistance for Ukraine", then a list of items) gives
   it as the origin of its other deliveries and orders that name none;
7. a title that names an exercise or a parade ("Exercice de franchissement pour les blindés")
   makes it the story's event: later sentences that name systems with no event word of their own
   ("un char Leclerc … et un VAB ont effectué le parcours") take part in it;
8. a demonym right before a system ("French-built AMX-30", "German Leopard 2") is where the system
   comes from: the claim's origin (when the text names that country), and never its place, so an
   earlier sentence's place in that country is not inherited either;
9. a fact told once with its systems and once without ("Chad's air force receives Turkish
   aircraft" over "Two Hürkuş-C trainers were handed over in N'Djamena") is one fact: the
   restatement that names no system, in the same country, from the same origin, as sure and not
   dated otherwise, adds nothing and is left out; its date, if any, dates the full telling;
10. "this package includes …" lists what the lead's event moved, but a force's holdings ("the
   navy's fleet consists of …", "other armoured vehicles include …") are not the lead's event;
11. a headline that names no place and no actor is placed where the lead places the story, when it tells the
    lead's event or names its systems.
"""

from __future__ import annotations

import re
from functools import cache

from orbat.catalog import load_catalogs
from orbat.model import Claim, ClaimActor, Cue, Entity, Mention, Resolution
from orbat.relate.views import EQUIPMENT_KINDS, Frame, Parts, SentenceView, State, Trigger
from orbat.relate.vocabulary import ANAPHORA, MAKER_BEFORE, PRONOUN_START, RECEIVING, _c, alt
from orbat.resolve import country_place_entity

LEAD_SENTENCES = 6  # sentences after the frame's own that may still complete it
# Without a system named, only these events can frame a story ("the United States will be sending
# Ukraine …"); a passing "invasion" or "exercise" cannot.
FRAMING_EVENTS = {"delivery", "order", "transfer", "transport", "construction", "withdrawal"}
ACTING_BODIES = {"state", "government", "armed_force"}  # bodies whose country is where they act
INCLUDES = _c(rf"\b{alt('inclusion_words')}\b")
HOLDING_SUBJECT = _c(rf"(?:^\W*{alt('holding_others')}\b|\b{alt('holding_heads')}\b)")
PACKAGE_SUBJECT = _c(rf"\b{alt('package_nouns')}\b")
LIST_ITEM = re.compile(r"^\s*(?:[•\-*–·▪●◦]|\d{1,2}[.)]\s|\(?[a-z]\)\s)")
ELABORATION = _c(rf"^\W*(?:[\w ,]{{0,40}}\b(?:says?|said|reports?|reported|notes?|noted) (?:that )?)?"
                 rf"(?:(?:many|some|most|several|two|three|all|both|one) of (?:the|them|these)\b|"
                 rf"(?:the|these|those|ces|les) (?:[\w-]+ ){{0,2}}{alt('elaboration_nouns')}\b|among them\b|"
                 rf"they (?:are|were|included)\b|parmi eux\b)")


def refers_back(view: SentenceView, text: str, named: list[tuple[int, int]]) -> bool:
    """"the convoy", "these vehicles", "ils": but not "the CAESAR howitzers", which names its own."""
    sentence = view.sentence
    if PRONOUN_START.match(sentence.text):
        return True
    for m in ANAPHORA.finditer(text, sentence.start, sentence.end):
        if not any(start < m.end() and end > m.start() for start, end in named):
            return True
    return False


def inherited_triggers(view: SentenceView, parts: Parts, found: list[Trigger], state: State,
                       text: str) -> list[Trigger]:
    """Systems that take the event of the sentence that introduced them.

    "the United States has provided the following defense articles to the Lebanese Army:" then
    "• 40 M198 howitzers": each item is delivered, to the same army, from the same supplier.
    "This round of assistance includes Bradley and Stryker vehicles": the lead's delivery.
    """
    if not parts.systems or any(not t.implicit for t in found):
        return []
    cue = Cue("event", "", parts.systems[0][1].span)
    named = [(m.span.start, m.span.end) for _, m, _ in parts.systems if m.kind != "equipment_class"]
    back = refers_back(view, text, named)
    text = view.sentence.text
    if state.list_intro is not None and _list_item(text):
        intro = state.list_intro
        return [Trigger(intro.event, Cue("event", intro.event, cue.span), inherited=intro)]
    lead = state.frame.claim if state.frame is not None else None
    inclusion = _inclusion(text)
    if lead is not None and lead.sentence.end <= view.sentence.start and (inclusion == "story" or found and back):
        return [Trigger(lead.event, Cue("event", lead.event, cue.span), inherited=lead)]
    if not found and inclusion == "holding":  # "Other armoured vehicles include French VABs": held
        return [Trigger("deployment", Cue("event", "deployment", cue.span), implicit=True)]
    return []


def _inclusion(text: str) -> str | None:
    """"This package includes …", "the column included …" list what the story's event moved
    ("story"); but "Azerbaijan's helicopter force consists of …" and "Other armoured vehicles
    include …" say what a force holds, whatever the lead was about ("holding"). None: no list."""
    inclusion = INCLUDES.search(text)
    if inclusion is None:
        return None
    subject = text[:inclusion.start()]
    return "holding" if not PACKAGE_SUBJECT.search(subject) and HOLDING_SUBJECT.search(subject) else "story"


def update_list(state: State, view: SentenceView, built: list[Claim]) -> None:
    """A sentence ending in a colon opens a list; list items keep it open; anything else closes it."""
    text = view.sentence.text.rstrip()
    if text.endswith(":") and built:
        state.list_intro = built[-1]
    elif state.list_intro is not None and not _list_item(view.sentence.text):
        state.list_intro = None


def _list_item(text: str) -> bool:
    """A bullet, a short line, or a line ending in a semicolon: "Nearly 40 million rounds of small
    arms ammunition and over 1 million grenade, mortar, and artillery rounds;" is still an item."""
    return bool(LIST_ITEM.match(text)) or len(text.rstrip()) < 90 or text.rstrip().endswith(";")


def update_frame(state: State, view: SentenceView, built: list[tuple[Trigger, Claim]], dated: dict,
                 entities: dict) -> None:
    """Fix the frame from the first located claim (the lead's, in a news report; the first real
    statement after the greetings, in a speech). The next few sentences only fill in what it
    lacks (the date, the evidence) when they speak of the same country; a dated claim there
    replaces an undated frame."""
    start = state.frame.index if state.frame is not None else view.index
    if view.index >= start + LEAD_SENTENCES:
        return
    for trigger, claim in built:
        date = dated.get(id(claim))
        if trigger.own_place and (claim.equipment or claim.classes or claim.event in FRAMING_EVENTS) \
                and (state.frame is None or state.frame.date is None and date is not None):
            state.frame = Frame(claim.event, claim.place, date, list(claim.equipment), list(claim.actors),
                                claim.evidence_source, claim, view.index if state.frame is None else start)
        elif state.frame is not None and _same_country(state.frame.place, claim.place, entities):
            state.frame.date = state.frame.date or dated.get(id(claim))
            state.frame.evidence_source = state.frame.evidence_source or claim.evidence_source


def _same_country(first: str | None, second: str | None, entities: dict) -> bool:
    a, b = entities.get(first or ""), entities.get(second or "")
    return a is not None and b is not None and a.country is not None and a.country == b.country


def elaboration(view: SentenceView, parts: Parts, found: list[Trigger], claims: list[Claim]) -> list[Trigger]:
    """A sentence that only names what the previous fact was about takes that fact's event."""
    systems = [m for _, m, _ in parts.systems if m.kind in {"equipment", "unknown_equipment"}]
    if not systems or not ELABORATION.match(view.sentence.text):
        return []
    # the last earlier claim, found from the end: a scan of every claim per sentence was quadratic
    last = next((c for c in reversed(claims) if c.sentence.end <= view.sentence.start), None)
    if last is None:
        return []
    if last.sentence.end < view.sentence.start - 400 or any(t.event == last.event for t in found):
        return []
    return [Trigger(last.event, Cue("event", last.event, systems[0].span), inherited=last)]


def state_place(actors: list[ClaimActor], resolution: Resolution, roles: set[str]) -> Entity | None:
    """The territory of a state acting in one of `roles`.

    "Algeria already flies Su-30MKA": with no place named, the operating state locates the claim;
    "Tehran promised Moscow missiles": the supplying state is where they come from. The country
    is added as a place when the text named only its government or capital. Only a state
    locates a claim: an expeditionary force or a ministry acts far from home; but any of a
    country's bodies that supplies something sends it from there, and so does a maker
    ("a contract with the German firm KMW": from Germany), when the text names that country.
    """
    by_id = _entities_by_id(resolution)
    for actor in actors:
        entity = by_id.get(actor.entity)
        bodies = ACTING_BODIES if roles == {"supplier"} else {"state"}
        if entity and entity.actor_type in bodies and entity.country and actor.role in roles:
            return country_place(resolution, entity)
        maker = entity and entity.actor_type == "company" and roles == {"supplier"} and actor.role == "supplier"
        if maker and (named := named_country(resolution, entity.country)) is not None:
            return named
    return None


def named_country(resolution: Resolution, code: str | None) -> Entity | None:
    """The country's place entity when the text names the country itself; None otherwise, so a
    maker or a demonym adds no place the text never names."""
    return next((e for e in resolution.entities if code and e.catalog_id == f"country:{code}" and e.kind == "place"),
                None)


def body_place(actors: list[ClaimActor], resolution: Resolution) -> Entity | None:
    """The country of an armed force or government that receives or operates. Used only before
    anything in the document has placed the story: later, "destined for the Africa Corps" (a
    Russian force in Mali) must not move the claim to Russia."""
    by_id = _entities_by_id(resolution)
    for actor in actors:
        entity = by_id.get(actor.entity)
        if entity and entity.actor_type in ACTING_BODIES and entity.country and actor.role in {"recipient", "operator"}:
            return country_place(resolution, entity)
    return None


@cache
def demonyms() -> frozenset[str]:
    """"Iranian", "Malian", "French": the words that name a country as an attribute."""
    return frozenset(d for c in load_catalogs().countries.values() for d in c.demonyms)


@cache
def demonym_countries() -> dict[str, str]:
    """"french" -> "FR": demonyms of four letters or more (not "US", "UK", which name states too)."""
    return {d.lower(): c.code for c in load_catalogs().countries.values() for d in c.demonyms if len(d) >= 4}


def maker_country(text: str, mentions: list[Mention], resolution: Resolution) -> Entity | None:
    """Rule 8: "French-built AMX-30", "German Leopard 2 tanks": the demonym right before a system
    says where the system comes from. It is the origin of the claim, never its place; only a
    country the text also names, so a bare demonym adds no place of its own; a demonym with a
    maker's suffix ("Russian-manufactured") states the origin outright and adds its country."""
    for mention in mentions:
        found = MAKER_BEFORE.search(text, max(0, mention.span.start - 30), mention.span.start)
        code = demonym_countries().get(found.group("demonym").lower()) if found else None
        if code and (named := named_country(resolution, code)) is not None:
            return named
        if code and found.group(0).lstrip()[len(found.group("demonym")):][:1] == "-":
            # "Russian-manufactured Su-27": a maker's suffix states the origin outright
            return country_place(resolution, Entity("", "place", "", country=code))
    return None


def home_of(actors: list[ClaimActor], resolution: Resolution, place: Entity | None) -> Entity | None:
    """Where a force abroad comes from: "U.S. Air Force B-1B Lancers arrived in Norway" come from
    the United States. Only when the operator's country differs from the place's."""
    if place is None or not place.country:
        return None
    by_id = _entities_by_id(resolution)
    for actor in actors:
        entity = by_id.get(actor.entity)
        if entity is not None and actor.role in {"operator", "owner"} and entity.country \
                and entity.actor_type in ACTING_BODIES and entity.country != place.country:
            return country_place(resolution, entity)
    return None


_by_id_cache: tuple[list[Entity], int, dict[str, Entity]] | None = None  # list indexed, its length, index


def _entities_by_id(resolution: Resolution) -> dict[str, Entity]:
    """`resolution.entities` by id, built once per document rather than once per claim (quadratic
    in a long document); rebuilt when `country_place` has added an entity since. One tuple swapped
    whole, so threads extracting side by side never read each other's index."""
    global _by_id_cache
    entities, cached = resolution.entities, _by_id_cache
    if cached is None or cached[0] is not entities or cached[1] != len(entities):
        cached = _by_id_cache = (entities, len(entities), {e.id: e for e in entities})
    return cached[2]


def country_place(resolution: Resolution, state: Entity) -> Entity:
    found = next((e for e in resolution.entities if e.catalog_id == f"country:{state.country}"), None)
    if found is None:
        country = load_catalogs().countries.get(state.country or "")
        name = state.name if state.actor_type == "state" or country is None else country.name
        if country is None:
            found = Entity("", "place", name, catalog_id=f"country:{state.country}", country=state.country,
                           feature="country")
        else:
            found = country_place_entity(country, resolution.gazetteer, name)
        found.id = f"e{len(resolution.entities) + 1}"
        resolution.entities.append(found)
    return found


SUPPLIED_EVENTS = {"delivery", "order"}


def story_supplier(claims: list[Claim], entities: dict[str, Entity], told: list[Claim]) -> None:
    """Rule 6: when every delivery or order that names an origin names the same country, the
    ones that name none come from there too, unless they are placed in that very country.
    Transfers `told` without a system ("The United States has committed $6.8 billion in
    security assistance to Ukraine") count among those that name an origin."""
    origins = {c.origin for c in (*claims, *told) if c.event in SUPPLIED_EVENTS | {"transfer"} and c.origin}
    countries = {entities[o].country for o in origins if o in entities}
    if len(origins) != 1 or len(countries) != 1 or None in countries:
        return
    origin = next(iter(origins))
    for claim in claims:
        place = entities.get(claim.place or "")
        if claim.event in SUPPLIED_EVENTS and claim.origin is None and place is not None \
                and place.country and place.country not in countries:
            claim.origin = origin


def _country(ref: str | None, entities: dict[str, Entity]) -> str | None:
    entity = entities.get(ref or "")
    return entity.country if entity is not None else None


def _dates_agree(vague: str | None, full: str | None) -> bool:
    """No date, or the same one at either precision ("2024-03" and "2024-03-05")."""
    return vague is None or full is None or full.startswith(vague) or vague.startswith(full)


def without_restatements(claims: list[Claim], entities: dict[str, Entity]) -> list[Claim]:
    """Rule 9: drop a claim that names no system when another claim tells the same fact with them."""
    full = [c for c in claims if c.equipment]

    def told_fully(vague: Claim) -> bool:
        country, origin = _country(vague.place, entities), _country(vague.origin, entities)
        same = [c for c in full if c.event == vague.event and _country(c.place, entities) == country
                and (origin is None or _country(c.origin, entities) == origin)
                and c.certainty == vague.certainty and _dates_agree(vague.date, c.date)]
        for claim in same:  # the vague telling may be the one that dates the fact
            if claim.date is None and vague.date is not None:
                claim.date, claim.date_precision = vague.date, vague.date_precision
        return bool(same)

    return [c for c in claims if c.equipment or not told_fully(c)]


SUPPLIER_GAP = re.compile(r"^(?:['’]s)?\s+(?:[A-Za-z][\w-]*\s+)?$")


def supplier_before(text: str, cue_start: int, parts: Parts, resolution: Resolution) -> Entity | None:
    """Rule 5: the country named right before the transfer word ("U.S. security assistance"),
    at most one word between them; a country's government or a demonym counts as the country."""
    for mention, entity in (*parts.places, *parts.actors):
        gap = text[mention.span.end:cue_start]
        if not 0 < len(gap) <= 16 or not SUPPLIER_GAP.match(gap) or not entity.country:
            continue
        if entity.feature == "country" or entity.actor_type in ACTING_BODIES:
            state = entity if entity.kind == "actor" else None
            return country_place(resolution, state) if state else entity
    return None


SUBJECT_LEAD = re.compile(r"^\W*(?:the\s+)?$", re.I)


def subject_supplier(text: str, sentence_start: int, cue, parts: Parts, resolution: Resolution) -> Entity | None:
    """Rule 5b: the country that opens the sentence gives what the sentence's giving verb
    hands over: "The UK recently announced that it is donating Challenger 2 tanks to Ukraine"
    is from the United Kingdom, not from the story's first supplier. Not for receiving verbs
    ("Ukraine received …"), nor across a clause break."""
    if RECEIVING.match(cue.span.text):
        return None
    named = sorted((*parts.places, *parts.actors), key=lambda pair: pair[0].span.start)
    if not named:
        return None
    mention, entity = named[0]
    if not SUBJECT_LEAD.match(text[sentence_start:mention.span.start]) or mention.span.end > cue.span.start:
        return None
    if not entity.country or not (entity.feature == "country" or entity.actor_type in ACTING_BODIES):
        return None
    if any(m is mention for m, _ in (*parts.destinations, *parts.origins)) \
            or ";" in text[mention.span.end:cue.span.start]:
        return None
    return named_country(resolution, entity.country) if entity.kind == "actor" else entity


STORY_EVENTS = {"exercise", "display"}


def place_the_title(claims: list[Claim], state: State) -> None:
    """Rule 11: a headline that names no place or actor ("Séquence de tir pour le peloton de char Leclerc") is
    told where the lead then places the story, not in the country the document names most."""
    lead = state.frame
    if lead is None or lead.place is None or lead.index > LEAD_SENTENCES:
        return
    systems = {e.entity for e in lead.equipment}
    for claim in claims:
        if claim.event == lead.event or systems & {e.entity for e in claim.equipment}:
            claim.place = lead.place


def note_story_event(state: State, view: SentenceView, title: str | None) -> None:
    """Rule 7: the title's exercise or parade, when the title names exactly one of them."""
    is_title = view.index == 0 or (title is not None and view.sentence.text.strip() == title.strip())
    if state.story_event is not None or not is_title:
        return
    framing = {c.value for c in view.cues if c.kind == "event"} & STORY_EVENTS
    if len(framing) == 1:
        state.story_event = framing.pop()


def story_triggers(found: list[Trigger], parts: Parts, state: State) -> list[Trigger]:
    """Rule 7: systems named with no event word take part in the story's exercise or parade."""
    if state.story_event is None or any(not t.implicit for t in found):
        return found
    named = [m for _, m, _ in parts.systems if m.kind in EQUIPMENT_KINDS]
    if not named:
        return found
    found = found or [Trigger(state.story_event, Cue("event", state.story_event, named[0].span), implicit=True)]
    for trigger in found:
        trigger.event = state.story_event
        trigger.date = trigger.date or state.story_date
    return found


def note_story_date(state: State, built: list[tuple[Trigger, Claim]], dated: dict) -> None:
    """The first date the text gives the story's exercise or parade ("Mardi 9 juillet 2019, … un exercice")."""
    if state.story_event is None or state.story_date is not None:
        return
    for trigger, claim in built:
        if trigger.event == state.story_event and (date := dated.get(id(claim))) is not None:
            state.story_date = date
            return
