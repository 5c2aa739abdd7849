"""One claim from one event of a sentence: the rule families applied in their order."""

from __future__ import annotations

import re
from dataclasses import replace

from orbat.extract.quantities import whole_of
from orbat.model import Claim, ClaimActor, ClaimEquipment, DateMention, Span
from orbat.relate import actor_roles, certainty, dating, frame, nonevents, place_roles, syntax, systems
from orbat.relate.views import Context, Parts, SentenceView, State, Trigger
from orbat.relate.vocabulary import DESTINATION_BEFORE, NAMING_AFTER, NAMING_RELATIVE_BEFORE, OWN_FORCES_BEFORE

TRANSFER_EVENTS = {"delivery", "order", "transfer", "transport"}
SENDING = re.compile(r"(?:d[ée]ploi|d[ée]ploy|deploy|envo[iy]|sends?\b|sent\b|dispatch)", re.I)
WITHDRAWING = re.compile(r"(?:withdr|retrai|retir|pull|evacu|évacu|quit)", re.I)
ARRIVING = re.compile(r"(?:arriv)", re.I)
FORCE_EVENTS = {"deployment", "transfer", "transport", "exercise"}
#: "A, B", "A and B", "A, and the B": one way to read each gap, so a long run of spaces stays linear.
COORDINATION = re.compile(
    r"(?<!\s)\s*(?:,\s*(?:(?:and|et|as well as)\s*)?|(?:and|et|as well as)\s*)(?:(?:the|la|le|les)\s+|l['’])?",
    re.I)
MAKER_EVENTS = {"deployment", "delivery", "order", "transfer"}  # events whose origin a maker's demonym gives


def claim_for(ctx: Context, view: SentenceView, trigger: Trigger, parts: Parts, state: State,
              parse: syntax.Parse | None, dated: dict[int, object]) -> Claim | None:
    text, resolution, sentence = ctx.text, ctx.resolution, view.sentence
    nonevents.mark_background(text, trigger, view, parse)
    nonevents.movement_order(text, trigger, view)
    nonevents.shipped_from_port(text, trigger)
    nonevents.munition_hit(text, trigger)
    if trigger.background and trigger.date is None:
        return None  # "previous shipments came by air": undated history is no claim
    equipment = systems.claim_systems(text, trigger, view, state, _class_of(ctx))
    attacker = _attacker(text, trigger, parts)
    place = _own_place(trigger, parts, text, attacker)
    lead = state.frame.claim if state.frame is not None else None
    back = _refers_back(view, text, parts, trigger, lead)
    if nonevents.service_by_systems(trigger, view, bool(equipment)):
        trigger.event = "deployment"  # "tankers … providing aerial refueling support": they are there
    trigger.generic = nonevents.is_generic(trigger, view, parts.places, bool(equipment or trigger.classes),
                                           place is not None or bool(parts.origins), bool(parts.origins))
    level, cue_text = certainty.certainty(text, sentence, view.cues, trigger, parse)
    attributed = certainty.attribution(text, parts.actors)
    evidence_by = certainty.evidence_source(text, parts.actors)
    actors = actor_roles.claim_actors(text, parts.actors, trigger, attributed, parts.systems, parse)
    if dating.earlier_than_story(trigger.date, state.frame, ctx.published):
        trigger.background, back = True, False
    modifiers = _system_modifiers(text, parts)  # once per claim, not once per actor
    locating = [a for a in actors if a.entity not in modifiers]
    # "The vehicles are … destined for the Africa Corps": a sentence leaning on a placed story stays there
    placed = back and bool(state.last_place or (state.frame is not None and state.frame.place))
    own_place = place
    place, origin = _locate(ctx, trigger, parts, actors, locating, place, lead, placed, sentence.start)
    if own_place is None and trigger.inherited is None:
        place = _deployed_abroad(ctx, trigger, place, locating, state) or place
    if own_place is None:
        place = _speakers_forces(ctx, trigger, attributed, lead) or place
    date = dating.date_of(trigger, state.frame, back, place.id if place else None)
    event = nonevents.event_for(trigger, bool(equipment), origin, actors, nonevents.names_facility(view, parts.places))
    if event == "deployment" and ARRIVING.match(trigger.cue.span.text) and any(
            c.kind == "event" and c.value == "delivery" for c in view.cues):
        event = "delivery"  # "Mali received Su-25 jets, and in March two Mi-35 arrived": a delivery too
    place, origin = _for_event(ctx, trigger, event, parts, actors, place, origin)
    place, origin = _not_to_the_maker(ctx, event, equipment, place, origin)
    place = _not_the_attacker(ctx, attacker, parts, place)
    if origin is None and attacker is not None and (place is None or place.country != attacker[1].country):
        # the side that attacked, as a transfer's origin is the side that gave
        origin = attacker[1] if attacker[1].kind == "place" else frame.country_place(ctx.resolution, attacker[1])
    if event == "order":  # "the first 14 of 116 tanks Poland bought": the order is for all 116
        equipment = [ClaimEquipment(e.entity, whole_of(e.quantity) or e.quantity) if e.quantity else e
                     for e in equipment]
    if event == "construction":
        equipment = []  # "the base was built and used for MQ-9 flights": the base is what was built
    if evidence_by is None and back and state.frame is not None and state.frame.evidence_source:
        evidence_by = ctx.entities.get(state.frame.evidence_source)
    fallback = state.frame.place if back and state.frame is not None and state.frame.place else None
    if place is None and not (fallback or state.last_place):
        # nothing has placed the story yet: "provided … to the Lebanese Army" is about Lebanon
        place = frame.body_place(locating, resolution)
    trigger.own_place = place is not None
    inherited_place = _inherited_place(ctx, trigger.maker, fallback, state.last_place, resolution.focus_place)
    if origin is None and place is None and lead is not None and lead.origin and event == lead.event \
            and inherited_place == lead.place and {e.entity for e in equipment} & {e.entity for e in lead.equipment}:
        origin = _entity(ctx, lead.origin)  # the lead's aircraft, told again in its place: from the same base
    claim = Claim(
        event=event, sentence=Span(sentence.start, sentence.end, sentence.text), equipment=equipment,
        classes=[ClaimEquipment(e, m.quantity) for m, e in trigger.classes],
        actors=actors, place=place.id if place else inherited_place,
        origin=origin.id if origin else None, transit=[e.id for _, e in parts.transits],
        date=date.value if date else None, date_precision=date.precision if date else None,
        evidence=sorted({c.value for c in view.cues if c.kind == "evidence"}), certainty=level,
        certainty_cue=cue_text, attributed_to=attributed.id if attributed else None,
        markings=[m.text for m in view.markings], evidence_source=evidence_by.id if evidence_by else None)
    dated[id(claim)] = date
    return claim


def split_by_supplier(ctx: Context, made: list[Claim], dated: dict[int, object], parts: Parts) -> list[Claim]:
    """One claim per supplying country: "the Danish and Dutch governments are donating F-16s"
    states two transfers, one from Denmark and one from the Netherlands, that merging and the
    map keep apart. Only suppliers named together ("Danish and Dutch", "Belgium, Norway") are
    split: "Russia launches missiles supplied by North Korea" names one supplier and a user.
    Suppliers from one country stay one claim; a claim whose origin is not one of its
    suppliers' countries is left alone."""
    coordinated = _coordinated(ctx.text, parts.actors)
    out: list[Claim] = []
    for claim in made:
        if claim.event in TARGET_EVENTS:
            out += _split_by_target(ctx, claim, dated, parts)
            continue
        if claim.event not in TRANSFER_EVENTS:
            out.append(claim)
            continue
        by_country: dict[str, tuple[str, list[ClaimActor]]] = {}
        for actor in claim.actors:
            home = frame.state_place([actor], ctx.resolution, {"supplier"}) if actor.role == "supplier" else None
            if home is not None and home.country and actor.entity in coordinated:
                by_country.setdefault(home.country, (home.id, []))[1].append(actor)
        origin = _entity(ctx, claim.origin)
        listed = _listed_countries(ctx, [*parts.places, *parts.actors], origin)
        if len(listed) > 1 and claim.place not in {e.id for e in listed}:
            # "France, Canada, the UK and Norway have all donated …": one transfer from each
            others = [a for a in claim.actors if a.role != "supplier"]
            for home in listed:
                own = [a for a in claim.actors if a.role == "supplier"
                       and getattr(ctx.entities.get(a.entity), "country", None) == home.country]
                split = replace(claim, origin=home.id, actors=[*own, *others], equipment=list(claim.equipment),
                                classes=list(claim.classes), transit=list(claim.transit),
                                evidence=list(claim.evidence), markings=list(claim.markings))
                dated[id(split)] = dated.get(id(claim))
                out.append(split)
            continue
        if len(by_country) < 2 or origin is None or origin.country not in by_country:
            out.append(claim)
            continue
        others = [a for a in claim.actors if a.role != "supplier"]
        for home_id, suppliers in by_country.values():
            split = replace(claim, actors=[*suppliers, *others], origin=home_id, equipment=list(claim.equipment),
                            classes=list(claim.classes), transit=list(claim.transit), evidence=list(claim.evidence),
                            markings=list(claim.markings))
            dated[id(split)] = dated.get(id(claim))
            out.append(split)
    return out


TARGET_EVENTS = {"combat"}
ROUTED_EVENTS = {"deployment", "transfer", "transport", "delivery"}


def split_by_destination(ctx: Context, made: list[Claim], dated: dict[int, object], parts: Parts) -> list[Claim]:
    """"deployments such as a Patriot launcher to Tinian; two Avenger systems to Yap; and to Rota,
    where a battery deployed a THAAD kit": a list whose items are cut by semicolons, each with
    its own destination, sends each item's systems to that item's place, one claim per place.
    Systems in an item that names no destination keep the claim's place."""
    out: list[Claim] = []
    for claim in made:
        if claim.event not in ROUTED_EVENTS or len(claim.equipment) < 2 or ";" not in claim.sentence.text:
            out.append(claim)
            continue
        by_place: dict[str, list[ClaimEquipment]] = {}
        for item in claim.equipment:
            mention = next((m for _, m, e in parts.systems if e == item.entity), None)
            destination = _item_destination(ctx.text, claim.sentence, mention, parts) if mention else None
            by_place.setdefault(destination.id if destination else claim.place or "", []).append(item)
        if len(by_place) < 2:
            out.append(claim)
            continue
        for place_id, equipment in by_place.items():
            split = replace(claim, place=place_id or None, equipment=equipment, classes=list(claim.classes),
                            actors=list(claim.actors), transit=list(claim.transit), evidence=list(claim.evidence),
                            markings=list(claim.markings))
            dated[id(split)] = dated.get(id(claim))
            out.append(split)
    return out


def _item_destination(text: str, sentence: Span, mention, parts: Parts):
    """The first destination named in the semicolon-cut item that holds the system's mention."""
    start = text.rfind(";", sentence.start, mention.span.start) + 1 or sentence.start
    end = text.find(";", mention.span.end, sentence.end)
    end = sentence.end if end < 0 else end
    # "a launcher to Tinian": the parse may hang the place on the noun, but in a list item it is where it goes
    named = parts.destinations + [(m, e) for m, e in parts.places
                                  if DESTINATION_BEFORE.search(text, max(0, m.span.start - 20), m.span.start)]
    inside = [(m, e) for m, e in named if start <= m.span.start and m.span.end <= end]
    return min(inside, key=lambda pair: pair[0].span.start)[1] if inside else None


def _split_by_target(ctx: Context, claim: Claim, dated: dict[int, object], parts: Parts) -> list[Claim]:
    """"strikes on Iran, Lebanon and Yemen": one strike claim in each country of the list its
    place is in, so each country's map and brief get theirs; the attacker's country is never one."""
    origin, place = _entity(ctx, claim.origin), _entity(ctx, claim.place)
    if place is None or place.feature != "country":
        return [claim]  # "a strike on Kharkiv" stays in Kharkiv
    listed = [e for e in _listed_countries(ctx, [*parts.places, *parts.actors], place)
              if origin is None or e.country != origin.country]
    if len(listed) < 2:
        return [claim]
    out = []
    for home in listed:
        split = replace(claim, place=home.id, actors=list(claim.actors), equipment=list(claim.equipment),
                        classes=list(claim.classes), transit=list(claim.transit), evidence=list(claim.evidence),
                        markings=list(claim.markings))
        dated[id(split)] = dated.get(id(claim))
        out.append(split)
    return out


def _listed_countries(ctx: Context, named: list, origin) -> list:
    """The countries named in one list with the claim's origin ("France, Canada, the UK and
    Norway"), in text order, as place entities; empty when the origin is in no such list."""
    states = sorted(((m, e) for m, e in named if e.country and (e.feature == "country" or e.actor_type == "state")),
                    key=lambda pair: pair[0].span.start)
    at = next((i for i, (_, e) in enumerate(states) if origin is not None and e.country == origin.country), None)
    if at is None:
        return []
    low = high = at
    while low > 0 and COORDINATION.fullmatch(ctx.text, states[low - 1][0].span.end, states[low][0].span.start):
        low -= 1
    while high + 1 < len(states) and COORDINATION.fullmatch(ctx.text, states[high][0].span.end,
                                                            states[high + 1][0].span.start):
        high += 1
    # a state named only as an actor counts when the text also names its country as a place
    homes = [e if e.kind == "place" else frame.named_country(ctx.resolution, e.country)
             for _, e in states[low:high + 1]]
    return list({e.country: e for e in homes if e is not None}.values())


def _coordinated(text: str, actors: list) -> set[str]:
    """Entity ids of actors named side by side in one list: "Danish and Dutch", "Berlin, Paris and Rome"."""
    ordered = sorted(actors, key=lambda pair: pair[0].span.start)
    out: set[str] = set()
    for (first, one), (second, other) in zip(ordered, ordered[1:], strict=False):
        if one.id != other.id and COORDINATION.fullmatch(text, first.span.end, second.span.start):
            out |= {one.id, other.id}
    return out


def _inherited_place(ctx: Context, maker, *candidates: str | None) -> str | None:
    """The first place earlier sentences or the document offer, skipping any in the country the
    claim's systems are made in: "procurement shifted to France", then "French-built AMX-30
    tanks" are about the buyer's army, not about France. When every one is there, the first."""
    offered = [c for c in candidates if c]
    for candidate in offered:
        entity = _entity(ctx, candidate)
        if maker is None or entity is None or entity.country != maker.country:
            return candidate
    return offered[0] if offered else None


CLAUSE_JOIN = re.compile(r"(?:;|,\s+(?:and|but|while|whereas|et|mais|tandis)\b)", re.I)


def _same_clause(text: str, trigger: Trigger, mention) -> bool:
    """No "; " or ", and …" between the event word and the place: "showed two An-124 at Hmeimim,
    and Reuters reported that a plane left Hmeimim for Libya" does not send the An-124 to Libya."""
    low, high = sorted((trigger.cue.span.end, mention.span.start))
    return not CLAUSE_JOIN.search(text, low, high)


ATTACKER_GAP = re.compile(r"^['’]s\s+(?:[\w-]+\s+)?$")  # "Iran's attack", "Iran's targeted attacks"


def _attacker(text: str, trigger: Trigger, parts: Parts):
    """"Iran's attack on Israel": the country whose attack it is, a place named just before the word."""
    if trigger.event != "combat":
        return None
    named = parts.located + [(m, e) for m, e in parts.actors if e.actor_type in {"state", "government"}]
    return next(((m, e) for m, e in named if e.country and m.span.end <= trigger.cue.span.start
                 and ATTACKER_GAP.match(text[m.span.end:trigger.cue.span.start])), None)


def _not_the_attacker(ctx: Context, attacker, parts: Parts, place):
    """"bolster Israel's defences after Iran's attacks on that nation": an attack told by its
    attacker's name happens on the other side. When only the attacker's own name would place it,
    the one other state the sentence names does; with none or several, the attack has no place."""
    if attacker is None or place is None or place.country != attacker[1].country:
        return place
    if any(e.country == place.country and m is not attacker[0] for m, e in parts.located):
        return place  # "Russia's strikes near Belgorod": the text itself names a place there
    states = [*parts.located, *((m, e) for m, e in parts.actors if e.actor_type in {"state", "government"})]
    others = {e.country: e for _, e in states if e.country and e.country != place.country}
    if len(others) != 1:
        return None
    other = next(iter(others.values()))
    return other if other.kind == "place" else frame.country_place(ctx.resolution, other)


def _own_place(trigger: Trigger, parts: Parts, text: str, attacker):
    """The sentence's own place; transfers and deployments prefer their destination
    ("signed in Paris to supply CAESAR to Armenia", "based at Lossiemouth, deployed to Romania");
    a transfer is never placed where its systems are to be used ("… to use against Ukraine")."""
    place = None
    if trigger.event in TRANSFER_EVENTS | {"deployment", "exercise"}:
        ahead = [(m, e) for m, e in parts.destinations if _same_clause(text, trigger, m)]
        place = place_roles.best_place(ahead, trigger.cue.span.start)
    located = parts.located
    if attacker is not None:  # "Iran's attack on Israel" happens in Israel
        located = [(m, e) for m, e in located if e.country != attacker[1].country] or located
    if trigger.event in TRANSFER_EVENTS:  # "took delivery of missiles to use against Ukraine": not there
        located = [(m, e) for m, e in located if not any(m is t for t, _ in parts.targets)]
    return place or place_roles.best_place(located, trigger.cue.span.start)


def _refers_back(view: SentenceView, text: str, parts: Parts, trigger: Trigger, lead: Claim | None) -> bool:
    """Whether the sentence leans on the story; if so, an event like the lead's inherits from it
    ("This round of assistance includes ...": the lead's delivery, from its supplier)."""
    named = [(m.span.start, m.span.end) for _, m, _ in parts.systems if m.kind in {"equipment", "unknown_equipment"}]
    back = frame.refers_back(view, text, named) and not trigger.background
    if trigger.inherited is None and back and lead is not None and lead.event == trigger.event \
            and lead.sentence.end <= view.sentence.start:
        trigger.inherited = lead
    return back


def _locate(ctx: Context, trigger: Trigger, parts: Parts, actors: list, locating: list, place, lead: Claim | None,
            placed: bool = False, sentence_start: int = 0):
    """Place and origin from the sentence, then from the claim it inherits from, its acting
    state, and the lead of a transfer story; `actors` gains the inherited ones. A receiving
    army's home places a transfer unless the sentence leans on a story already placed (`placed`)."""
    inherited, resolution = trigger.inherited, ctx.resolution
    origin = parts.origins[0][1] if parts.origins else None
    if trigger.event in TRANSFER_EVENTS:  # "re-exported by the UAE" named as a state (places: place_roles.place_roles)
        agent = next((e for m, e in parts.actors if e.actor_type == "state"
                      and place_roles.AGENT_AFTER.fullmatch(ctx.text, trigger.cue.span.end, m.span.start)), None)
        origin = frame.country_place(resolution, agent) if agent is not None else origin
    if origin is None and trigger.event in MAKER_EVENTS and not any(a.role == "supplier" for a in actors):
        origin = frame.maker_country(ctx.text, [m for m, _ in trigger.equipment], resolution)
        if origin is not None and place is not None and origin.country == place.country:
            origin = None
        trigger.maker = origin
    if place is None and inherited is not None and inherited.place:
        place = _entity(ctx, inherited.place)
        if place is not None and origin is not None and place.country == origin.country:
            place = None  # "procurement moved to France", then "French AMX-10P": not in France
    place = place or frame.state_place(locating, resolution, {"operator", "recipient", "owner"})
    if place is None and trigger.event in TRANSFER_EVENTS and not placed:
        # "transfer to the Armed Forces of the Philippines two patrol vessels": where the receiving army is
        place = frame.body_place([a for a in locating if a.role == "recipient"], resolution)
    if inherited is not None:
        origin = origin or _entity(ctx, inherited.origin)
        actors += [a for a in inherited.actors if a.role != "source" and a not in actors]
        trigger.date = trigger.date or _dated(inherited)
    if lead is not None and lead is not inherited and {lead.event, trigger.event} <= TRANSFER_EVENTS:
        # a story about one transfer: "Poland is sending armored vehicles" goes where the lead's aid goes
        place = place or _entity(ctx, lead.place)
        subject = frame.subject_supplier(ctx.text, sentence_start, trigger.cue, parts, resolution)
        if subject is not None and (place is None or subject.country != place.country):
            origin = origin or subject  # "The UK … is donating …" in a story about US aid: from the UK
        origin = origin or (None if actors else _entity(ctx, lead.origin))
    if origin is None and trigger.event in TRANSFER_EVENTS:
        origin = frame.state_place(actors, resolution, {"supplier"}) \
            or frame.supplier_before(ctx.text, trigger.cue.span.start, parts, resolution)
        if origin is not None and place is not None and origin.country == place.country:
            origin = None
    return place, origin


def _for_event(ctx: Context, trigger: Trigger, event: str, parts: Parts, actors: list, place, origin):
    """Withdrawals are about the country left; forces abroad come from their operator's country."""
    if event == "withdrawal" and origin is not None and not parts.located \
            and WITHDRAWING.match(trigger.cue.span.text):
        place, origin = origin, None  # "withdrawal from Chad": the claim is about Chad
    if origin is None and event in FORCE_EVENTS:
        origin = frame.home_of(actors, ctx.resolution, place)
    return place, origin


def _not_to_the_maker(ctx: Context, event: str, equipment: list[ClaimEquipment], place, origin):
    """"U.S., the Netherlands sign agreement for Apache upgrades": a country does not buy or receive
    its own make of system from another; when the claim would say so, the two are the other way round."""
    if event not in TRANSFER_EVENTS or place is None or origin is None or not equipment:
        return place, origin
    makers = {(_entity(ctx, e.entity).origin if _entity(ctx, e.entity) else None) for e in equipment}
    if makers == {place.country} and origin.country and origin.country != place.country:
        return origin, place
    return place, origin


def _deployed_abroad(ctx: Context, trigger: Trigger, place, locating: list, state: State):
    """"La France déploie également un détachement Mamba" in a story already placed in Romania: a
    state deploys its forces abroad, so its own territory does not place the deployment when the
    story is placed in another country."""
    if trigger.event != "deployment" or place is None or place.feature != "country" \
            or not SENDING.match(trigger.cue.span.text):
        return None  # "Algeria already flies Su-30MKA": a state flying its own aircraft is at home
    if frame.state_place(locating, ctx.resolution, {"operator", "owner"}) is not place:
        return None
    story = _entity(ctx, (state.frame.place if state.frame is not None else None) or state.last_claim_place)
    return story if story is not None and story.country and story.country != place.country else None


DEFENDING_EVENTS = {"loss", "combat"}


def _speakers_forces(ctx: Context, trigger: Trigger, speaker, lead: Claim | None):
    """"President Zelensky said his forces were shooting down ten Iranian drones a day": the
    speaker's own forces fight at home, so the event is in the speaker's country; unless the
    story's lead sent forces from that country abroad ("Turkey sends troops into Syria")."""
    if trigger.event not in DEFENDING_EVENTS or speaker is None or not speaker.country:
        return None
    at = trigger.cue.span.start
    if not OWN_FORCES_BEFORE.search(ctx.text, max(0, at - 60), at):
        return None
    if lead is not None and (origin := _entity(ctx, lead.origin)) is not None and origin.country == speaker.country:
        return None
    return speaker if speaker.kind == "place" else frame.country_place(ctx.resolution, speaker)


def _entity(ctx: Context, entity_id: str | None):
    if entity_id is None:
        return None
    return ctx.entities.get(entity_id) or next((e for e in ctx.resolution.entities if e.id == entity_id), None)


def _class_of(ctx: Context):
    """A system's class by its entity id, for rules that tell ground systems from aircraft."""
    def class_of(entity_id: str) -> str | None:
        entity = _entity(ctx, entity_id)
        return entity.equipment_class if entity is not None else None
    return class_of


def _dated(claim: Claim):
    """A DateMention-like view of an inherited claim's date, so dating treats it as the sentence's own."""
    if claim.date is None:
        return None
    return DateMention(claim.date, claim.date_precision or "day", claim.sentence)  # type: ignore[arg-type]


def _system_modifiers(text: str, parts: Parts) -> set[str]:
    """Actors named only as an attribute of a system: "Iranian drones", "Russia's Su-57".

    They say whose or whose-made the system is, not where the event happens, so they never
    locate a claim (they may still be its operator or supplier).
    """
    starts = {m.span.start for _, m, _ in parts.systems}
    out = set()
    for mention, entity in parts.actors:
        gap = text[mention.span.end:mention.span.end + 4]
        if mention.span.end + 1 in starts and gap[:1] in " -" and mention.span.text in frame.demonyms():
            out.add(entity.id)  # "Iranian drones", "Russian-made"
        elif any(mention.span.end + size in starts for size in (3, 4)) and gap[:2] in {"'s", "’s"}:
            out.add(entity.id)  # "Russia's Su-57"
        elif NAMING_RELATIVE_BEFORE.search(text, max(0, mention.span.start - 12), mention.span.start) \
                and NAMING_AFTER.match(text, mention.span.end):
            out.add(entity.id)  # "Shahed-136 drones, which Russia calls Geran-2": who names them
    return out
