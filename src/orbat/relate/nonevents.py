"""Non-events: sentences that mention systems and event words without stating a current fact.

Rules:
1. generic prose with no system, no place and no specific evidence is not a claim; an event that
   only makes sense about a system ("Washington approved the sale") needs one;
2. capability ("is able to carry precision munitions"), hypothesis ("would allow", "if") and
   comparison ("similar to the ones seen in Syria") give no claim;
3. background ("previous shipments came by air", "first shown at an arms fair two years ago")
   gives no current claim; where the text dates it, it stays a dated claim. A sentence whose
   subject is past batches ("Earlier Russian deliveries to Mali, mostly …, were flown in") is
   background in every clause;
4. "de fabrication russe", "Russian-made", "built in South Korea" describe where a system
   comes from, not a production event in the story;
5. a sighting word ("spotted in video footage") makes the fact a presence, never a loss;
6. "providing logistical support", "provide these timely fires": a service, not a delivery;
7. a "drawdown" with a sum of money ("a $450 million drawdown") or from stocks ("drawdown from
   current DOD stocks") is aid drawn for another country, a delivery, not a withdrawal of forces.
8. "hosting him at the White House", "l'accueille": a host receives a person, no forces are based;
9. "exercise restraint", "exercise its right", "exercise the option for 25 more jets": a right,
   a virtue or a purchase option used, not a military exercise;
10. an event word after "focused on", "aimed at", "axé sur" names a topic, and "is used as a
   deterrent" says what a system is for: neither states an event.
11. "has ordered additional destroyers to the Central Command region": a command that sends
   forces somewhere is a deployment, not a purchase.
12. "no footage linking the convoy to Crimea": a link the text draws (or denies) moves nothing.
13. "the vehicles left the Port of Beaumont": systems leaving a port are shipped, not withdrawn;
   "the aircraft left the United States and flew to West Africa": systems that go on to a destination
   make a journey, not a withdrawal (troops that leave and fly home still withdraw).
14. "fired HIMARS during a live-fire exercise", "engaged a surrogate target" in a story about an
   exercise: firing at a range is the exercise, not combat.
15. "air-to-air refuelling aircraft" is a kind of aircraft, and "aircrews will train" a verb: neither
   moves anything.
16. "a Tochka-U missile had hit the facility", "American aircraft struck a missile site": the system
   or kind of weapon that hits is the attack's means, a fight, not a system lost.
17. "Russia could end it at any time by withdrawing its forces": an event word after a modal and
   "by" is the means of something that might happen, not a fact.
18. "expected to be used against drones rather than to attack Russian positions", "instead of
   sending tanks": the event set aside after "rather than" or "instead of" does not happen.
19. "Ukrainian soldiers completed their training on the system": soldiers named beside an exercise
   word are its trainees, not a deployment of their own.
20. "while the crew were fighting the fire" is firefighting, and "gave a different account",
   "provided details" hand over words: neither is combat or a delivery.
21. "No Su-35 has been seen in Iran so far", "have not been spotted": an absence is no sighting.
22. "among the first Ukrainian pilots trained on the F-16" says who a person is, and "where crews
   will begin conversion training" a course still to come: neither is an exercise held.
23. "described the pull-back as a planned regrouping to reinforce the Donetsk front": the aim a
   speaker gives a move is not a second deployment.
"""

from __future__ import annotations

import re
from functools import lru_cache

from orbat.model import ClaimActor, Cue, Entity
from orbat.relate import syntax
from orbat.relate.views import SentenceView, Trigger
from orbat.relate.vocabulary import (
    AID_DRAWDOWN,
    AID_STOCKS,
    ALTERNATIVE_BEFORE,
    ATTACK_MEANS,
    BACKGROUND,
    BACKGROUND_BATCH,
    BACKGROUND_OPENING,
    CAPABILITY,
    COMPARISON,
    EXERCISED,
    FACILITY,
    FIRE_AFTER,
    FORCES_BEFORE,
    GUEST_AFTER,
    GUEST_BEFORE,
    HOST,
    HYPOTHESIS,
    LEFT_PORT,
    LINKING_BEFORE,
    MODAL_MEANS_BEFORE,
    MONEY,
    MOVED_TO,
    MOVEMENT_ORDER,
    OFFICE_AFTER,
    ONWARD_AFTER,
    ORIGIN_DESCRIPTION,
    SERVICE_AFTER,
    SIGHTING,
    TELLING_AFTER,
    TOPIC_BEFORE,
    TRAINING_KIND,
    USE_BEFORE,
    alt,
)

NEEDS_SYSTEM = {"delivery", "order", "loss", "transport", "exercise", "production", "display", "combat"}
GIVING_EVENTS = {"delivery", "order", "transfer"}
NAMED_EXERCISE = re.compile(r"\b(?:Exercise|Exercice|exercice)\s+[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|\d+))*")
SUBJECT_OPENING = re.compile(r"\A\W*+(?:(?:the|these|those|two|three|four|five|six|several|\d++)\s++)?\Z", re.I)
#: "systems on which Ukraine's forces are already trained": a skill they have, not a training event
SKILLED_BEFORE = re.compile(r"\b(?:are|is|sont|est)\s+(?:(?:already|fully|well|now|déjà|bien)\s+)?$", re.I)
#: "among the first Ukrainian pilots trained on the F-16": who the person is, no training event told
ONE_OF_THE_TRAINED_BEFORE = re.compile(
    r"\b(?:among|one\s+of)\s+(?:[\w-]+\s+){0,4}(?:pilots|crews|soldiers|troops|operators|gunners|personnel|"
    r"mechanics|airmen|sailors|officers|instructors)\s+$", re.I)
#: "where crews will begin conversion training": a course still to come, no exercise held
TRAINING_TO_COME_BEFORE = re.compile(
    r"\b(?:will|would|shall|are\s+to|is\s+to)\s+(?:then\s+|soon\s+|later\s+)?(?:begin|start|undergo|commence|"
    r"receive)\s+(?:[\w-]+\s+){0,2}$", re.I)
#: "described the pull-back as a planned regrouping to reinforce the Donetsk front": the speaker's
#: account of what a move is for, not a second move
DESCRIBED_PURPOSE_BEFORE = re.compile(
    r"\b(?:described|portrayed|characteri[sz]ed|presented|framed|depicted|called)\b[^.;:!?]{0,60}?\bas\s+"
    r"(?:[\w-]+\s+){1,4}to\s+$", re.I)
#: "We launched in response to a Russian Be-12": aircraft took off, nothing was fired (no object follows)
TOOK_OFF_AFTER = re.compile(r"(?<!\s)(?:\s+(?:in\s+response|at\s+short\s+notice|to\s+(?:intercept|investigate|"
                            r"shadow|identify|escort|meet))\b|\s*[,.;:!?\"”])", re.I)
#: "strikes against Ukraine's critical infrastructure": what is there to protect or strike, no works
STANDING_INFRASTRUCTURE = re.compile(rf"\b{alt('infrastructure_kinds')}\s+(?:infrastructures?)$", re.I)
#: "committing to provide further aircraft": more of the kind the story is about, a real transfer by its giver
MORE_OF_A_KIND_AFTER = re.compile(
    rf"(?<!\s)\s+(?:further|additional|more|extra)\s+"
    rf"(?:{alt('domain_land_nouns')}|{alt('domain_air_nouns')}|{alt('domain_sea_nouns')})\b", re.I)
#: "the more than 2,100 vehicles left the port": a counted batch of vehicles, aircraft or ships is a real load
COUNTED_KIND = re.compile(
    rf"(?<![\w,./-])\d{{1,3}}(?:,\d{{3}})*\s+(?:{alt('domain_land_nouns')}|{alt('domain_air_nouns')}|"
    rf"{alt('domain_sea_nouns')})\b", re.I)
MOVING_EVENTS = {"transport", "delivery", "transfer"}
SPECIFIC_EVIDENCE = {"satellite", "photo", "video", "broadcast", "marking", "social_media"}
COMBAT_MODIFIER = re.compile(rf"(?<!\s)\s+{alt('combat_heads')}\b", re.I)
IN_ORDER_TO = re.compile(r"\bin\s+order\s+(?:to|for)\b", re.I)
PURPOSE_BEFORE = re.compile(r"\b(?:needed|required|used|intended|meant|destined|earmarked)\s+for\s+$", re.I)
COMBAT_OF = re.compile(r"(?:\bde\s+|\bd['’])$", re.I)  # "véhicules de combat", "sous-marin d'attaque"
# Events about systems, restated by "this deployment"; a base's construction names no system.
RESTATED_EVENTS = {"deployment", "withdrawal", "transfer", "transport", "delivery"}
REFERRING_NOUN = re.compile(r"\b(?:this|that|these|those|the|its|their|cet|cette|ce|ces|le|la|les|l['’])\s*$", re.I)
NOMINAL_EVENT = re.compile(r"(?:ment|ments|al|als|ion|ions|down|out)$", re.I)  # deployment, withdrawal, drawdown
CLAUSE_BREAK = re.compile(r"[,;:()]")
CLAUSE_REACH = 60  # characters between a non-event phrase and the event word it governs
MONEY_REACH = 30  # characters between "drawdown" and the sum it draws


def aid_drawdowns(text: str, view: SentenceView) -> None:
    """Rule 7: "Another $450 Million Drawdown", "a drawdown of up to $1 billion", "drawdown from
    current DOD stocks" deliver aid."""
    s, e = view.sentence.start, view.sentence.end
    for i, cue in enumerate(view.cues):
        if cue.kind != "event" or cue.value != "withdrawal" or not AID_DRAWDOWN.match(cue.span.text):
            continue
        near = (text, max(s, cue.span.start - MONEY_REACH), min(e, cue.span.end + MONEY_REACH))
        if MONEY.search(*near) or AID_STOCKS.search(*near):
            view.cues[i] = Cue("event", "delivery", cue.span)


def is_generic(trigger: Trigger, view: SentenceView, places, has_systems: bool, explicit_place: bool,
               has_origin: bool = False) -> bool:
    """Generic prose ("the construction of infrastructure signals a shift") is not a claim."""
    if trigger.event == "construction" and not names_facility(view, places):
        return True
    after_cue = trigger.cue.span.end - view.sentence.start
    if trigger.event == "delivery" and SERVICE_AFTER.match(view.sentence.text, after_cue):
        return True  # "providing aerial refuelling support": a service rendered, nothing handed over
    if trigger.event in {"transfer", "delivery"} and OFFICE_AFTER.match(view.sentence.text, after_cue):
        return True  # "transferred command to General Anderson": a change of command
    if trigger.event == "delivery" and TELLING_AFTER.match(view.sentence.text, after_cue):
        return True  # "The Guardian gave a different account", "provided details": words, not systems
    before_cue = view.sentence.text[:max(0, trigger.cue.span.start - view.sentence.start)]
    if not (has_systems or has_origin) and trigger.event in RESTATED_EVENTS and not trigger.implicit \
            and REFERRING_NOUN.search(before_cue) and NOMINAL_EVENT.search(trigger.cue.span.text):
        # "This deployment demonstrates …", "the deployment meant to him": the story's fact again; but
        # "the deployment of equipment from the US to Europe" says where it moved
        return True
    specific = trigger.date is not None or any(c.kind == "evidence" and c.value in SPECIFIC_EVIDENCE
                                               for c in view.cues)
    if trigger.event == "exercise" and NAMED_EXERCISE.search(view.sentence.text):
        return False  # "soldiers training together on Exercise Spring Storm": an exercise the text names is real
    if not (has_systems or explicit_place or specific):
        return True
    if has_origin and trigger.event in GIVING_EVENTS and MORE_OF_A_KIND_AFTER.match(view.sentence.text, after_cue):
        return False  # "grateful to Belgium and Norway for committing to provide further aircraft"
    if trigger.event in MOVING_EVENTS and explicit_place and COUNTED_KIND.search(view.sentence.text):
        return False  # "The more than 2,100 vehicles … left the Port of Beaumont, Texas"
    if trigger.event == "combat" and explicit_place and ATTACK_MEANS.match(trigger.cue.span.text):
        return False  # "an airstrike hit a hospital in Kunduz": the word names the means
    return not has_systems and trigger.event in NEEDS_SYSTEM


def service_by_systems(trigger: Trigger, view: SentenceView, has_systems: bool) -> bool:
    """"KC-135 Stratotanker aircraft … enabled the mission by providing aerial refueling support":
    systems that render a service are there doing it, a deployment, though nothing is handed over."""
    after_cue = trigger.cue.span.end - view.sentence.start
    if not has_systems or trigger.event != "delivery" or not SERVICE_AFTER.match(view.sentence.text, after_cue):
        return False
    # the systems are the sentence's subject, named first: not "This allows us to load up into a C-17 and provide …"
    return any(m.span.end <= trigger.cue.span.start and SUBJECT_OPENING.match(view.sentence.text, 0,
                                                                             m.span.start - view.sentence.start)
               for m, _ in trigger.equipment)


def names_facility(view: SentenceView, places) -> bool:
    return bool(FACILITY.search(view.sentence.text)) or any(e.feature == "installation" for _, e in places)


def _near(pattern, text: str, start: int, end: int, position: int, parse: syntax.Parse | None = None) -> bool:
    """The phrase lies within reach of the event word, in the same clause (no comma between):
    "buildings, capable of housing hundreds" describes the buildings, not the construction;
    "launchers that first saw combat in Ukraine were spotted": "first" is in a relative clause."""
    for found_start, found_end in _found(pattern, text, start, end):
        low, high = sorted((found_start, position))
        if high - low > CLAUSE_REACH or CLAUSE_BREAK.search(text, low, high):
            continue
        if parse is not None:
            phrase, cue = parse.token_of(found_start, found_end), parse.token_of(position, position + 1)
            if phrase is not None and cue is not None and syntax.in_subordinate_clause(parse, phrase, cue):
                continue
        return True
    return False


@lru_cache(maxsize=64)
def _found(pattern: re.Pattern[str], text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Where `pattern` matches in a sentence: each of its events asks again (twice for some), the
    sentence is scanned once. The last few sentences only: relate reads a document in order."""
    return tuple(m.span() for m in pattern.finditer(text, start, end))


def not_an_event(text: str, trigger: Trigger, view: SentenceView, parse: syntax.Parse | None = None,
                 place_tokens: set[int] | None = None) -> bool:
    """Capability, hypothesis, comparison, stated origin, and an aside about a place: no claim."""
    s, e, at = view.sentence.start, view.sentence.end, trigger.cue.span.start
    if any(_near(p, text, s, e, at, parse) for p in (CAPABILITY, HYPOTHESIS, COMPARISON)):
        return True
    if TOPIC_BEFORE.search(text, max(s, at - 60), at):
        return True  # "focused on the strategic deployment of U.S. forces": what it is about (rule 10)
    if USE_BEFORE.search(text, max(s, at - 140), at):
        return True  # "is used as a deterrent … during contingencies as well as major exercises" (rule 10)
    if MODAL_MEANS_BEFORE.search(text, max(s, at - 100), at):
        return True  # "Russia could end it at any time by withdrawing its forces": a hypothetical means (rule 17)
    if ALTERNATIVE_BEFORE.search(text, max(s, at - 40), at):
        return True  # "used against drones rather than to attack Russian positions": set aside (rule 18)
    if trigger.event == "combat" and trigger.cue.span.text.lower().startswith("launch") \
            and TOOK_OFF_AFTER.match(text, trigger.cue.span.end):
        return True  # "We launched in response to a Russian Be-12 aircraft": a scramble, not a strike
    if trigger.event == "exercise" and trigger.cue.span.text.lower() in {"trained", "formés", "entraînés"} \
            and SKILLED_BEFORE.search(text, max(s, at - 20), at):
        return True  # "on which Ukraine's forces are already trained": what they can do, no exercise
    if trigger.event == "exercise" and trigger.cue.span.text.lower() == "trained" \
            and ONE_OF_THE_TRAINED_BEFORE.search(text, max(s, at - 60), at):
        return True  # "among the first Ukrainian pilots trained on the F-16": who he was, no exercise
    if trigger.event == "exercise" and trigger.cue.span.text.lower() == "training" \
            and TRAINING_TO_COME_BEFORE.search(text, max(s, at - 40), at):
        return True  # "where crews will begin conversion training": a course to come, no exercise
    if trigger.event == "deployment" and DESCRIBED_PURPOSE_BEFORE.search(text, max(s, at - 120), at):
        return True  # "described the pull-back as a planned regrouping to reinforce …": a stated aim
    if trigger.event == "construction" and STANDING_INFRASTRUCTURE.search(text, max(s, at - 30), trigger.cue.span.end):
        return True  # "intercepted Russian strikes against Ukraine's critical infrastructure"
    if trigger.event == "production" and _near(ORIGIN_DESCRIPTION, text, s, e, at):
        return True
    guest = GUEST_AFTER.match(text, trigger.cue.span.end) or GUEST_BEFORE.search(text, max(s, at - 4), at)
    if trigger.event == "deployment" and HOST.match(trigger.cue.span.text) and guest:
        return True  # "hosting him at the White House", "le président l'accueille": a visit (rule 8)
    if trigger.event == "order" and IN_ORDER_TO.search(text, max(s, at - 3), min(e, trigger.cue.span.end + 4)):
        return True  # "deployed a Patriot battery to Palau in order to exercise": a purpose, not a purchase
    counted = ATTACK_MEANS.match(trigger.cue.span.text) and trigger.cue.span.text[-1:].lower() == "s"
    if trigger.event == "combat" and (COMBAT_MODIFIER.match(text, trigger.cue.span.end) or
                                      COMBAT_OF.search(text, max(s, at - 4), at) and not counted):
        # "véhicules blindés de combat", "combat vehicles", "combat air patrol": a kind of thing; but
        # "une série de frappes" counts strikes
        return True
    if trigger.event == "deployment" and SIGHTING.fullmatch(trigger.cue.span.text) \
            and UNSEEN_BEFORE.search(text, max(s, at - 50), at):
        return True  # "No Su-35 has been seen in Iran so far": an absence is no sighting (rule 21)
    if trigger.event == "combat" and FIRE_AFTER.match(text, trigger.cue.span.end):
        return True  # "while the crew were fighting the fire": firefighting (rule 20)
    if trigger.event == "exercise" and PURPOSE_BEFORE.search(text, max(s, at - 20), at):
        return True  # "tanks needed for training Ukrainian troops arrive": what they are for, not an exercise
    if trigger.event == "exercise" and trigger.cue.span.text.lower() == "training" \
            and TRAINING_KIND.match(text, trigger.cue.span.end):
        return True  # "advanced training aircraft", "training rounds": what the thing is for, not an exercise
    if trigger.event == "exercise" and trigger.cue.span.text.lower().startswith("exerc") \
            and EXERCISED.match(text, trigger.cue.span.end):
        return True  # "whether it would exercise the option", "exercise restraint": no manoeuvres
    if trigger.event == "transport" and (cue := trigger.cue.span.text.lower()).startswith("refuel") \
            and TRAINING_KIND.match(text, trigger.cue.span.end):
        return True  # "RAF Voyager air-to-air refuelling aircraft": what the aircraft is for (rule 15)
    if trigger.event == "transport" and cue == "train" and TO_TRAIN_BEFORE.search(text, max(s, at - 12), at):
        return True  # "Aircrews will train on …": the verb, not a train (rule 15)
    if trigger.event in {"transport", "deployment"} and LINKING_BEFORE.search(text, max(s, at - 60), at):
        return True  # "footage linking the convoy to Crimea": the link is the text's, no movement (rule 12)
    if parse is not None and place_tokens and trigger.inherited is None:
        index = parse.token_of(trigger.cue.span.start, trigger.cue.span.end)
        host = syntax.clause_host(parse, index, place_tokens) if index is not None else None
        # "exports to Ukraine, which will provide Ukraine with missiles": a clause that names its host
        # place again is not about that place; the parse hung it on the wrong noun
        return host is not None and not _names_again(text, parse.tokens[host].text, trigger.cue.span.end, e)
    return False


def _names_again(text: str, word: str, start: int, end: int) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text[start:end]) is not None


def mark_background(text: str, trigger: Trigger, view: SentenceView, parse: syntax.Parse | None = None) -> None:
    """"previous shipments came by air": history; kept only where the text dates it."""
    s, e, at = view.sentence.start, view.sentence.end, trigger.cue.span.start
    if _near(BACKGROUND, text, s, e, at, parse) or _near(BACKGROUND_BATCH, text, s, e, at, parse) \
            or BACKGROUND_OPENING.match(view.sentence.text):
        trigger.background = True  # a sentence opening on "Earlier deliveries" is history in every clause


def movement_order(text: str, trigger: Trigger, view: SentenceView) -> None:
    """Rule 11: the verb "ordered" with a place to go to ("to the Middle East") moves forces."""
    cue = trigger.cue.span
    if trigger.event != "order" or not MOVEMENT_ORDER.match(cue.text):
        return
    rest = text[cue.end:view.sentence.end]
    if MOVED_TO.match(rest) and not MONEY_OR_SELLER.search(view.sentence.text):
        trigger.event = "deployment"


def shipped_from_port(text: str, trigger: Trigger) -> None:
    """Rule 13: systems that leave a port are on their way by sea, a transport."""
    cue = trigger.cue.span
    if trigger.event != "withdrawal":
        return
    if trigger.equipment and LEFT_PORT.match(text, cue.end) \
            or cue.text.lower().startswith("left") and LEFT_PORT.match(text, cue.end - 4):  # the cue is "left the"
        trigger.event = "transport"
    elif DEPARTING.match(cue.text) and ONWARD_AFTER.match(text, cue.end) \
            and not FORCES_BEFORE.search(text, max(0, cue.start - 90), cue.start):
        # "The aircraft left the United States on July 14 and flew to West Africa": a journey; but
        # "the last soldiers left the base and flew home" is still a withdrawal
        trigger.event = "transport"


def fire_in_exercise(found: list[Trigger], story_event: str | None) -> list[Trigger]:
    """Rule 14: a firing word in a sentence that names an exercise ("the second live fire event
    … the first time U.S. Forces fired HIMARS") is the exercise; in a story whose title names an
    exercise, a firing word with no exercise word beside it is that exercise too."""
    at_exercise = any(t.event == "exercise" for t in found)
    for trigger in found:
        if trigger.event == "combat" and (at_exercise or story_event == "exercise"
                                          and FIRING.match(trigger.cue.span.text)):
            trigger.event = "exercise"
    return found


def trainees(found: list[Trigger], text: str) -> list[Trigger]:
    """Rule 19: "Ukrainian soldiers completed their training on the system at Fort Sill": the
    soldiers named beside an exercise word take part in the exercise; they are not a deployment
    of their own. Only the force noun's own trigger goes; "troops arrived for the exercise" keeps
    its arrival."""
    exercises = [t for t in found if t.event == "exercise"]
    if not exercises:
        return found
    return [t for t in found if not (t.event == "deployment" and FORCE_NOUN.match(t.cue.span.text)
                                     and any(_same_clause_near(text, t, e) for e in exercises))]


def _same_clause_near(text: str, one: Trigger, other: Trigger) -> bool:
    low, high = sorted((one.cue.span.end, other.cue.span.start))
    return high - low <= CLAUSE_REACH and not re.search(r"[;:]", text[low:high])


def munition_hit(text: str, trigger: Trigger) -> None:
    """Rule 16: a system or a kind of weapon named as the subject of "hit"/"struck" ("a Ukrainian
    Tochka-U missile had hit the facility", "American aircraft struck a missile storage site") is
    what attacked; "was hit", "hit by" keep the loss."""
    if trigger.event != "loss" or trigger.cue.span.text.lower() not in {"hit", "struck"}:
        return
    if any(m.span.end <= trigger.cue.span.start and ACTIVE_GAP.match(text, m.head_end or m.span.end,
                                                                      trigger.cue.span.start)
           for m, _ in [*trigger.equipment, *trigger.classes]):  # "American aircraft struck a missile site"
        trigger.event = "combat"


ACTIVE_GAP = re.compile(r"(?:\s+(?:had|has|have|reportedly|then|also|later|allegedly))*\s+$", re.I)
FORCE_NOUN = re.compile(r"(?:troops|soldiers|instructors|mercenaries|contingent)$", re.I)
UNSEEN_BEFORE = re.compile(r"(?:^|\b)(?:no|not|never|none|neither|nor)\b[^,;:.]{0,40}$", re.I)
DEPARTING = re.compile(r"(?:left|leaving|depart)", re.I)
TO_TRAIN_BEFORE = re.compile(r"\b(?:will|to|would|can|could|must|shall|also|and)\s+$", re.I)
FIRING = re.compile(r"(?:fired|engaged|launched|strikes?|struck)$", re.I)
MONEY_OR_SELLER = re.compile(r"[$€£]|\b(?:from|contract|worth|billion|million|deal|purchase|buy|bought)\b", re.I)


def event_for(trigger: Trigger, has_equipment: bool, origin: Entity | None, actors: list[ClaimActor],
              has_facility: bool = False) -> str:
    if trigger.event == "construction" and has_equipment and not has_facility:
        return "production"  # "tanks built in South Korea": systems are produced, bases are built
    if trigger.event == "deployment" and trigger.cue.span.text.lower().startswith("arriv") and (
            origin is not None or any(a.role == "supplier" for a in actors)):
        return "delivery"  # "tanks ordered from the United States arrived": handed over, not just present
    return trigger.event
